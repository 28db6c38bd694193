/** `nam-moi`: the next year's definition opened from the last, with the register applied. */
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { checkDefinition, type ClusterDefinition } from "../../core/definition/definition";
import { shortPrint } from "../../core/lock/fingerprint";
import { canonicalReview, parseReviewRecord } from "../../core/review/record";
import { NewYearError, openNewYear, type HeadChoice } from "../../core/register/new-year";
import { vnDay } from "../../core/register/register";
import { GHI_DE, required, str, yearOption, type Command, type Io } from "../command";
import { loadDefinitionFile, registerDir } from "../io/definitions";
import { UserError } from "../errors";
import { displayName } from "../io/files";
import { readInputFile, SMALL_JSON_BYTES } from "../io/disk";
import { readLockedYear } from "../io/locked-year";
import { keptLines, planOutputs } from "../io/outputs";
import { LOCKED_XLSX } from "../../core/lock/locked-year";
import { checkAgainstRegister, loadRegisterFile, registerPathFor } from "../io/register";
import { sha256 } from "../io/hash";
import { RECORD_FILE } from "../review/review-record";

/**
 * The review meeting's decision, from the record `binh-xet` writes
 * (ket-qua-binh-xet.json): checked against its own code and against the year
 * it decided for, so an edited or foreign record cannot set the head.
 */
async function readReviewResult(
  path: string,
  lockedFile: string | undefined,
  prev: ClusterDefinition,
  year: number,
  io: Io,
): Promise<HeadChoice> {
  const name = basename(path);
  if (!existsSync(path)) throw new UserError(`Không tìm thấy tệp kết quả bình xét "${path}".`);
  let saved: { fingerprint?: unknown; record?: unknown } | undefined;
  try {
    saved = JSON.parse(new TextDecoder().decode(readInputFile(path, SMALL_JSON_BYTES, name))) as typeof saved;
  } catch (e) {
    if (e instanceof UserError) throw e;
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
  // The locked year the meeting decided on, through the one reader: an edited locked year is refused, and a
  // record made on another lock than this one is not taken.
  if (lockedFile) {
    const locked = await readLockedYear(lockedFile, { given: prev, io });
    if (locked.fingerprint !== record.lockFingerprint)
      throw new UserError(
        `${name}: biên bản bình xét lập trên số liệu đã khóa mã ${shortPrint(record.lockFingerprint)}, không phải ` +
          `bảng đã khóa ${locked.source} (mã ${shortPrint(locked.fingerprint)}); hãy dùng đúng cặp tệp.`,
      );
  } else
    io.out(
      `Lưu ý: không tìm thấy bảng đã khóa ${LOCKED_XLSX} cạnh ${name}, nên biên bản chỉ được đối chiếu với mã của ` +
        `chính nó; thêm --da-khoa <${LOCKED_XLSX}> để đối chiếu cả với số liệu đã khóa.`,
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
      name: "da-khoa",
      flag: `--da-khoa <${LOCKED_XLSX}>`,
      type: "string",
      help:
        "Bảng đã khóa của năm trước mà Hội nghị bình xét dựa vào (mặc định: bảng cạnh thư mục biên bản); được " +
        "kiểm tra như xac-minh, bảng đã bị sửa thì bị từ chối.",
    },
    {
      name: "so-dang-ky",
      flag: "--so-dang-ky <tệp.json>",
      type: "string",
      help: "Sổ đăng ký cụm (mặc định: register/<mã cụm>.json cạnh định nghĩa, rồi sổ kèm theo).",
    },
    GHI_DE,
  ],
  positionals: false,
  details:
    "Thành viên năm mới lấy từ sổ đăng ký: trường đã sáp nhập được thay bằng trường " +
    "kế thừa, trường mới vào cụm được thêm. In ra mọi thay đổi. Mã thoát 0 khi đã " +
    "ghi.",
  async run(values, _positionals, io) {
    const need = "Cần --cum <định nghĩa năm trước>, --nam <năm> và --ra <định nghĩa mới>.";
    const cum = required(values.cum, need);
    const out = required(values.ra, need);
    const year = yearOption(required(values.nam, need), "--nam");
    const head = str(values["cum-truong"]);
    const review = str(values["ket-qua-binh-xet"]);
    if (head && review) throw new UserError("Chỉ dùng một trong --cum-truong và --ket-qua-binh-xet.", 2);
    const lockedOption = str(values["da-khoa"]);
    if (lockedOption && !review) throw new UserError("--da-khoa chỉ dùng cùng --ket-qua-binh-xet.", 2);
    const lockedFile =
      lockedOption ??
      (review
        ? [join(dirname(review), "..", LOCKED_XLSX), join(dirname(review), LOCKED_XLSX)].find((p) => existsSync(p))
        : undefined);
    const registerOption = str(values["so-dang-ky"]);
    const plan = planOutputs(
      [{ path: out, option: "--ra" }],
      [cum, registerOption, review, lockedFile].filter((p): p is string => !!p),
      { replace: values["ghi-de"] === true },
    );

    const prev = loadDefinitionFile(cum);
    const registerPath = registerOption ?? registerPathFor(prev, cum, registerDir());
    if (!registerPath)
      throw new UserError(
        `Định nghĩa ${basename(cum)} chưa ghi mã cụm trong sổ đăng ký (mục "register"); ` +
          `hãy thêm, hoặc dùng --so-dang-ky.`,
      );
    // The register found beside the definition is an input too: checked like the ones named on the command line.
    planOutputs([{ path: out, option: "--ra" }], [registerPath], { replace: values["ghi-de"] === true });
    const reg = loadRegisterFile(registerPath);
    if (registerOption) checkAgainstRegister(prev, reg, basename(cum));
    const choice = review
      ? await readReviewResult(review, lockedFile, prev, year, io)
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
    plan.write(out, JSON.stringify(opened.definition, null, 2) + "\n");
    io.out(
      `Đã mở năm ${year} của ${opened.definition.name} từ năm ${prev.year}: ` +
        `${displayName(resolve(out))} (${opened.definition.schools.length} trường).`,
    );
    io.out("Thay đổi so với năm trước:");
    for (const c of opened.changes) io.out(`  - ${c}`);
    io.out(`Theo sổ đăng ký và bảng văn bản áp dụng, ngày ký ${vnDay(opened.definition.signing.date)}:`);
    for (const t of opened.taken) io.out(`  - ${t}`);
    for (const line of keptLines(plan)) io.out(line);
    return 0;
  },
};
