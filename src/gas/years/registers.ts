/**
 * The cluster registers the add-on carries (sheets-templates/register/),
 * by the id a definition names in "register": the same files `nam-moi`
 * reads offline, so a year opened online and offline has the same members.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { checkRegister, type ClusterRegister } from "../../core/register/register";
import { UserError } from "../../core/user-error";
import namTrungBoTayNguyen from "../../../sheets-templates/register/nam-trung-bo-tay-nguyen.json";

const BUNDLED: Record<string, unknown> = { "nam-trung-bo-tay-nguyen": namTrungBoTayNguyen };

export function bundledRegister(def: ClusterDefinition): ClusterRegister {
  if (!def.register)
    throw new UserError(
      `Cấu hình năm ${def.year} chưa ghi "Mã cụm trong sổ đăng ký", nên chưa biết thành viên năm ${def.year + 1}. Hãy ghi mã cụm trên trang Cấu hình, chạy Thiết lập rồi thử lại. Chưa có gì thay đổi.`,
    );
  const data = Object.prototype.hasOwnProperty.call(BUNDLED, def.register) ? BUNDLED[def.register] : undefined;
  const r = data === undefined ? undefined : checkRegister(data);
  if (!r)
    throw new UserError(
      `Thi đua chưa có sổ đăng ký của cụm "${def.register}" (có: ${Object.keys(BUNDLED).join(", ")}). Chưa có gì thay đổi.`,
    );
  if (!r.ok) throw new UserError(`Sổ đăng ký cụm "${def.register}" không hợp lệ: ${r.problems.slice(0, 3).join("; ")}`);
  return r.register;
}
