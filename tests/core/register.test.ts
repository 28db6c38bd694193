import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as v from "valibot";
import { definitionRegisterProblems } from "../../src/core/register/definition-check";
import { openNewYear } from "../../src/core/register/new-year";
import { ProvinceMappingSchema } from "../../src/core/register/provinces";
import {
  checkRegister,
  mergesAgainstProvinces,
  loadRegisterJson,
  membersInYear,
  nameOn,
  registerEvents,
  successorOn,
  type ClusterRegister,
} from "../../src/core/register/register";
import { ROOT, sampleDefinition } from "../helpers/samples";

const registerText = () =>
  readFileSync(join(ROOT, "sheets-templates", "register", "nam-trung-bo-tay-nguyen.json"), "utf8");
const register = (): ClusterRegister => loadRegisterJson(registerText());
const mapping = () =>
  v.parse(
    ProvinceMappingSchema,
    JSON.parse(readFileSync(join(ROOT, "sheets-templates", "register", "sap-nhap-tinh-2025.json"), "utf8")),
  );
const C = "nam-trung-bo-tay-nguyen";

describe("the 2025 province mapping", () => {
  it("has 63 provinces before and 34 after, each old province once", () => {
    const m = mapping();
    const old = [...m.unchanged, ...m.merged.flatMap((x) => x.from)];
    expect(new Set(old).size).toBe(63);
    expect(m.unchanged.length + m.merged.length).toBe(34);
    expect(m.effective).toBe("2025-07-01");
  });
  it("agrees with the register's school merges, and catches a merge into the wrong province", () => {
    const reg = register();
    expect(mergesAgainstProvinces(reg, mapping())).toEqual([]);
    const wrong = { ...reg, merges: reg.merges.map((m) => (m.successor === "QNG" ? { ...m, successor: "GLA" } : m)) };
    expect(mergesAgainstProvinces(wrong, mapping())).toEqual([
      expect.stringContaining("tỉnh Kon Tum hợp vào Quảng Ngãi, không phải Gia Lai"),
    ]);
  });
});

describe("the cluster register", () => {
  it("defaults the 2025 merger date to 01/7/2025", () => {
    expect(register().merges.every((m) => m.date === "2025-07-01")).toBe(true);
  });
  it("puts 30/6/2025 before the merge and 01/7/2025 after it", () => {
    const reg = register();
    expect(successorOn(reg, "KTU", "2025-06-30")).toBe("KTU");
    expect(successorOn(reg, "KTU", "2025-07-01")).toBe("QNG");
    expect(nameOn(reg, "KTU", "2025-06-30").name).toBe("Trường Chính trị tỉnh Kon Tum");
    const members = (day: string) =>
      membersInYear(reg, C, 2025)
        .filter((m) => m.from <= day && (!m.to || m.to >= day))
        .map((m) => m.school);
    expect(members("2025-06-30")).toContain("KTU");
    expect(members("2025-07-01")).not.toContain("KTU");
    expect(members("2025-07-01")).toContain("QNG");
  });
  it("counts a school that merged mid-year as a member of that year only", () => {
    const reg = register();
    expect(membersInYear(reg, C, 2025).map((m) => m.school)).toContain("KTU");
    expect(
      membersInYear(reg, C, 2026)
        .map((m) => m.school)
        .sort(),
    ).toEqual(["DLK", "DNG", "GLA", "KHH", "LDO", "QNG"]);
  });
  it("derives joins, leaves and merges as events", () => {
    const events = registerEvents(register());
    expect(events).toContainEqual({ kind: "leave", date: "2025-06-30", school: "KTU", cluster: C, detail: "" });
    expect(events).toContainEqual({ kind: "merge", date: "2025-07-01", school: "KTU", detail: "QNG" });
    expect(events).toContainEqual({ kind: "join", date: "2026-01-01", school: "DNG", cluster: C, detail: "" });
  });
  it("refuses a membership that lasts past the school's merge, in Vietnamese", () => {
    const raw = JSON.parse(registerText());
    raw.memberships.find((m: { school: string }) => m.school === "KTU").to = "2025-12-31";
    const r = checkRegister(raw);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.join("\n")).toMatch(
        new RegExp(
          /KTU trong cụm nam-trung-bo-tay-nguyen.*đã sáp nhập từ 01\/07\/2025; /.source +
            /ngày kết thúc \(to\) không được sau 30\/06\/2025/.source,
        ),
      );
  });
  it("refuses a bad date and an unknown school", () => {
    const raw = JSON.parse(registerText());
    raw.merges[0].date = "2025-02-30";
    raw.memberships[0].school = "XYZ";
    const r = checkRegister(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join("\n")).toMatch(/merges\[0\]\.date.*2025-02-30.*năm-tháng-ngày/);
    const raw2 = JSON.parse(registerText());
    raw2.memberships[0].school = "XYZ";
    const r2 = checkRegister(raw2);
    if (!r2.ok) expect(r2.problems.join("\n")).toMatch(/trường "XYZ" không có trong danh sách trường/);
    else throw new Error("accepted an unknown school");
  });
});

