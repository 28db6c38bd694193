/**
 * Opening a year from the last: the targets, scoring, documents and groups
 * carry over; the member list comes from the register (schools that merged
 * away give way to their successors, new members join); the head and
 * deputies come from the review meeting, a named head, or the rotation rule.
 */
import type { ClusterDefinition, School } from "../definition/definition";
import type { RuleSet } from "../review/rules";
import { parseIsoDate } from "../text/format";
import { findCluster, mergeOf, membersInYear, nameOn, vnDay, yearStart, type ClusterRegister } from "./register";
import { yearContext, YearContextError } from "./year-context";

/** The review meeting's choice for the coming year. */
export interface HeadChoice {
  nextHead: string;
  nextDeputies?: string[];
}

export interface NewYear {
  definition: ClusterDefinition;
  /** What changed, one Vietnamese sentence each, for the person who opens the year. */
  changes: string[];
  /** What the year context gave on the signing day (members, posts, law, place), one sentence each. */
  taken: string[];
}

export class NewYearError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NewYearError";
  }
}

/** The head after `previousHead` in the rotation order among this year's members, and the deputies after it. */
export function rotate(
  reg: ClusterRegister,
  clusterId: string,
  members: string[],
  previousHead: string | undefined,
  deputies: number,
): HeadChoice {
  const cluster = findCluster(reg, clusterId)!;
  const listed = cluster.rotation.order;
  const order = [...listed, ...reg.schools.map((s) => s.id).filter((id) => !listed.includes(id))];
  const isMember = new Set(members);
  const start = previousHead ? order.indexOf(previousHead) : -1;
  const after: string[] = [];
  for (let k = 1; k <= order.length; k++) {
    const id = order[(start + k + order.length) % order.length]!;
    if (isMember.has(id) && !after.includes(id)) after.push(id);
  }
  return { nextHead: after[0]!, nextDeputies: after.slice(1, 1 + deputies) };
}

/** The next year's definition id: the year in the id replaced, or added. */
/** Last year's definition moved to the new year with its new members: id, year and signing day; the rest kept. */
export function openedYear(
  prev: ClusterDefinition,
  year: number,
  schools: ClusterDefinition["schools"],
): ClusterDefinition {
  return {
    ...prev,
    id: nextId(prev, year),
    year,
    signing: { ...prev.signing, date: prev.signing.date.replace(/^\d{4}/, String(year)) },
    schools,
  };
}

export function nextId(def: ClusterDefinition, year: number): string {
  return /-\d{4}$/.test(def.id) ? def.id.replace(/-\d{4}$/, `-${year}`) : `${def.id}-${year}`;
}

