/**
 * A cluster total in words or as one cell: the one place a total becomes
 * text, for the sheets, the documents and the terminal alike.
 */
import type { CellValue } from "../sheets/sheet-spec";
import { figureToCell } from "../sheets/school-layout";
import type { Aggregate, TargetSummary } from "./aggregate";
import { formatFigure } from "./parse";

/** Shown where a total has nothing to count yet. */
export const NO_TOTAL = "—";

/** The cluster figure as one cell: a number where it is one, else a short text. */
export function aggregateCell(ts: TargetSummary, a: Aggregate): CellValue {
  switch (a.method) {
    case "sum":
      return a.of ? a.sum : null;
    case "mean":
      return a.mean === null ? null : figureToCell(ts.target, a.mean);
    case "countYes":
      return a.of ? `${a.yes}/${a.of} Đạt` : null;
    case "distribution":
      return a.of
        ? Object.entries(a.counts)
            .map(([k, n]) => `${k}: ${n}`)
            .join("; ")
        : null;
  }
}

/**
 * Text for people: "19.082", "95,5 % (thấp nhất 90 %, cao nhất 100 %)", "8/10 Đạt".
 * A table cell too narrow for the spread of a mean asks for it without (withRange false).
 */
export function formatAggregate(ts: TargetSummary, a: Aggregate, withRange = true): string {
  switch (a.method) {
    case "sum":
      return a.of ? formatFigure(ts.target, a.sum) : NO_TOTAL;
    case "mean":
      if (a.mean === null) return NO_TOTAL;
      return withRange
        ? `${formatFigure(ts.target, a.mean)} (thấp nhất ${formatFigure(ts.target, a.min)}, cao ` +
            `nhất ${formatFigure(ts.target, a.max)})`
        : formatFigure(ts.target, a.mean);
    default: {
      const cell = aggregateCell(ts, a);
      return cell === null ? NO_TOTAL : String(cell);
    }
  }
}
