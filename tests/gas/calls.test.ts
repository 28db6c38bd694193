import { describe, expect, it } from "vitest";
import { measureCalls } from "../fake-gas/measure";

describe("service calls", () => {
  it("Tổng hợp costs the same number of calls whatever the number of schools and targets", () => {
    const small = measureCalls(10, 7);
    const moreTargets = measureCalls(10, 60);
    const large = measureCalls(30, 40);
    expect(moreTargets.tongHop).toBe(small.tongHop);
    // The only difference a larger cluster makes: the summary sheet grows its columns once.
    expect(large.tongHop - small.tongHop).toBeGreaterThanOrEqual(0);
    expect(large.tongHop - small.tongHop).toBeLessThanOrEqual(2);
    // One read for all schools and a fixed set of batched writes: about 140 calls in all.
    expect(small.tongHop).toBeLessThan(160);
  });
  it("set-up grows with the schools, not with the targets", () => {
    const few = measureCalls(10, 7);
    const many = measureCalls(10, 60);
    expect(many.setup).toBe(few.setup);
  });
});