export function openNewYear(
  prev: ClusterDefinition,
  reg: ClusterRegister,
  year: number,
  choice?: HeadChoice,
  ruleSets?: readonly RuleSet[],
): NewYear {
  if (!prev.register)
    throw new NewYearError(
      `Định nghĩa năm ${prev.year} chưa ghi mã cụm trong sổ đăng ký (mục "register"), nên chưa ` +
        `biết thành viên năm ${year}.`,
    );
  const cluster = findCluster(reg, prev.register);
  if (!cluster) throw new NewYearError(`Cụm "${prev.register}" không có trong sổ đăng ký.`);
  if (year <= prev.year) throw new NewYearError(`Năm mới (${year}) phải sau năm của định nghĩa cũ (${prev.year}).`);
  if (year > prev.year + 1)
    throw new NewYearError(
      `Năm mới (${year}) không liền sau năm ${prev.year} của định nghĩa cũ: năm ${prev.year + 1} bị bỏ qua, ` +
        `cùng Cụm trưởng, giao ước và bình xét của năm đó. Hãy mở năm ${prev.year + 1} trước, rồi mở năm ` +
        `${year} từ định nghĩa năm ${prev.year + 1}.`,
    );
  const members = membersInYear(reg, cluster.id, year);
  if (!members.length)
    throw new NewYearError(`Sổ đăng ký không có trường nào là thành viên ${cluster.name} năm ${year}.`);
  const ids = members.map((m) => m.school);
  const changes: string[] = [];

  const oldHead = prev.schools.find((s) => s.role === "head")?.code;
  const deputyCount = cluster.rotation.deputies;
  let chosen: HeadChoice;
  let how: string;
  const recordedHead = members.find((m) => m.role === "head")?.school;
  if (recordedHead) {
    // The register already records this year's roles: they win, and a different choice is a mistake to fix first.
    const recorded = {
      nextHead: recordedHead,
      nextDeputies: members.filter((m) => m.role === "deputy").map((m) => m.school),
    };
    if (
      choice &&
      (choice.nextHead !== recorded.nextHead ||
        (choice.nextDeputies && choice.nextDeputies.join() !== recorded.nextDeputies.join()))
    )
      throw new NewYearError(
        `Sổ đăng ký đã ghi Cụm trưởng năm ${year} ` +
          `là ${recordedHead}${recorded.nextDeputies.length ? `, Cụm phó ${recorded.nextDeputies.join(", ")}` : ""}; ` +
          `lựa chọn ${choice.nextHead} khác sổ. Hãy sửa vai trò (roles) trong sổ đăng ký ` +
          `trước.`,
      );
    chosen = recorded;
    how = "theo sổ đăng ký";
  } else if (choice) {
    for (const id of [choice.nextHead, ...(choice.nextDeputies ?? [])])
      if (!ids.includes(id))
        throw new NewYearError(
          `Trường "${id}" được chọn làm Cụm trưởng/Cụm phó nhưng không là thành viên cụm ` +
            `năm ${year}. Các thành viên: ${ids.join(", ")}.`,
        );
    const rest = rotate(
      reg,
      cluster.id,
      ids.filter((id) => id !== choice.nextHead),
      choice.nextHead,
      deputyCount,
    );
    chosen = { nextHead: choice.nextHead, nextDeputies: choice.nextDeputies ?? rest.nextDeputies };
    how = choice.nextDeputies ? "theo kết quả bình xét" : "theo lựa chọn Cụm trưởng; Cụm phó theo thứ tự luân phiên";
  } else {
    chosen = rotate(reg, cluster.id, ids, oldHead, deputyCount);
    how = "theo thứ tự luân phiên trong sổ đăng ký";
  }

  const previous = new Map(prev.schools.map((s) => [s.code, s]));
  const start = yearStart(year);
  const schools: School[] = members.map((m) => {
    const day = m.from > start ? m.from : start;
    const { name, province } = nameOn(reg, m.school, day);
    const role = m.school === chosen.nextHead ? "head" : chosen.nextDeputies?.includes(m.school) ? "deputy" : "member";
    const old = previous.get(m.school);
    if (!old) {
      changes.push(
        `${name} (${m.school}) vào cụm${m.from > start ? ` từ ${vnDay(m.from)}` : ""}: cần khai hiệu ` +
          `trưởng và e-mail người nhập liệu.`,
      );
      return { code: m.school, name, province, role, principal: { name: "", title: "Hiệu trưởng" }, editors: [] };
    }
    if (old.name !== name) changes.push(`${old.name} (${m.school}) nay mang tên ${name}.`);
    return { ...old, name, province, role };
  });
  for (const old of prev.schools) {
    if (ids.includes(old.code)) continue;
    const merge = mergeOf(reg, old.code);
    if (merge && merge.date <= `${year}-12-31`) {
      const into = nameOn(reg, merge.successor, merge.date).name;
      const inCluster = ids.includes(merge.successor);
      changes.push(
        `${old.name} (${old.code}) đã sáp nhập vào ${into} (${merge.successor}) ` +
          `từ ${vnDay(merge.date)}${inCluster ? "" : ", trường này không thuộc cụm năm " + year}; ` +
          `e-mail người nhập liệu của ${old.code} không được chuyển sang, hãy khai lại ` +
          `nếu cần.`,
      );
    } else changes.push(`${old.name} (${old.code}) không còn là thành viên cụm năm ${year} theo sổ đăng ký.`);
  }
  const roleName = (id: string) => schools.find((s) => s.code === id)?.name ?? id;
  changes.push(
    `Cụm trưởng năm ${year}: ${roleName(chosen.nextHead)} (${how}); ` +
      `năm ${prev.year}: ${(oldHead && previous.get(oldHead)?.name) ?? "chưa có"}.`,
  );
  if (chosen.nextDeputies?.length) changes.push(`Cụm phó: ${chosen.nextDeputies.map(roleName).join(", ")}.`);
  if (!recordedHead) {
    const deputies = chosen.nextDeputies?.length ? ` và "deputy" cho ${chosen.nextDeputies.join(", ")}` : "";
    changes.push(
      `Sổ đăng ký chưa ghi vai trò năm ${year}: khi Cụm thống nhất, hãy ghi "roles": {"${year}": "head"} ` +
        `cho ${chosen.nextHead}${deputies} trong các dòng thành viên.`,
    );
  }

  const { definition, taken, changed } = onSigningDay(prev, openedYear(prev, year, schools), reg, ruleSets);
  changes.push(...changed);
  changes.push(
    `Giữ nguyên ${prev.targets.length} chỉ tiêu, cách chấm điểm, nhóm chỉ tiêu và nội dung ` +
      `văn bản; chủ đề thi đua và ngày ký (${vnDay(definition.signing.date)}) lấy theo năm trước, hãy sửa nếu Cụm quyết định khác.`,
  );
  return { definition, changes, taken };
}

/**
 * The opened year's law in force and place of signing, those of its signing day and never last year's, from the
 * year context; what changed from `prev` is said one sentence each. Shared with years/carry-over.ts.
 */
export function onSigningDay(
  prev: ClusterDefinition,
  opened: ClusterDefinition,
  reg: ClusterRegister | undefined,
  ruleSets: readonly RuleSet[] | undefined,
): { definition: ClusterDefinition; taken: string[]; changed: string[] } {
  const signing = opened.signing.date;
  let context;
  try {
    const day = parseIsoDate(signing) ? signing : yearStart(opened.year);
    context = yearContext({ definition: opened, register: reg, date: day, ruleSets });
  } catch (e) {
    if (e instanceof YearContextError) throw new NewYearError(e.message);
    throw e;
  }
  const definition: ClusterDefinition = {
    ...opened,
    legalBases: context.legalBases,
    signing: { place: context.place, date: signing },
  };
  const changed: string[] = [];
  if (prev.signing.place !== context.place)
    changed.push(`Nơi ký: ${context.place} (năm ${prev.year}: ${prev.signing.place}), tỉnh của trường Cụm trưởng.`);
  const dropped = prev.legalBases.filter((b) => !context.legalBases.includes(b));
  const added = context.legalBases.filter((b) => !prev.legalBases.includes(b));
  if (dropped.length || added.length)
    changed.push(
      `Căn cứ pháp lý theo văn bản áp dụng ngày ${vnDay(signing)} (${context.rules.name}): ` +
        `${added.length ? `thêm “${added.join("”; “")}”` : ""}${added.length && dropped.length ? "; " : ""}` +
        `${dropped.length ? `bỏ “${dropped.join("”; “")}”` : ""}.`,
    );
  return { definition, taken: context.taken, changed };
}
