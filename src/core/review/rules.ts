/**
 * The rules of a year-end review meeting (bình xét) as data. Every parameter
 * carries the text it comes from, the dates it applies and whether that
 * source was actually seen (`unconfirmed` marks an editable default). The
 * meeting's date picks the rule set, because the law changed under the
 * clusters: see docs/binh-xet-quy-tac.md for the sources in plain words.
 */
import * as v from "valibot";
import { issueMessage } from "../definition/definition";
import { formatDate, parseIsoDate } from "../text/format";

const isoDate = v.pipe(
  v.string(),
  v.trim(),
  v.check((s) => parseIsoDate(s) !== undefined, "cần ngày dạng năm-tháng-ngày, ví dụ 2023-11-20"),
);
const text = v.pipe(v.string(), v.trim(), v.minLength(1));
const share = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

function param<T extends v.GenericSchema>(value: T) {
  return v.strictObject({ value, source: text, from: isoDate, to: v.optional(isoDate), unconfirmed: v.boolean() });
}

export const RuleSetSchema = v.strictObject({
  id: v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9-]{3,40}$/)),
  /** How documents cite the rule set, e.g. "Nghị định số 91/2017/NĐ-CP". */
  name: text,
  from: isoDate,
  to: v.optional(isoDate),
  /**
   * The law and decree lines ("Căn cứ …") documents cite while the set is in force; they replace a definition's own
   * law and decree lines (see src/core/register/year-context.ts). Optional: a cluster's rules file may leave them out.
   */
  legalBases: v.optional(v.pipe(v.array(text), v.minLength(1))),
  params: v.strictObject({
    /** Share of the vote base a candidate needs. */
    passShare: param(share),
    /** true: strictly more than passShare ("trên 50 %"); false: at least. */
    passStrict: param(v.boolean()),
    /** What the share is counted over: the member schools present, or all members. */
    voteBase: param(v.picklist(["present", "members"])),
    /** Share of the members that must be present for the vote to count. */
    quorum: param(share),
    selfVoteAllowed: param(v.boolean()),
    secretBallot: param(v.boolean()),
    leadersPerCluster: param(v.pipe(count, v.minValue(1))),
    deputiesPerCluster: param(count),
    /** The Government's flag: at most this share of the leaders counted in govFlagLeaderBase. */
    govFlagMaxShare: param(share),
    /** How many leaders the share is counted over; null: this cluster's own leaders. */
    govFlagLeaderBase: param(v.nullable(v.pipe(count, v.minValue(1)))),
    /** Equal votes at the last seat: the higher score of the locked ranking wins, or the meeting votes again. */
    tieBreak: param(v.picklist(["score", "revote"])),
    /** Next year's head: elected by vote, or the rotation (the first deputy takes over). */
    headChoice: param(v.picklist(["vote", "rotation"])),
  }),
});

export type RuleSet = v.InferOutput<typeof RuleSetSchema>;
export type RuleParams = RuleSet["params"];
export type RuleParam<K extends keyof RuleParams> = RuleParams[K];

const PARAM_LABEL: Record<keyof RuleParams, string> = {
  passShare: "tỷ lệ phiếu cần đạt",
  passStrict: "phải vượt (trên) tỷ lệ",
  voteBase: "tỷ lệ tính trên",
  quorum: "số trường phải có mặt",
  selfVoteAllowed: "trường được bầu cho chính mình",
  secretBallot: "bỏ phiếu kín",
  leadersPerCluster: "số đơn vị dẫn đầu mỗi Cụm",
  deputiesPerCluster: "số Cụm phó",
  govFlagMaxShare: "tỷ lệ tối đa đề nghị Cờ thi đua của Chính phủ",
  govFlagLeaderBase: "số đơn vị dẫn đầu làm căn cứ tính tỷ lệ Cờ của Chính phủ",
  tieBreak: "cách xử lý bằng phiếu",
  headChoice: "cách chọn Cụm trưởng năm sau",
};

export function paramLabel(key: keyof RuleParams): string {
  return PARAM_LABEL[key];
}

const QUY_CHE = "Quy chế hoạt động của Cụm thi đua (mặc định, Cụm tự sửa theo Quy chế đã thông qua)";

/** Parameters the cluster's own Quy chế sets; the law names none, so every default is unconfirmed. */
function clusterParams(from: string): Omit<RuleParams, "govFlagMaxShare"> {
  const own = <T>(value: T, source = QUY_CHE) => ({ value, source, from, unconfirmed: true });
  return {
    passShare: own(0.5),
    passStrict: own(true),
    voteBase: own("members" as const, `${QUY_CHE}; theo ví dụ của các Hội đồng thi đua: quá 50 % tổng số thành viên`),
    quorum: own(2 / 3, `${QUY_CHE}; theo ví dụ ngành Giáo dục: có mặt ít nhất 2/3 thành viên`),
    selfVoteAllowed: own(false),
    secretBallot: own(true, `${QUY_CHE}; Hội đồng thi đua bỏ phiếu kín khi xét danh hiệu cao`),
    leadersPerCluster: own(1),
    deputiesPerCluster: own(2, `${QUY_CHE}; năm 2023 Cụm có hai Cụm phó`),
    govFlagLeaderBase: own(
      null,
      "Số đơn vị dẫn đầu các Cụm do Học viện xét cùng đợt (Học viện thông báo; để " +
        "trống: chỉ tính các đơn vị dẫn đầu của Cụm)",
    ),
    tieBreak: own("score" as const),
    headChoice: own("vote" as const, `${QUY_CHE}; Cụm trưởng, Cụm phó được bầu luân phiên tại hội nghị tổng kết`),
  };
}

