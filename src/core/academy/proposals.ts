/**
 * The clusters' review meetings consolidated: who each cluster proposes for
 * each award, with the share of the vote it had, and the Government's flag
 * capped over the Academy's pool (gov-flag.ts). Records reach this module
 * already verified against their locked year by the adapter.
 */
import { itemName, type AwardItem } from "../review/candidates";
import { DEFAULT_RULE_SETS, paramLabel, ruleSetFor, type RuleParams, type RuleSet } from "../review/rules";
import { vnDay } from "../register/register";
import { capGovFlag, type FlagCap, type FlagProposal, type ProposedSchool } from "./gov-flag";
import { AcademyError } from "./academy-error";
import type { ClusterInput, ClusterLine } from "./rollup";

export interface AwardProposals {
  item: AwardItem;
  name: string;
  schools: ProposedSchool[];
}

export interface AcademyReview {
  /** ISO date the Academy's rules are taken on. */
  date: string;
  /** Where the date came from: the --ngay option, or the latest cluster meeting. */
  dateFrom: "given" | "meetings";
  /** The rule set in force on the date; the parameters the Academy applies that no source was seen for, by label. */
  ruleSet: { id: string; name: string; unconfirmed: string[] };
  /** Names of the clusters that sent no review record: no proposals, no leaders in the pool. */
  withoutRecord: string[];
  /** The clusters' leaders, the Academy's flag and the Director's certificate of merit, per cluster in order. */
  awards: AwardProposals[];
  govFlag: FlagCap;
}

/** The parameters the Academy applies; the others rule each cluster's own meeting. */
const ACADEMY_PARAMS: (keyof RuleParams)[] = ["govFlagMaxShare", "tieBreak"];

/** Items whose proposals are listed as the clusters decided them; the Government's flag is capped here. */
const LISTED: AwardItem[] = ["leader", "academyFlag", "academyMerit"];

/** A candidate for the Government's flag reached the vote: the cluster's own cap, if it applied one, does not bind. */
const REACHED = new Set(["passed", "overLimit", "tieLost", "tieUnresolved"]);

export function consolidateProposals(
  inputs: readonly ClusterInput[],
  clusters: readonly ClusterLine[],
  opts: { date?: string; ruleSets?: readonly RuleSet[] },
): AcademyReview {
  const withRecord = inputs.filter((i) => i.review);
  const meetings = withRecord.map((i) => ({ name: i.year.definition.name, date: i.review!.result.meeting.date }));
  const latest = meetings.reduce((a, b) => (b.date > a.date ? b : a));
  if (opts.date && opts.date < latest.date)
    throw new AcademyError(
      `Ngày xét của Học viện (${vnDay(opts.date)}) trước ngày họp bình xét của ${latest.name} ` +
        `(${vnDay(latest.date)}); hãy ghi ngày Hội đồng Học viện họp, sau mọi Hội nghị bình xét của các Cụm.`,
    );
  const date = opts.date ?? latest.date;
  const rules = ruleSetFor(date, opts.ruleSets ?? DEFAULT_RULE_SETS);

  const schoolName = (input: ClusterInput, code: string) =>
    input.year.definition.schools.find((s) => s.code === code)?.name ?? code;
  const proposed = (input: ClusterInput, item: AwardItem, keep: (outcome: string) => boolean): ProposedSchool[] => {
    const found = input.review!.result.items.find((i) => i.item === item);
    if (!found) return [];
    return found.candidates
      .filter((c) => keep(c.outcome))
      .map((c) => ({
        cluster: input.year.definition.id,
        clusterName: input.year.definition.name,
        school: c.school,
        schoolName: schoolName(input, c.school),
        votes: c.votes,
        base: found.base,
        share: c.share,
      }));
  };

  const awards = LISTED.map((item) => ({
    item,
    name: itemName(item, inputs[0]!.year.definition.year),
    schools: withRecord.flatMap((input) => proposed(input, item, (o) => o === "passed")),
  }));

  const flagProposals: FlagProposal[] = withRecord.flatMap((input) =>
    proposed(input, "govFlag", (o) => REACHED.has(o)).map((p) => {
      const r = input.year.verdict.ranking.ranked.find((x) => x.school === p.school);
      return { ...p, score: r?.total ?? 0, maxScore: r?.max ?? 0 };
    }),
  );
  const pool = withRecord.reduce((n, input) => n + input.review!.result.leaders.length, 0);
  const govFlag = capGovFlag(flagProposals, pool, rules);

  return {
    date,
    dateFrom: opts.date ? "given" : "meetings",
    ruleSet: {
      id: rules.id,
      name: rules.name,
      unconfirmed: ACADEMY_PARAMS.filter((k) => rules.params[k].unconfirmed).map(paramLabel),
    },
    withoutRecord: clusters
      .filter((c) => !inputs.find((i) => i.year.definition.id === c.id)?.review)
      .map((c) => c.name),
    awards,
    govFlag,
  };
}
