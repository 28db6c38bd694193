/**
 * The cluster registers the add-on carries (sheets-templates/register/),
 * by the id a definition names in "register": the same files `nam-moi`
 * reads offline, so a year opened online and offline has the same members.
 * A definition that names a register the add-on does not carry is refused.
 */
import type { ClusterDefinition } from "../../core/definition/definition";
import { checkRegister, type ClusterRegister } from "../../core/register/register";
import { unchanged, UserError } from "../../core/user-error";
import namTrungBoTayNguyen from "../../../sheets-templates/register/nam-trung-bo-tay-nguyen.json";

const BUNDLED: Record<string, unknown> = { "nam-trung-bo-tay-nguyen": namTrungBoTayNguyen };

export function bundledRegister(def: ClusterDefinition): ClusterRegister {
  const id = def.register ?? "";
  const data = Object.prototype.hasOwnProperty.call(BUNDLED, id) ? BUNDLED[id] : undefined;
  const r = data === undefined ? undefined : checkRegister(data);
  if (!r) throw unchanged(`Thi đua chưa có sổ đăng ký của cụm "${id}" (có: ${Object.keys(BUNDLED).join(", ")}).`);
  if (!r.ok) throw new UserError(`Sổ đăng ký cụm "${id}" không hợp lệ: ${r.problems.slice(0, 3).join("; ")}`);
  return r.register;
}
