/** `nam-moi`: the next year's definition opened from the last, with the register applied. */
import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { checkDefinition, type ClusterDefinition } from "../../core/definition/definition";
import { shortPrint } from "../../core/lock/fingerprint";
import { canonicalReview, parseReviewRecord } from "../../core/review/record";
import { NewYearError, openNewYear, type HeadChoice } from "../../core/register/new-year";
import { vnDay } from "../../core/register/register";
import { str, type Command } from "../command";
import { loadDefinitionFile, registerDir } from "../io/definitions";
import { UserError } from "../errors";
import { displayName, writeOutput } from "../io/files";
import { checkAgainstRegister, loadRegisterFile, registerPathFor } from "../io/register";
import { sha256 } from "../io/hash";
import { RECORD_FILE } from "../review/review-record";

/**
 * The review meeting's decision, from the record `binh-xet` writes
 * (ket-qua-binh-xet.json): checked against its own code and against the year
 * it decided for, so an edited or foreign record cannot set the head.
 */
function readReviewResult(path: string, prev: ClusterDefinition, year: number): HeadChoice {
  const name = basename(path);
  if (!existsSync(path)) throw new UserError(`Không tìm thấy tệp kết quả bình xét "${path}".`);
  let saved: { fingerprint?: unknown; record?: unknown } | undefined;
  try {
    saved = JSON.parse(readFileSync(path, "utf8")) as typeof saved;
  } catch {
    saved = undefined;
  }
  const record = saved?.record ? parseReviewRecord(JSON.stringify(saved.record)) : undefined;
  if (!record || typeof saved?.fingerprint !== "string")
    throw new UserError(`${name}: không phải biên bản bình xét do lệnh binh-xet ghi (${RECORD_FILE}).`);
  if (sha256(canonicalReview(record)) !== saved.fingerprint)
    throw new UserError(
      `${name}: nội dung biên bản bình xét không khớp mã kiểm tra ` +
        `${shortPrint(saved.fingerprint)}: biên bản đã bị sửa sau Hội nghị, không dùng ` +
        `được.`,
    );
  if (record.cluster !== prev.id || record.year !== prev.year)
    throw new UserError(
      `${name}: biên bản bình xét của cụm "${record.cluster}" năm ${record.year}, ` +
        `không phải ${prev.id} năm ${prev.year}.`,
    );
  if (year !== record.year + 1)
    throw new UserError(
      `${name}: Hội nghị bình xét năm ${record.year} chọn Cụm trưởng cho năm ` +
        `${record.year + 1}, không phải năm ${year}.`,
    );
  if (!record.result.nextHead)
    throw new UserError(
      `${name}: Hội nghị bình xét năm ${record.year} chưa bầu được Cụm trưởng (cần bầu ` +
        `lại); hãy bầu lại, hoặc dùng --cum-truong.`,
    );
  return { nextHead: record.result.nextHead, nextDeputies: record.result.nextDeputies };
}