describe("a yearly definition against the register", () => {
  it("accepts the 2023 sample", () => {
    expect(definitionRegisterProblems(sampleDefinition(), register())).toEqual([]);
  });
  it("refuses a school that is not a member that year, naming it", () => {
    const def = { ...sampleDefinition(), year: 2026 };
    const problems = definitionRegisterProblems(def, register());
    const ktu = /Trường Chính trị tỉnh Kon Tum, mã KTU\): /.source;
    const notMember = new RegExp(ktu + /trường không là thành viên .* năm 2026 theo sổ đăng ký/.source);
    expect(problems).toContainEqual(expect.stringMatching(notMember));
    const missingDng = /thiếu Trường Chính trị thành phố Đà Nẵng \(mã DNG\)/;
    expect(problems).toContainEqual(expect.stringMatching(missingDng));
  });
  it("refuses a head the register does not record", () => {
    const def = sampleDefinition();
    const swapped = {
      ...def,
      schools: def.schools.map((s) =>
        s.code === "DLK" ? { ...s, role: "member" as const } : s.code === "QNA" ? { ...s, role: "head" as const } : s,
      ),
    };
    expect(definitionRegisterProblems(swapped, register()).join("\n")).toMatch(
      /sổ đăng ký ghi năm 2023 trường là Cụm trưởng, định nghĩa ghi thành viên/,
    );
  });
});

describe("opening a new year", () => {
  it("2026 from 2025: the members are the successors, with the head by rotation", () => {
    const reg = register();
    const y2024 = openNewYear(sampleDefinition(), reg, 2024).definition;
    const y2025 = openNewYear(y2024, reg, 2025).definition;
    expect(y2025.schools.map((s) => s.code)).toContain("KTU");
    const { definition, changes } = openNewYear(y2025, reg, 2026);
    expect(definition.year).toBe(2026);
    expect(definition.id).toBe("nam-trung-bo-tay-nguyen-2026");
    expect(definition.schools.map((s) => s.code).sort()).toEqual(["DLK", "DNG", "GLA", "KHH", "LDO", "QNG"]);
    expect(definitionRegisterProblems(definition, reg)).toEqual([]);
    expect(definition.targets).toEqual(y2025.targets);
    expect(definition.documents).toEqual(y2025.documents);
    expect(definition.schools.find((s) => s.role === "head")!.code).toBe("GLA");
    expect(changes.join("\n")).toMatch(
      /Kon Tum \(KTU\) đã sáp nhập vào Trường Chính trị tỉnh Quảng Ngãi \(QNG\) từ 01\/07\/2025/,
    );
    expect(changes.join("\n")).toMatch(/Đà Nẵng \(DNG\) vào cụm/);
    expect(changes.join("\n")).toContain(
      'Sổ đăng ký chưa ghi vai trò năm 2026: khi Cụm thống nhất, hãy ghi "roles": ' +
        '{"2026": "head"} cho GLA và "deputy" cho QNG, DNG',
    );
  });
  it("takes the head from the review meeting, and refuses a head who is not a member", () => {
    const reg = register();
    const y2025 = openNewYear(openNewYear(sampleDefinition(), reg, 2024).definition, reg, 2025).definition;
    const def = openNewYear(y2025, reg, 2026, { nextHead: "KHH", nextDeputies: ["DNG"] }).definition;
    expect(def.schools.filter((s) => s.role !== "member").map((s) => [s.code, s.role])).toEqual([
      ["KHH", "head"],
      ["DNG", "deputy"],
    ]);
    expect(() => openNewYear(y2025, reg, 2026, { nextHead: "KTU" })).toThrow(
      /"KTU" được chọn làm Cụm trưởng\/Cụm phó nhưng không là thành viên cụm năm 2026/,
    );
  });
  it("keeps the roles the register records for that year and refuses a different head", () => {
    const reg = register();
    const def = openNewYear(sampleDefinition(), reg, 2024).definition;
    expect(def.schools.find((s) => s.role === "head")!.code).toBe("KTU");
    expect(() => openNewYear(sampleDefinition(), reg, 2024, { nextHead: "KHH" })).toThrow(
      /Sổ đăng ký đã ghi Cụm trưởng năm 2024 là KTU, Cụm phó BDI, GLA; lựa chọn KHH khác sổ/,
    );
  });
});