/** The built-in rule sets, oldest first; a cluster may replace them with its own (same schema). */
export const DEFAULT_RULE_SETS: RuleSet[] = [
  {
    id: "nd-91-2017",
    name: "Luật Thi đua, Khen thưởng năm 2003 (sửa đổi 2005, 2013) và Nghị định số 91/2017/NĐ-CP",
    from: "2017-10-01",
    to: "2023-12-31",
    legalBases: [
      "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật " +
        "Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013",
      "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 " +
        "của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
    ],
    params: {
      ...clusterParams("2017-10-01"),
      govFlagMaxShare: {
        value: 0.2,
        source:
          "Nghị định số 91/2017/NĐ-CP, Điều 11 khoản 1 (không quá 20 % số tập thể đạt tiêu chuẩn Cờ thi đua cấp bộ)",
        from: "2017-10-01",
        to: "2023-12-31",
        unconfirmed: false,
      },
    },
  },
  {
    id: "luat-06-2022-nd-98-2023",
    name: "Luật Thi đua, Khen thưởng số 06/2022/QH15 và Nghị định số 98/2023/NĐ-CP",
    from: "2024-01-01",
    to: "2025-06-30",
    legalBases: [
      "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
      "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 " +
        "của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
    ],
    params: {
      ...clusterParams("2024-01-01"),
      govFlagMaxShare: {
        value: 0.2,
        source:
          "Luật số 06/2022/QH15, Điều 25 khoản 1 (tập thể tiêu biểu trong số các đơn vị " +
          "dẫn đầu Cụm); tỷ lệ 20 % giữ theo Nghị định 91/2017 và Công văn " +
          "5007/BNV-TĐKT, chưa thấy trong Nghị định 98/2023",
        from: "2024-01-01",
        to: "2025-06-30",
        unconfirmed: true,
      },
    },
  },
  {
    id: "nd-152-2025",
    name: "Luật Thi đua, Khen thưởng số 06/2022/QH15 và Nghị định số 152/2025/NĐ-CP",
    from: "2025-07-01",
    legalBases: [
      "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
      "Căn cứ Nghị định số 152/2025/NĐ-CP " +
        "của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
    ],
    params: {
      ...clusterParams("2025-07-01"),
      govFlagMaxShare: {
        value: 0.2,
        source:
          "Luật số 06/2022/QH15, Điều 25 khoản 1; tỷ lệ 20 % giữ theo các văn bản trước, " +
          "chưa thấy trong Nghị định 152/2025",
        from: "2025-07-01",
        unconfirmed: true,
      },
    },
  },
];

/** "2023-11-20" → "20/11/2023" for messages; text that is not a day stays as it is. */
const vnDate = (iso: string) => {
  const d = parseIsoDate(iso);
  return d ? formatDate(d) : iso;
};

export class RuleSetError extends Error {
  constructor(readonly problems: string[]) {
    super("Quy tắc bình xét không hợp lệ:\n" + problems.map((p) => "  - " + p).join("\n"));
    this.name = "RuleSetError";
  }
}

function issuePath(issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? [])
    .map((p) => (typeof p.key === "number" ? `[${p.key}]` : `.${String(p.key)}`))
    .join("")
    .replace(/^\./, "");
  const last = [...(issue.path ?? [])].reverse().find((p) => typeof p.key === "string" && p.key in PARAM_LABEL);
  return `mục "${keys || "(gốc)"}"${last ? ` (${PARAM_LABEL[last.key as keyof RuleParams]})` : ""}`;
}

/** Rule sets from JSON: checked against the schema, the dates in order, no two sets covering one day. */
export function loadRuleSets(input: unknown): RuleSet[] {
  const parsed = v.safeParse(v.pipe(v.array(RuleSetSchema), v.minLength(1)), input);
  if (!parsed.success) throw new RuleSetError(parsed.issues.map((i) => issueMessage(i, issuePath(i))));
  const sets = [...parsed.output].sort((a, b) => a.from.localeCompare(b.from));
  const problems: string[] = [];
  sets.forEach((s, i) => {
    if (s.to && s.to < s.from)
      problems.push(`bộ quy tắc "${s.id}": ngày kết thúc ${vnDate(s.to)} trước ngày bắt đầu ${vnDate(s.from)}.`);
    const next = sets[i + 1];
    if (next && (!s.to || s.to >= next.from))
      problems.push(
        `bộ quy tắc "${s.id}" và "${next.id}" cùng áp dụng cho ngày ${vnDate(next.from)}; hãy sửa ngày ` +
          `để mỗi ngày chỉ thuộc một bộ.`,
      );
  });
  if (problems.length) throw new RuleSetError(problems);
  return sets;
}

/** The rule set in force on the meeting's date (ISO "2023-11-20"). */
export function ruleSetFor(date: string, sets: readonly RuleSet[] = DEFAULT_RULE_SETS): RuleSet {
  const found = sets.find((s) => s.from <= date && (!s.to || date <= s.to));
  if (!found)
    throw new RuleSetError([
      `không có bộ quy tắc nào áp dụng cho ngày ${vnDate(date)}; các bộ hiện ` +
        `có: ${sets.map((s) => `${s.id} (${vnDate(s.from)} – ${s.to ? vnDate(s.to) : "nay"})`).join(", ")}.`,
    ]);
  return found;
}
