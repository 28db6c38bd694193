/** The awards a year's review meeting proposed, from its record, as the period review lists them. */
import { itemName, type AwardItem } from "../review/candidates";
import type { ReviewRecord } from "../review/record";
import type { YearAwards } from "../lock/locked-year";

export function yearAwards(record: ReviewRecord): YearAwards {
  return (Object.entries(record.result.awards) as [AwardItem, string[]][])
    .filter(([, schools]) => schools.length)
    .map(([item, schools]) => ({ name: itemName(item, record.year), schools }));
}
