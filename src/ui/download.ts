/**
 * "Tải mẫu Excel": the school's template built in the browser with the same
 * code as the offline `tao-mau`, pre-filled with the school's current figures.
 */
import { templateBuffer } from "../excel/template";
import { app, download, h, show, status } from "./dom";
import { loadContext } from "./context";
import { call, closeDialog } from "./gas-run";

async function main(): Promise<void> {
  const ctx = await loadContext();
  if (!ctx) return;
  const def = ctx.definition;
  const select = h(
    "select",
    { id: "truong" },
    ...ctx.schools.map((code) => h("option", { value: code }, def.schools.find((s) => s.code === code)!.name)),
  );
  const button = h("button", { type: "button", id: "tai" }, "Tải mẫu");
  const result = h("div", { id: "ket-qua", "aria-live": "polite" });
  button.addEventListener("click", async () => {
    const code = select.value;
    const school = def.schools.find((s) => s.code === code)!;
    button.disabled = true;
    result.replaceChildren(status(`Đang tạo mẫu cho ${school.name}…`));
    try {
      const current = await call("getSchoolFigures", code);
      const bytes = await templateBuffer(def, school, current.figures);
      const name = `mau-${def.year}-${code}.xlsx`;
      download(bytes, name);
      result.replaceChildren(
        status(
          `Đã tạo ${name} (có sẵn số liệu hiện có của ` +
            `trường). Điền vào các ô màu vàng rồi ` +
            `dùng Thi đua › Nhập từ Excel.`,
          "ok",
        ),
      );
    } catch (e) {
      result.replaceChildren(status((e as Error).message, "error"));
    } finally {
      button.disabled = false;
    }
  });
  show(
    h("h1", {}, "Tải mẫu Excel"),
    h("p", {}, `${def.name} — năm ${def.year}`),
    h("label", { for: "truong" }, "Trường"),
    select,
    h("div", { class: "actions" }, button, h("button", { type: "button", class: "secondary", id: "dong" }, "Đóng")),
    result,
  );
  app().querySelector("#dong")!.addEventListener("click", closeDialog);
  select.focus();
}

void main();
