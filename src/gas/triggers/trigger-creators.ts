/**
 * Each installable trigger's id and its creator, recorded when set-up makes
 * or finds the triggers. A trigger's event carries its id (docs/platform.md)
 * and Google never changes whose a trigger is, so a run knows whose rights it
 * has without the two calls that ask Google, which every school's edit would
 * otherwise spend on the head's daily trigger minutes.
 */
import * as v from "valibot";
import { runsWithRightsOf } from "../context";
import { documentProperties } from "../google/store";

export const CREATORS_KEY = "trigger_id_cua";
/** Enough for every head a cluster has had for decades, two triggers each; older entries drop off first. */
const KEPT = 40;

const Creators = v.record(v.pipe(v.string(), v.maxLength(200)), v.pipe(v.string(), v.email()));

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
