/**
 * Each installable trigger's id and its creator, recorded when set-up makes
 * or finds the triggers, and who installed the pair serving the document
 * now. A trigger's event carries its id (docs/platform.md) and Google never
 * changes whose a trigger is, so onEditLog knows whose rights it has without
 * the two calls that ask Google, which every school's edit would otherwise
 * spend on the head's daily trigger minutes. flushPending always asks: a
 * dialog's google.script.run can call it with any argument.
 */
import * as v from "valibot";
import type { ClusterDefinition } from "../../core/definition/definition";
import { effectiveEmail, headEditors, ownerEmail, runsWithRightsOf } from "../context";
import { documentProperties } from "../google/store";

export const CREATORS_KEY = "trigger_id_cua";
/** Who installed the triggers that serve this document now (set-up writes it with the definition). */
export const INSTALLER_KEY = "trigger_cua";
/** Enough for every head a cluster has had for decades, two triggers each; older entries drop off first. */
const KEPT = 40;

const Email = v.pipe(v.string(), v.email());
const Creators = v.record(v.pipe(v.string(), v.maxLength(200)), Email);

/** Who installed the triggers serving this document, if anyone did; a forged entry reads as nobody. */
export function triggerInstaller(props?: Record<string, string>): string | undefined {
  const raw = (props ?? documentProperties())[INSTALLER_KEY];
  return raw && v.is(Email, raw) ? raw : undefined;
}

/** The recorded ids and creators; a record that fails its check reads as empty (Google is asked instead). */
export function triggerCreators(props: Record<string, string>): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(props[CREATORS_KEY] ?? "{}");
    return v.is(Creators, parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** The record with ids added for email, as a property value (the newest KEPT entries). */
export function recordCreators(props: Record<string, string>, ids: string[], email: string): string {
  const all = Object.entries(triggerCreators(props)).filter(([id]) => !ids.includes(id));
  return JSON.stringify(Object.fromEntries([...all, ...ids.map((id) => [id, email])].slice(-KEPT)));
}

/** A trigger run's rights from the id in its event; an id not recorded (a trigger older than the record) is left to Google. */
export function knowTriggerCreator(uid: unknown, props?: Record<string, string>): void {
  if (typeof uid !== "string") return;
  const creator = triggerCreators(props ?? documentProperties())[uid];
  if (creator) runsWithRightsOf(creator);
}

/**
 * Whether an installable trigger running now may act: it is of the pair
 * set-up installed last, and its creator (whose rights it runs with) holds
 * the head's rights in the live year. After "Mở năm mới" the old head's
 * triggers, which Google lets nobody else remove, keep firing; they do
 * nothing until their owner is head again and installs them anew. An
 * earlier head's pair, its creator head again in a later year while another
 * of that school's editors ran set-up, would otherwise log every edit twice.
 */
export function triggerActs(def: ClusterDefinition, ss: GoogleAppsScript.Spreadsheet.Spreadsheet): boolean {
  const creator = effectiveEmail();
  if (!creator) return false;
  const installer = triggerInstaller();
  if (installer && creator !== installer) return false;
  // The head's list first: it needs no call, and the owner's address does.
  return headEditors(def).includes(creator) || creator === ownerEmail(ss);
}
