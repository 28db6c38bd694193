/**
 * A deep copy of a whole fake environment — spreadsheet, properties,
 * triggers, Drive — so a table of tests can start each case from the same
 * stage without replaying set-up. Objects keep their classes and shared
 * references stay shared; the call-counting proxies are rebuilt on demand.
 */
import type { FakeEnv } from "./env";

export function cloneEnv(env: FakeEnv): FakeEnv {
  const seen = new Map<object, object>();
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    const done = seen.get(v);
    if (done) return done;
    if (v instanceof Date) return new Date(v.getTime());
    if (v instanceof WeakMap) return new WeakMap();
    if (v instanceof Map) {
      const m = new Map();
      seen.set(v, m);
      for (const [k, x] of v) m.set(copy(k), copy(x));
      return m;
    }
    if (v instanceof Set) {
      const s = new Set();
      seen.set(v, s);
      for (const x of v) s.add(copy(x));
      return s;
    }
    if (Array.isArray(v)) {
      const a: unknown[] = [];
      seen.set(v, a);
      v.forEach((x, i) => (a[i] = copy(x)));
      return a;
    }
    // An env seen through another spreadsheet inherits from its env: the copy inherits from the env's copy.
    const proto = Object.getPrototypeOf(v) as object | null;
    const o = Object.create(proto && seen.has(proto) ? seen.get(proto)! : proto) as Record<PropertyKey, unknown>;
    seen.set(v, o);
    for (const k of Reflect.ownKeys(v)) o[k] = copy((v as Record<PropertyKey, unknown>)[k]);
    return o;
  };
  return copy(env) as FakeEnv;
}
