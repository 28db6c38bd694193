/**
 * "Nhập từ Excel": the workbook is read in the browser by the same reader as
 * the offline path; the dialog shows whose file it is, every problem, and
 * every change (current value → new value). Nothing is written until the
 * user confirms, and the server checks everything again.
 */
import type { DialogContext, ImportRequest, SchoolSheetFigures } from "../gas/dialogs/server-api";
import { FIELD_LABEL, problemPlace } from "../core/problem";
import { formatFigure } from "../core/figures/parse";
import { figuresOf } from "../core/figures/validate";
import { readSchoolWorkbook, type WorkbookReport } from "../excel/reader";
import { MAX_FILE_BYTES } from "../excel/zip-guard";
import { app, h, show, status } from "./dom";
import { loadContext } from "./context";
import { call, closeDialog } from "./gas-run";

interface Change {
  target: string;
  name: string;
  field: "registered" | "achieved" | "note";
  before: string;
  after: string;
}

function changes(
  ctx: DialogContext,
  report: WorkbookReport,
  current: SchoolSheetFigures,
): { list: Change[]; unchanged: number } {
  const list: Change[] = [];
  let unchanged = 0;
  for (const t of ctx.definition.targets) {
    const f = figuresOf(ctx.definition, report.figures, t.code);
    const now = current.current[t.code] ?? { registered: "", achieved: "", note: "" };
    for (const field of ["registered", "achieved", "note"] as const) {
      const after = field === "note" ? (f?.note ?? "") : formatFigure(t, f?.[field] ?? null);
      const before = now[field];
      if (before === after) unchanged++;
      else list.push({ target: t.code, name: t.name, field, before, after });
    }
  }
  return { list, unchanged };
}

function problemList(report: WorkbookReport): HTMLElement {
  return h(
    "ul",
    { class: "problems" },
    ...report.problems.map((p) =>
      h(
        "li",
        { class: p.severity },
        h("span", { class: "place" }, problemPlace(p) || report.file),
        ": ",
        p.severity === "warning" ? "Lưu ý: " : "",
        p.message,
      ),
    ),
  );
}

async function preview(ctx: DialogContext, file: File, area: HTMLElement): Promise<void> {
  area.replaceChildren(status(`Đang đọc ${file.name}…`));
  if (file.size > MAX_FILE_BYTES) {
    area.replaceChildren(
      status(
        `Tệp ${file.name} lớn ${(file.size / 1024 / 1024).toFixed(1).replace(".", ",")} ` +
          `MB, vượt giới hạn ${MAX_FILE_BYTES / 1024 / 1024} MB. Không nhập gì.`,
        "error",
      ),
    );
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const report = await readSchoolWorkbook(ctx.definition, bytes, file.name);
  const errors = report.problems.filter((p) => p.severity === "error");
  if (errors.length || !report.school || !report.figures) {
    area.replaceChildren(
      h("h2", { tabindex: "-1" }, "Không nhập được tệp này"),
      status(
        `Tệp ${file.name} có ${errors.length || 1} vấn đề; sửa trong Excel rồi chọn lại tệp. Không có gì được ghi.`,
        "error",
      ),
      problemList(report),
    );
    (area.querySelector("h2") as HTMLElement).focus();
    return;
  }
  const school = report.school;
  if (!ctx.schools.includes(school.code)) {
    const own = ctx.schools.map((c) => ctx.definition.schools.find((s) => s.code === c)!.name).join(", ");
    area.replaceChildren(
      h("h2", { tabindex: "-1" }, "Không nhập được tệp này"),
      status(
        `Tệp là mẫu của ${school.name}; tài khoản ${ctx.email} chỉ nhập được cho ${own}. Không có gì được ghi.`,
        "error",
      ),
    );
    (area.querySelector("h2") as HTMLElement).focus();
    return;
  }
  let current: SchoolSheetFigures;
  try {
    current = await call("getSchoolFigures", school.code);
  } catch (e) {
    area.replaceChildren(status((e as Error).message, "error"));
    return;
  }
  const { list, unchanged } = changes(ctx, report, current);
  const head = h("h2", { tabindex: "-1" }, `Xem trước: ${school.name} — năm ${ctx.definition.year}`);
  const summary = status(
    list.length
      ? `${list.length} ô sẽ thay đổi; ${unchanged} ô giữ nguyên (không hiện).`
      : "Tệp không khác gì số liệu trên trang; không cần nhập.",
    list.length ? "info" : "ok",
  );
  const table = h(
    "table",
    { class: "preview" },
    h("caption", {}, `Các thay đổi từ ${file.name}`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Mã"),
        h("th", { scope: "col" }, "Chỉ tiêu"),
        h("th", { scope: "col" }, "Cột"),
        h("th", { scope: "col" }, "Hiện tại"),
        h("th", { scope: "col" }, "Mới"),
      ),
    ),
    h(
      "tbody",
      {},
      ...list.map((c) =>
        h(
          "tr",
          {},
          h("td", {}, c.target),
          h("td", {}, c.name),
          h("td", {}, FIELD_LABEL[c.field]),
          h("td", { class: "before" }, c.before || "(trống)"),
          h("td", { class: "after" }, c.after || "(trống)"),
        ),
      ),
    ),
  );
  const warnings = report.problems.length
    ? [status("Lưu ý trong tệp (không chặn việc nhập):"), problemList(report)]
    : [];
  const confirm = h("button", { type: "button", id: "xac-nhan" }, `Nhập ${list.length} thay đổi`);
  const cancel = h("button", { type: "button", class: "secondary", id: "huy" }, "Hủy");
  const result = h("div", { id: "ket-qua", "aria-live": "polite" });
  confirm.disabled = list.length === 0;
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    result.replaceChildren(status("Đang ghi…"));
    const request: ImportRequest = {
      cluster: ctx.definition.id,
      year: ctx.definition.year,
      school: school.code,
      file: file.name,
      figures: report.figures!,
      version: current.version,
    };
    try {
      const done = await call("applyImport", request);
      result.replaceChildren(status(done.message, "ok"));
    } catch (e) {
      result.replaceChildren(status((e as Error).message, "error"));
      confirm.disabled = false;
    }
  });
  cancel.addEventListener("click", closeDialog);
  area.replaceChildren(
    head,
    summary,
    ...(list.length ? [table] : []),
    ...warnings,
    h("div", { class: "actions" }, confirm, cancel),
    result,
  );
  head.focus();
}

async function main(): Promise<void> {
  const ctx = await loadContext();
  if (!ctx) return;
  const input = h("input", {
    type: "file",
    id: "tep",
    accept: ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
  const area = h("section", { id: "xem-truoc", "aria-live": "polite" });
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) void preview(ctx, file, area);
  });
  show(
    h("h1", {}, "Nhập từ Excel"),
    h(
      "p",
      {},
      `${ctx.definition.name} — năm ${ctx.definition.year}. Chọn tệp mẫu Excel đã ` +
        `điền; chương trình đọc tệp ngay trên máy bạn, cho xem trước từng thay đổi và ` +
        `chỉ ghi khi bạn xác nhận.`,
    ),
    h("label", { for: "tep" }, "Tệp Excel (.xlsx)"),
    input,
    area,
  );
  app();
  input.focus();
}

void main();
