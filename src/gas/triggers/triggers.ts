/**
 * Edits. onEdit is the simple trigger: it runs without authorization for
 * whoever typed, and marks a bad figure at once (note and colour, cleared
 * when fixed), pasted blocks included. onEditLog is the installable edit
 * trigger (made by set-up, runs as the head school): it writes every change
 * of a figure to Nhật ký, refreshes the school's status block and reads its
 * checkbox (./tick.ts).
 */
import { CONFIG_SHEET } from "../../core/sheets/config-layout";
import type { ClusterDefinition, School } from "../../core/definition/definition";
import { COL, SCHOOL_HEADERS } from "../../core/sheets/school-layout";
import { a1, parseA1, type CellBlock } from "../../core/problem";
import { cellText } from "../../core/figures/parse";
import { checkFigure, findTarget } from "../../core/figures/validate";
import { appendAudit, type AuditEntry } from "./audit";
import { newWriteId } from "../google/write-id";
import { schoolOfSheet } from "../context";
import { applyPendingNow } from "./pending";
import { knowTriggerCreator, triggerActs } from "./trigger-creators";
import { afterSchoolEdit } from "./tick";
import { UserError } from "../../core/user-error";
import { storedDefinition } from "../year/stored-state";

export const BAD_FILL = "#F4CCCC";
export const INPUT_FILL = "#FFFDE7";
const FIRST_FIGURE_COL = COL.registered + 1;
const LAST_FIGURE_COL = COL.achieved + 1;

type EditEvent = GoogleAppsScript.Events.SheetsOnEdit;

function definitionOrNothing(): ClusterDefinition | undefined {
  try {
    return storedDefinition();
  } catch {
    return undefined;
  }
}

export function onEdit(e: EditEvent): void {
  const range = e.range;
  const col0 = range.getColumn();
  const cols = range.getNumColumns();
  // Only the figure cells the user just edited are marked: a simple trigger runs as that user, and Google refuses a
  // write touching any cell they may not edit (Đăng ký after the pledge), so marking a wider block would fail.
  const from = Math.max(col0, FIRST_FIGURE_COL);
  const to = Math.min(col0 + cols - 1, LAST_FIGURE_COL);
  if (from > to) return;
  const sheet = range.getSheet();
  const def = definitionOrNothing();
  if (!def) return;
  if (!schoolOfSheet(def, sheet.getName())) return;

  const row0 = range.getRow();
  const rows = range.getNumRows();
  const fields = (["registered", "achieved"] as const).filter((f) => COL[f] + 1 >= from && COL[f] + 1 <= to);
  // One read of the touched rows (codes and figures), one write each for notes and colours.
  const block = sheet.getRange(row0, 1, rows, SCHOOL_HEADERS.length).getValues();
  const notes: string[][] = [];
  const fills: (string | null)[][] = [];
  let touched = false;
  block.forEach((row) => {
    const target = findTarget(def, cellText(row[COL.code]));
    const n: string[] = [];
    const f: (string | null)[] = [];
    for (const field of fields) {
      if (!target) {
        n.push("");
        f.push(null);
        continue;
      }
      touched = true;
      const checked = checkFigure(target, field, { value: row[COL[field]], percentFormatted: true });
      n.push("message" in checked ? checked.message : "");
      f.push("message" in checked ? BAD_FILL : INPUT_FILL);
    }
    notes.push(n);
    fills.push(f);
  });
  if (!touched) return;
  try {
    const figures = sheet.getRange(row0, from, rows, to - from + 1);
    figures.setNotes(notes);
    figures.setBackgrounds(fills as string[][]);
  } catch {
    // A simple trigger has nobody to report to but the person editing: say it rather than fail unseen.
    e.source.toast(
      `Không đánh dấu được ô vừa sửa trên trang "${sheet.getName()}". Hãy chọn Thi đua › Kiểm tra số liệu để xem số liệu có lỗi không.`,
      "Thi đua",
      10,
    );
  }
}

/** The edited cells, 0-based, and their address: one call where the address says it all (every school's edit runs this). */
interface EditedBlock extends CellBlock {
  address: string;
}

function editedBlock(range: GoogleAppsScript.Spreadsheet.Range): EditedBlock {
  const address = range.getA1Notation();
  return {
    address,
    ...(parseA1(address) ?? {
      row: range.getRow() - 1,
      col: range.getColumn() - 1,
      rows: range.getNumRows(),
      cols: range.getNumColumns(),
    }),
  };
}

/** Installable edit trigger: every change in a school's sheet or in Cấu hình goes to Nhật ký. */
export function onEditLog(e: EditEvent): void {
  const range = e.range;
  const sheet = range.getSheet();
  const name = sheet.getName();
  const def = definitionOrNothing();
  if (!def || (!schoolOfSheet(def, name) && name !== CONFIG_SHEET)) return;
  knowTriggerCreator(e.triggerUid);
  // A trigger of last year's head: the new head's own trigger logs this edit.
  if (!triggerActs(def, e.source)) return;
  const who = (e.user && e.user.getEmail()) || "(không rõ)";
  const block = editedBlock(range);
  const entries: AuditEntry[] = [];
  if (block.rows === 1 && block.cols === 1) {
    entries.push({
      action: "Sửa ô",
      who,
      sheet: name,
      cell: block.address,
      oldValue: e.oldValue,
      newValue: e.value === undefined ? range.getValue() : e.value,
    });
  } else {
    // A paste or a fill: Sheets gives no old values, so each new value is logged and the gap said.
    const values = range.getValues();
    values.forEach((r, i) =>
      r.forEach((v, j) =>
        entries.push({
          action: "Dán / điền nhiều ô",
          who,
          sheet: name,
          cell: a1(block.row + i, block.col + j),
          newValue: v,
          detail: `Vùng ${block.address}; Google Sheets không cho biết giá trị cũ khi dán nhiều ô.`,
        }),
      ),
    );
  }
  // With the head's rights and the document at hand, what schools left waiting is applied first, in the
  // order things happened (an add-on has no other trigger for it).
  applyPendingNow(e.source, def);
  // Identities first: rows that went out with the block and are sent again below are recognised, never doubled.
  const logged = entries.map((x) => ({ ...x, id: newWriteId() }));
  const school = schoolOfSheet(def, name);
  const { left, mayHaveLanded } = school
    ? statusAfterEdit(e, block, def, school, logged)
    : { left: logged, mayHaveLanded: false };
  // No lock needed: Google appends after the last row in one step, even while another run writes Nhật ký.
  appendAudit(e.source, left, new Date(), { checkFirst: mayHaveLanded });
}

/**
 * The school's block after its edit, with the edit's rows when they can go in the same write (./tick.ts); `left` is
 * still to append. A busy document or a refused write leaves the block to the next edit or action (the edit is
 * logged all the same: its rows, which a write Google answered with an error may still have landed, are checked
 * by identity first), and a tick it could not weigh is unticked with the reason.
 */
function statusAfterEdit(
  e: EditEvent,
  block: CellBlock,
  def: ClusterDefinition,
  school: School,
  rows: AuditEntry[],
): { left: AuditEntry[]; mayHaveLanded: boolean } {
  try {
    return { left: afterSchoolEdit(e, block, def, school, rows), mayHaveLanded: false };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    // Nobody to tell in a trigger: the execution log keeps it for the head.
    console.error(err.message);
    return { left: rows, mayHaveLanded: true };
  }
}
