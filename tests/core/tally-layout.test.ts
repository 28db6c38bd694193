import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/core/problem";
import { proposeCandidates, votedItems } from "../../src/core/review/candidates";
import { buildTallySheet, readTallySheet } from "../../src/core/sheets/tally-layout";
import type { CellValue } from "../../src/core/sheets/sheet-spec";
import { parseIsoDate } from "../../src/core/text/format";
import { meetingRules, sample2023 } from "../helpers/review";

const { def, ranking } = sample2023();
const rules = meetingRules();
const candidates = proposeCandidates(def, ranking, rules);
const changes = [
  {
    action: "remove" as const,
    item: "academyMerit" as const,
    school: "DNO",
    reason: "Trường xin rút",
  },
];

function sheet(): CellValue[][] {
  const spec = buildTallySheet(def, {
    date: parseIsoDate("2023-11-20")!,
    place: "Đắk Lắk",
    chair: "Nguyễn Thành Dũng",
    items: votedItems(rules),
    candidates,
    changes,
  });
  return spec.grid.map((r) => [...r]);
}

const rowOf = (grid: CellValue[][], first: unknown, third?: unknown) =>
  grid.findIndex((r) => r[0] === first && (third === undefined || r[2] === third));

describe("the vote-count sheet", () => {
  it("reads back what it was built with: the meeting, every item and candidate, the changes", () => {
    const grid = sheet();
    grid[rowOf(grid, "Thư ký")]![1] = "Trần Thị Thư Ký";
    grid[rowOf(grid, "Ban kiểm phiếu")]![1] = "Phan Văn Huệ;  Đặng Luận ";
    grid[rowOf(grid, "QNG")]![2] = "vắng";
    const { tally, changes: read, problems } = readTallySheet(def, grid, { file: "kiem-phieu.xlsx" });
    expect(problems).toEqual([]);
    expect(tally.meeting).toEqual({
      date: "2023-11-20",
      place: "Đắk Lắk",
      chair: "Nguyễn Thành Dũng",
      secretary: "Trần Thị Thư Ký",
      counters: ["Phan Văn Huệ", "Đặng Luận"],
      present: def.schools.map((s) => s.code).filter((c) => c !== "QNG"),
    });
    expect(tally.ballots.map((b) => b.item)).toEqual([
      "leader",
      "academyFlag",
      "govFlag",
      "academyMerit",
      "head",
      "deputy",
    ]);
    expect(tally.votes.map((v) => `${v.item}:${v.school}`).sort()).toEqual(
      candidates.map((c) => `${c.item}:${c.school}`).sort(),
    );
    expect(read).toEqual(changes);
  });
  const unreadableTitle =
    "names the cell of what cannot be read: a bad date, a presence that is neither Có nor " +
    "Vắng, a vote typed as words";
  it(unreadableTitle, () => {
    const grid = sheet();
    const date = rowOf(grid, "Ngày họp");
    grid[date]![1] = "31/02/2023";
    const gla = rowOf(grid, "GLA");
    grid[gla]![2] = "x";
    const vote = rowOf(grid, "DAN_DAU", "LDO");
    grid[vote]![5] = "tám";
    const { tally, problems } = readTallySheet(def, grid, { file: "kiem-phieu.xlsx" });
    const lines = problems.map((p) => formatProblem(p));
    expect(lines).toContain(
      `kiem-phieu.xlsx › Kiểm phiếu!B${date + 1}: Ngày họp "31/02/2023" không hợp lệ; ` +
        "hãy viết dạng ngày/tháng/năm, ví dụ 20/11/2023.",
    );
    expect(lines).toContain(
      `kiem-phieu.xlsx › Kiểm phiếu!C${gla + 1}: ` +
        'Cột "Có mặt" của Trường Chính trị tỉnh Gia Lai cần ghi "Có" hoặc "Vắng".',
    );
    expect(lines).toContain(
      `kiem-phieu.xlsx › Kiểm phiếu!B${rowOf(grid, "Thư ký") + 1}: Chưa ghi thư ký của Hội nghị.`,
    );
    expect(tally.votes.find((v) => v.item === "leader" && v.school === "LDO")!.votes).toEqual({
      value: null,
      raw: "tám",
      cell: `F${vote + 1}`,
    });
  });
  const dateCellTitle =
    "reads the meeting's date from a date cell, whether saved by Excel (UTC) or Google Sheets " +
    "(Vietnam's midnight)";
  it(dateCellTitle, () => {
    for (const cell of [new Date(Date.UTC(2023, 10, 20)), new Date(Date.UTC(2023, 10, 19, 17))]) {
      const grid = sheet();
      grid[rowOf(grid, "Ngày họp")]![1] = cell;
      expect(readTallySheet(def, grid).tally.meeting.date).toBe("2023-11-20");
    }
  });
  it("refuses a meeting dated before the year it reviews", () => {
    const grid = sheet();
    grid[rowOf(grid, "Ngày họp")]![1] = "20/11/2022";
    const tooEarlyHead = "Ngày họp 20/11/2022 ở trước năm thi đua 2023; ";
    const tooEarly = tooEarlyHead + "Hội nghị bình xét năm 2023 họp vào cuối năm 2023 hoặc sau đó.";
    expect(readTallySheet(def, grid).problems.map((p) => p.message)).toContain(tooEarly);
  });
});
