import { parse } from "acorn";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MENU } from "../../src/gas/menu";
import { CODE_JS } from "../fake-gas/env";
import { ROOT } from "../helpers/samples";

const code = readFileSync(CODE_JS, "utf8");
type Node = { type: string; id?: { name: string }; body?: Node[]; directive?: string };
const program = parse(code, { ecmaVersion: 2020, sourceType: "script" }) as unknown as { body: Node[] };
const topLevel = new Set(program.body.filter((n) => n.type === "FunctionDeclaration").map((n) => n.id!.name));

describe("the built Apps Script file", () => {
  it("parses as an ES2020 script: no modules, nothing newer", () => {
    expect(() => parse(code, { ecmaVersion: 2020, sourceType: "script" })).not.toThrow();
    expect(code).not.toMatch(/\bimport\s*\(|^\s*(import|export)\s/m);
  });
  it("declares every menu callback, trigger and dialog target as a top-level function", () => {
    const names = [
      ...MENU.filter((m) => m !== null).map((m) => m!.fn),
      "onOpen",
      "onInstall",
      "onEdit",
      "onEditLog",
      "jumpToCell",
    ];
    for (const n of names) expect(topLevel, n).toContain(n);
    const built = JSON.parse(readFileSync(join(ROOT, "dist", "gas-entry-points.json"), "utf8")) as string[];
    for (const n of built) expect(topLevel, n).toContain(n);
  });
  it("has only function declarations and the module variable at top level, and no timers", () => {
    for (const n of program.body.filter((x) => x.directive !== "use strict"))
      expect(["FunctionDeclaration", "VariableDeclaration"]).toContain(n.type);
    expect(program.body.filter((n) => n.type === "VariableDeclaration")).toHaveLength(1);
    expect(code).not.toMatch(/\bsetTimeout\s*\(|\bsetInterval\s*\(/);
  });
  // 200 KB until the review meeting came online (its rules, count sheet and documents add about 50 KB); 240 KB until
  // every Google call went through the retry wrapper and requests were cut into parts, and the year context and the
  // review's re-derivation came into core (about 12 KB together); 380 KB once the years came online (the archive, the
  // move, the period review and its document add about 75 KB), with the status block of the phone path (about 10 KB)
  // and set-up by paste. Every execution parses the whole file (a few milliseconds in Node's V8 at 352 KiB; the
  // names are kept so that stack traces in the Apps Script log still read), so the budget stays a budget:
  // `npm run bench` prints the size.
  it("contains no exceljs and stays under 380 KB", () => {
    expect(code).not.toMatch(/exceljs|ExcelJS/i);
    expect(statSync(CODE_JS).size).toBeLessThan(380 * 1024);
  });
  it("puts only what Apps Script takes in the pushed folder", () => {
    expect(readdirSync(join(ROOT, "dist", "gas")).sort()).toEqual([
      "Code.js",
      "appsscript.json",
      "dialog-nhap.html",
      "dialog-tai-mau.html",
    ]);
  });
  it("ships the manifest with V8, the Vietnamese time zone, the Sheets, Docs and Drive advanced services, and no restricted scope", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "dist", "gas", "appsscript.json"), "utf8"));
    expect(manifest).toMatchObject({ runtimeVersion: "V8", timeZone: "Asia/Ho_Chi_Minh" });
    expect(manifest.dependencies.enabledAdvancedServices).toEqual([
      expect.objectContaining({ userSymbol: "Sheets", serviceId: "sheets", version: "v4" }),
      expect.objectContaining({ userSymbol: "Docs", serviceId: "docs", version: "v1" }),
      expect.objectContaining({ userSymbol: "Drive", serviceId: "drive", version: "v3" }),
    ]);
    // drive and drive.readonly are restricted: the add-on reaches only the files it made (drive.file).
    expect(manifest.oauthScopes).toContain("https://www.googleapis.com/auth/drive.file");
    expect(manifest.oauthScopes.filter((s: string) => /\/auth\/drive(\.readonly)?$/.test(s))).toEqual([]);
    expect(JSON.parse(readFileSync(join(ROOT, ".clasp.json"), "utf8")).rootDir).toBe("dist/gas");
  });
});
