import { describe, expect, it } from "vitest";
import { measureActions, measureCalls, measureYears } from "../fake-gas/measure";

describe("service calls", () => {
  it("Tổng hợp costs the same number of calls whatever the number of schools and targets", () => {
    const small = measureCalls(10, 7);
    const moreTargets = measureCalls(10, 60);
    const large = measureCalls(30, 40);
    expect(moreTargets.tongHop).toBe(small.tongHop);
    expect(large.tongHop).toBe(small.tongHop);
    // One read of the school sheets, one of the layout, one batchUpdate for sheets, chart and Nhật ký; the rest is
    // the prelude every menu action shares (user, owner, stored state, document lock, the alert).
    expect(small.tongHop).toBeLessThanOrEqual(17);
  });
  it("set-up costs the same whatever the number of schools and targets while its request stays under 2 MB", () => {
    const few = measureCalls(10, 7);
    const many = measureCalls(30, 60);
    expect(many.setup).toBe(few.setup);
    expect(few.setup).toBeLessThanOrEqual(30);
  });
});

describe("service calls of every menu action and trigger", () => {
  it("stay within 30 for the year's steps, whatever the size of the cluster", () => {
    const small = new Map(measureActions(10, 7));
    const large = new Map(measureActions(20, 40));
    for (const action of [
      "Thiết lập",
      "Tổng hợp",
      "Khóa số liệu cuối năm",
      "Tạo bản giao ước",
      "Tạo báo cáo tổng kết",
      "Ghi nhận ký giao ước",
      "Xác nhận (người nhập liệu)",
      "flushPending (sau một xác nhận)",
      "Xác nhận (trường Cụm trưởng)",
      "Mở lại số liệu của trường",
      "Mở khóa",
      "Kiểm tra toàn vẹn",
      "Kiểm tra cấu trúc",
      "Nhập từ Excel (một trường)",
      "onEdit (một ô)",
      "onEditLog (một ô)",
      "onEditLog (đánh dấu xác nhận)",
      "Kiểm tra số liệu",
    ]) {
      expect(small.get(action), action).toBeLessThanOrEqual(30);
      expect(large.get(action), action).toBe(small.get(action));
    }
    // Two whole years on the fake: minutes on a loaded machine. Calls are counted, never timed.
  }, 600_000);
});

describe("service calls of the actions across years", () => {
  it("stay within 30, the same at 20 × 40 as at 10 × 7", () => {
    const small = new Map(measureYears(10, 7).map((a) => [a.action, a.calls]));
    const large = new Map(measureYears(20, 40).map((a) => [a.action, a.calls]));
    for (const action of ["Mở năm mới", "Tổng kết giai đoạn", "Lịch sử cụm"]) {
      expect(small.get(action), action).toBeLessThanOrEqual(30);
      expect(large.get(action), action).toBe(small.get(action));
    }
    // Past 2 MB a write goes in parts, one call each (npm run bench prints 60 × 200).
  }, 600_000);
});
