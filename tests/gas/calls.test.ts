import { describe, expect, it } from "vitest";
import { measureActions, measureCalls } from "../fake-gas/measure";

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

describe("service calls of every menu action and trigger", () => {
  it("stay within 30 for the year's steps, whatever the size of the cluster", () => {
    const small = new Map(measureActions(10, 7));
    const large = new Map(measureActions(20, 40));
    for (const action of ["Tạo bản giao ước", "Tạo báo cáo tổng kết", "Ghi nhận ký giao ước", "Xác nhận (người nhập liệu)", "flushPending (sau một xác nhận)", "Xác nhận (trường Cụm trưởng)", "Mở lại số liệu của trường", "Mở khóa", "Kiểm tra toàn vẹn", "Kiểm tra cấu trúc", "Nhập từ Excel (một trường)", "onEdit (một ô)", "onEditLog (một ô)", "Kiểm tra số liệu"]) {
      expect(small.get(action), action).toBeLessThanOrEqual(30);
      expect(large.get(action), action).toBe(small.get(action));
    }
  });
});