export const namMoi: Command = {
  name: "nam-moi",
  summary:
    "Mở năm thi đua mới từ định nghĩa năm trước: giữ chỉ tiêu, cập nhật thành viên theo sổ đăng ký, đặt Cụm trưởng.",
  usage:
    "nam-moi --cum <định nghĩa năm trước.json> --nam <năm> --ra <định nghĩa " +
    "mới.json> [--cum-truong <MÃ>] [--ket-qua-binh-xet <tệp.json>] [--so-dang-ky " +
    "<tệp.json>]",
  options: [
    { name: "cum", flag: "--cum <tệp.json>", type: "string", help: "Định nghĩa cụm năm trước." },
    { name: "nam", flag: "--nam <năm>", type: "string", help: "Năm mới, ví dụ 2026." },
    {
      name: "ra",
      flag: "--ra <tệp.json>",
      type: "string",
      help: "Định nghĩa năm mới sẽ ghi (không được trùng tệp đầu vào).",
    },
    {
      name: "cum-truong",
      flag: "--cum-truong <MÃ>",
      type: "string",
      help: "Trường Cụm trưởng năm mới (mặc định: theo thứ tự luân phiên).",
    },
    {
      name: "ket-qua-binh-xet",
      flag: "--ket-qua-binh-xet <tệp.json>",
      type: "string",
      help:
        "Biên bản bình xét do lệnh binh-xet ghi (ket-qua-binh-xet.json): Cụm trưởng, Cụm " +
        "phó năm mới theo kết quả Hội nghị.",
    },
    {
      name: "so-dang-ky",
      flag: "--so-dang-ky <tệp.json>",
      type: "string",
      help: "Sổ đăng ký cụm (mặc định: register/<mã cụm>.json cạnh định nghĩa, rồi sổ kèm theo).",
    },
  ],
  positionals: false,
  details:
    "Thành viên năm mới lấy từ sổ đăng ký: trường đã sáp nhập được thay bằng trường " +
    "kế thừa, trường mới vào cụm được thêm. In ra mọi thay đổi. Mã thoát 0 khi đã " +
    "ghi.",
  async run(values, _positionals, io) {
    const cum = str(values.cum);
    const out = str(values.ra);
    const yearText = str(values.nam);
    if (!cum || !out || !yearText)
      throw new UserError("Cần --cum <định nghĩa năm trước>, --nam <năm> và --ra <định nghĩa mới>.", 2);
    const year = Number(yearText);
    if (!/^\d{4}$/.test(yearText.trim()))
      throw new UserError(`Năm "${yearText}" không hợp lệ; hãy ghi bốn chữ số, ví dụ 2026.`, 2);
    const head = str(values["cum-truong"]);
    const review = str(values["ket-qua-binh-xet"]);
    if (head && review) throw new UserError("Chỉ dùng một trong --cum-truong và --ket-qua-binh-xet.", 2);
    const registerOption = str(values["so-dang-ky"]);
    for (const input of [cum, registerOption, review])
      if (input && resolve(input) === resolve(out))
        throw new UserError(
          `--ra trùng tệp đầu vào ${input}; hãy ghi định nghĩa mới ra tệp khác để không mất tệp cũ.`,
          2,
        );

    const prev = loadDefinitionFile(cum);
    const registerPath = registerOption ?? registerPathFor(prev, cum, registerDir());
    if (!registerPath)
      throw new UserError(
        `Định nghĩa ${basename(cum)} chưa ghi mã cụm trong sổ đăng ký (mục "register"); ` +
          `hãy thêm, hoặc dùng --so-dang-ky.`,
      );
    const reg = loadRegisterFile(registerPath);
    if (registerOption) checkAgainstRegister(prev, reg, basename(cum));
    const choice = review
      ? readReviewResult(review, prev, year)
      : head
        ? { nextHead: head.trim().toUpperCase() }
        : undefined;
    let opened;
    try {
      opened = openNewYear(prev, reg, year, choice);
    } catch (e) {
      if (e instanceof NewYearError) throw new UserError(e.message);
      throw e;
    }
    const checked = checkDefinition(opened.definition);
    if (!checked.ok)
      throw new UserError(`Định nghĩa năm ${year} chưa hợp lệ:\n${checked.problems.map((p) => "  - " + p).join("\n")}`);
    checkAgainstRegister(checked.definition, reg, basename(out));
    writeOutput(out, JSON.stringify(opened.definition, null, 2) + "\n");
    io.out(
      `Đã mở năm ${year} của ${opened.definition.name} từ năm ${prev.year}: ` +
        `${displayName(resolve(out))} (${opened.definition.schools.length} trường).`,
    );
    io.out("Thay đổi so với năm trước:");
    for (const c of opened.changes) io.out(`  - ${c}`);
    io.out(`Theo sổ đăng ký và bảng văn bản áp dụng, ngày ký ${vnDay(opened.definition.signing.date)}:`);
    for (const t of opened.taken) io.out(`  - ${t}`);
    return 0;
  },
};
