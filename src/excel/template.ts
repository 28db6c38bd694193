/** A school's Excel template: its target sheet, instructions and identity, from the shared layout. */
import ExcelJS from "exceljs";
import type { ClusterDefinition, School } from "../core/definition/definition";
import { buildInstructionsSheet } from "../core/sheets/instructions";
import { buildSchoolSheet } from "../core/sheets/school-layout";
import { buildMetaSheet, TEMPLATE_VERSION } from "../core/sheets/template-meta";
import type { SchoolFigures } from "../core/figures/validate";
import { writeSheet } from "./sheet-writer";

export async function buildTemplateWorkbook(
  def: ClusterDefinition,
  school: School,
  figures?: SchoolFigures,
  madeAt = new Date(),
): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "cum-thi-dua";
  wb.title = `Số liệu thi đua năm ${def.year} — ${school.name}`;
  wb.subject = def.name;
  wb.created = madeAt;
  const { spec } = buildSchoolSheet(def, school, figures);
  await writeSheet(wb, spec);
  await writeSheet(wb, buildInstructionsSheet(def, "excel", school));
  await writeSheet(
    wb,
    buildMetaSheet(
      { version: TEMPLATE_VERSION, cluster: def.id, year: def.year, school: school.code, sheet: spec.name },
      school.name,
      madeAt,
    ),
  );
  return wb;
}

export async function templateBuffer(
  def: ClusterDefinition,
  school: School,
  figures?: SchoolFigures,
  madeAt?: Date,
): Promise<Uint8Array> {
  const wb = await buildTemplateWorkbook(def, school, figures, madeAt);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
