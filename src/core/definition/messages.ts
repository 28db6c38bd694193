/**
 * Vietnamese messages for a definition that does not fit its schema: each
 * names the field by its path and by what it means ("mục "targets[1].kind"
 * (chỉ tiêu thứ 2, loại chỉ tiêu)"), so a clerk editing JSON can find it.
 */
import { formatNumber } from "../text/format";
import type * as v from "valibot";

const FIELD_LABELS: Record<string, string> = {
  schemaVersion: "phiên bản lược đồ",
  id: "mã định danh cụm",
  name: "tên",
  number: "số hiệu cụm",
  region: "khu vực",
  issuer: "tên cơ quan ban hành",
  year: "năm",
  theme: "chủ đề",
  signing: "nơi và ngày ký",
  place: "địa danh",
  date: "ngày",
  headingStyle: "kiểu quốc hiệu (party/state)",
  legalBases: "căn cứ pháp lý",
  groups: "nhóm chỉ tiêu",
  schools: "trường thành viên",
  targets: "chỉ tiêu",
  code: "mã",
  group: "nhóm",
  unit: "đơn vị tính",
  kind: "loại chỉ tiêu",
  levels: "các mức",
  constraints: "ràng buộc",
  aggregation: "cách tổng hợp",
  scoring: "cách chấm điểm",
  method: "phương pháp chấm",
  maxScore: "điểm tối đa",
  pointsEach: "điểm mỗi đơn vị",
  province: "tỉnh",
  role: "vai trò (head/deputy/member)",
  principal: "hiệu trưởng",
  title: "chức danh",
  editors: "e-mail người nhập liệu",
  min: "giá trị nhỏ nhất",
  max: "giá trị lớn nhất",
  integer: "số nguyên",
  required: "bắt buộc",
  register: "mã cụm trong sổ đăng ký",
};

type PathItem = { key?: unknown };

function describePath(path: readonly PathItem[] | undefined): string {
  if (!path || path.length === 0) return "toàn bộ định nghĩa";
  let text = "";
  let label = "";
  for (const item of path) {
    const key = item.key;
    if (typeof key === "number") {
      text += `[${key}]`;
      label += ` thứ ${key + 1}`;
    } else {
      text += (text ? "." : "") + String(key);
      label += (label ? ", " : "") + (FIELD_LABELS[String(key)] ?? String(key));
    }
  }
  return `mục "${text}" (${label.trim()})`;
}

/** A schema issue in Vietnamese; other schemas (the review rules) pass their own description of where it is. */
/** A number in a message the Vietnamese way ("1,5", "19.082"); anything else as valibot shows it. */
function vnNumber(x: unknown): string {
  return typeof x === "number" && Number.isFinite(x) ? formatNumber(x, 6) : String(x);
}

export function issueMessage(
  issue: v.BaseIssue<unknown>,
  where = describePath(issue.path as PathItem[] | undefined),
): string {
  const received = issue.received;
  switch (issue.type) {
    case "strict_object":
      if (issue.input === undefined && issue.expected === "never")
        return `${where}: khóa không được phép — có thể gõ sai tên khóa.`;
      if (issue.input === undefined) return `${where}: thiếu giá trị bắt buộc.`;
      if (issue.expected === "never") return `${where}: khóa không được phép — có thể gõ sai tên khóa.`;
      return `${where}: phải là một đối tượng, nhận được ${received}.`;
    case "string":
    case "number":
    case "boolean":
    case "array":
    case "object":
    case "record":
      if (issue.input === undefined) return `${where}: thiếu giá trị bắt buộc.`;
      return `${where}: cần kiểu ${typeName(issue.type)}, nhận được ${received}.`;
    case "picklist":
    case "literal":
    case "variant":
      if (issue.input === undefined) return `${where}: thiếu giá trị bắt buộc.`;
      return `${where}: giá trị ${received} không hợp lệ; cần một trong: ${issue.expected}.`;
    case "min_length":
      return `${where}: không được để trống.`;
    case "regex":
      return `${where}: ${received} không đúng dạng (chỉ dùng chữ không dấu, số, "-" hoặc "_").`;
    case "email":
      return `${where}: ${received} không phải địa chỉ e-mail hợp lệ.`;
    case "min_value":
      return `${where}: phải lớn hơn hoặc bằng ${vnNumber(issue.requirement)}, nhận được ${vnNumber(issue.input)}.`;
    case "max_value":
      return `${where}: phải nhỏ hơn hoặc bằng ${vnNumber(issue.requirement)}, nhận được ${vnNumber(issue.input)}.`;
    case "integer":
      return `${where}: phải là số nguyên, nhận được ${vnNumber(issue.input)}.`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function typeName(t: string): string {
  return (
    {
      string: "chuỗi văn bản",
      number: "số",
      boolean: "true/false",
      array: "danh sách",
      object: "đối tượng",
      record: "bảng khóa–giá trị",
    }[t] ?? t
  );
}
