/**
 * The prelude every menu item shares, written once: the stored definition
 * (checked), the spreadsheet, who the user is, the head-only gate, the
 * document lock, and the one way a problem the user must act on reaches
 * them — a UserError becomes an alert with its Vietnamese message.
 */
import type { ClusterDefinition } from "../core/definition/definition";
import type { Actor } from "../core/lock/lifecycle";
import { UserError } from "../core/user-error";
import { actorOf, describeActor, holdsHeadRights, runsWithRightsOf, underDocumentLock } from "./context";
import { applyPending } from "./triggers/pending";
import { loadState, storedDefinition } from "./year/stored-state";
import { applyYearState } from "./year/status";

export interface MenuContext {
  ui: GoogleAppsScript.Base.Ui;
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet;
  def: ClusterDefinition;
  actor: Actor;
  /**
   * Runs fn under the document lock. With the head's rights, whatever
   * schools left waiting is applied first, so the head acts on the current
   * protections and a complete Nhật ký.
   */
  locked<T>(fn: () => T, waitMs?: number): T;
}

export interface MenuOptions {
  /** Set for the head school's actions: what may not be done, as "Chỉ trường Cụm trưởng …". */
  headOnly?: string;
  /**
   * Takes the document lock before reading anything, for an action that
   * does all its work under it: the stored definition and state are then
   * read once, where taking the lock later forgets them and reads them again.
   */
  lockFirst?: boolean;
}

export const NOT_SET_UP =
  "Bảng tính chưa được thiết lập. Trường Cụm trưởng hãy chọn Thi đua › Thiết lập / cập nhật bảng tính.";

export function requireDefinition(): ClusterDefinition {
  const def = storedDefinition();
  if (!def) throw new UserError(NOT_SET_UP);
  return def;
}

/** Shows a UserError as an alert; anything else is a fault and goes on to the execution log. */
export function alertingUserErrors(ui: GoogleAppsScript.Base.Ui, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    ui.alert(e.message);
  }
}

type Ui = GoogleAppsScript.Base.Ui;
type Call = (...args: unknown[]) => unknown;

/**
 * The user's Ui, with every alert that only informs (no question asked)
 * held back while the run holds the document lock and shown once it is
 * released: an alert suspends the script until the user closes it (Ui.alert
 * in docs/platform.md), and a head reading "Đã tạo …" would otherwise keep
 * every school's edit and tick waiting on the lock.
 */
function politeUi(ui: Ui, holding: () => boolean, later: (() => void)[]): Ui {
  const questions: unknown[] = [ui.ButtonSet.YES_NO, ui.ButtonSet.YES_NO_CANCEL, ui.ButtonSet.OK_CANCEL];
  const alert = (...args: unknown[]) => {
    if (!holding() || args.some((a) => questions.includes(a))) return (ui.alert as Call)(...args);
    later.push(() => (ui.alert as Call)(...args));
    return ui.Button.OK;
  };
  return {
    alert,
    prompt: (...args: unknown[]) => (ui.prompt as Call)(...args),
    showModalDialog: (...args: unknown[]) => (ui.showModalDialog as Call)(...args),
    Button: ui.Button,
    ButtonSet: ui.ButtonSet,
  } as unknown as Ui;
}

/** A menu handler with the shared prelude. */
export function menu(handler: (ctx: MenuContext) => void, options: MenuOptions = {}): () => void {
  return () => {
    const shown = SpreadsheetApp.getUi();
    const later: (() => void)[] = [];
    let holding = 0;
    const held =
      <T>(fn: () => T) =>
      (): T => {
        holding++;
        try {
          return fn();
        } finally {
          holding--;
        }
      };
    const ui = politeUi(shown, () => holding > 0, later);
    alertingUserErrors(shown, () => {
      try {
        main();
      } finally {
        // After the lock is released, in the order they were said; a refusal that ended the run comes after them.
        for (const show of later.splice(0)) show();
      }
    });
    function main() {
      const run = () => {
        const def = requireDefinition();
        const ss = SpreadsheetApp.getActiveSpreadsheet();
        const actor = actorOf(def, ss);
        runsWithRightsOf(actor.email);
        if (options.headOnly && !holdsHeadRights(actor))
          throw new UserError(`${options.headOnly} ${describeActor(def, actor)}.`);
        const pending = <T>(fn: () => T): T => {
          if (holdsHeadRights(actor)) applyPending(ss, () => applyYearState(ss, def, loadState(undefined, def)));
          return fn();
        };
        const locked = options.lockFirst
          ? pending
          : <T>(fn: () => T, waitMs?: number): T =>
              underDocumentLock(
                held(() => pending(fn)),
                waitMs,
              );
        handler({ ui, ss, def, actor, locked });
      };
      if (options.lockFirst) underDocumentLock(held(run));
      else run();
    }
  };
}
