/** A synthetic cluster for the benchmark: n schools × m targets of mixed kinds. */
import { aggregateCluster } from "../src/core/figures/aggregate";
import { loadDefinition, type ClusterDefinition } from "../src/core/definition/definition";
import { scoreCluster } from "../src/core/figures/score";
import { validateSchoolRows, type RawRow } from "../src/core/figures/validate";

export function syntheticCluster(schools: number, targets: number): ClusterDefinition {
  const kinds = ["count", "count", "count", "percent", "yesno"] as const;
  return loadDefinition({
    schemaVersion: 1,
    id: `bench-${schools}-${targets}`,
    name: "Cụm thi đua thử tải",
    region: "khu vực thử",
    year: 2024,
    theme: "",
    signing: { place: "Hà Nội", date: "2024-03-01" },
    headingStyle: "party",
    legalBases: [],
    schools: Array.from({ length: schools }, (_, i) => ({
      code: `T${i + 1}`,
      name: `Trường Chính trị số ${i + 1}`,
      province: `Tỉnh ${i + 1}`,
      role: i === 0 ? "head" : "member",
      principal: { name: "" },
      editors: [`nhap${i + 1}@vi-du.vn`],
    })),
    targets: Array.from({ length: targets }, (_, j) => {
      const kind = kinds[j % kinds.length]!;
      return {
        code: `CT${j + 1}`,
        name: `Chỉ tiêu số ${j + 1}`,
        unit: kind === "percent" ? "%" : kind === "count" ? "lớp" : "",
        kind,
        scoring: kind === "yesno" ? { method: "qualitative", maxScore: 5 } : { method: "quantitative", maxScore: 10 },
      };
    }),
  });
}

/** Raw rows as a sheet would give them: Vietnamese text, fractions, labels. */
export function syntheticRows(def: ClusterDefinition, school: number): RawRow[] {
  return def.targets.map((t, j) => {
    const n = ((school * 31 + j * 17) % 90) + 10;
    const cell = (v: number) =>
      t.kind === "percent"
        ? { value: v / 100, percentFormatted: true }
        : t.kind === "yesno"
          ? { value: v % 7 ? "Đạt" : "Không đạt" }
          : { value: v > 50 ? String(v * 1000).replace(/\B(?=(\d{3})+$)/g, ".") : v };
    return { code: t.code, registered: cell(n), achieved: cell(Math.min(100, n + (j % 5))), note: { value: null } };
  });
}

export function benchCore(schools: number, targets: number): () => void {
  const def = syntheticCluster(schools, targets);
  const rows = def.schools.map((_, i) => syntheticRows(def, i));
  return () => {
    const subs = def.schools.map((s, i) => {
      const { figures, problems } = validateSchoolRows(def, s.code, rows[i]!);
      return { school: s.code, figures, problems };
    });
    scoreCluster(aggregateCluster(def, subs));
  };
}
