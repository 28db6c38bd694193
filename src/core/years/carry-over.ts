/**
 * The next year of a cluster that keeps no register (the 2020 sample, a
 * cluster not yet entered in one): the same members carry over, figures
 * start blank, and the head and deputies are the review meeting's choice,
 * the head's answer, or the schools after this year's head in the order of
 * Cấu hình. With a register, register/new-year.ts decides instead. The law
 * in force and the place of signing are the new signing day's, as there.
 */
import type { ClusterDefinition, School } from "../definition/definition";
import { NewYearError, onSigningDay, openedYear, type HeadChoice, type NewYear } from "../register/new-year";
import { vnDay } from "../register/register";

export function carryOverYear(prev: ClusterDefinition, year: number, choice?: HeadChoice): NewYear {
  if (year !== prev.year + 1) throw new NewYearError(`Năm mới phải là năm ${prev.year + 1}.`);
  const codes = prev.schools.map((s) => s.code);
  for (const code of [choice?.nextHead, ...(choice?.nextDeputies ?? [])])
    if (code !== undefined && !codes.includes(code))
      throw new NewYearError(
        `Trường "${code}" được chọn làm Cụm trưởng/Cụm phó nhưng không có trong Cấu hình năm ${prev.year}. Các mã: ${codes.join(", ")}.`,
      );
  const oldHead = prev.schools.findIndex((s) => s.role === "head");
  const after = (from: number) => codes.map((_, k) => codes[(from + 1 + k) % codes.length]!);
  const deputyCount = prev.schools.filter((s) => s.role === "deputy").length;
  const head = choice?.nextHead ?? after(oldHead)[0]!;
  const deputies =
    choice?.nextDeputies ??
    after(codes.indexOf(head))
      .filter((c) => c !== head)
      .slice(0, deputyCount);
  const how = choice
    ? choice.nextDeputies
      ? "theo kết quả bình xét"
      : "theo lựa chọn Cụm trưởng"
    : "theo thứ tự trên trang Cấu hình";
  const schools: School[] = prev.schools.map((s) => ({
    ...s,
    role: s.code === head ? "head" : deputies.includes(s.code) ? "deputy" : "member",
  }));
  const name = (code: string) => prev.schools.find((s) => s.code === code)!.name;
  const opened = openedYear(prev, year, schools);
  const changes = [
    `Cụm chưa có sổ đăng ký: giữ nguyên ${codes.length} trường thành viên năm ${prev.year}.`,
    `Cụm trưởng năm ${year}: ${name(head)} (${how}); năm ${prev.year}: ${oldHead >= 0 ? prev.schools[oldHead]!.name : "chưa có"}.`,
    ...(deputies.length ? [`Cụm phó: ${deputies.map(name).join(", ")}.`] : []),
  ];
  const { definition, taken, changed } = onSigningDay(prev, opened, undefined, undefined);
  changes.push(...changed);
  changes.push(
    `Giữ nguyên ${prev.targets.length} chỉ tiêu, cách chấm điểm, nhóm chỉ tiêu và nội dung văn bản; ngày ký ${vnDay(opened.signing.date)}, hãy sửa nếu Cụm quyết định khác.`,
  );
  return { definition, changes, taken };
}
