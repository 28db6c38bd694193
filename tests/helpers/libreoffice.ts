import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";

function find(): string | undefined {
  for (const cmd of ["soffice", "libreoffice"]) {
    const r = spawnSync("which", [cmd], { encoding: "utf8" });
    if (r.status === 0) return r.stdout.trim();
  }
  return undefined;
}

export const SOFFICE = find();

/**
 * Locally the LibreOffice tests skip with a message when it is absent; in CI
 * (CI=true) they must run, so its absence fails loudly instead.
 */
export function libreOfficeOrSkip(): boolean {
  if (SOFFICE) return true;
  if (process.env.CI === "true")
    throw new Error(
      "CI=true nhưng không có LibreOffice (soffice): .ci/run phải cài libreoffice-calc và libreoffice-writer.",
    );
  const install = "(apt-get install libreoffice-calc libreoffice-writer)";
  console.warn(`Bỏ qua kiểm thử LibreOffice: máy này không có soffice ${install}.`);
  return false;
}

/** Converts a file with LibreOffice headless, in its own profile so parallel runs do not collide. */
export function convert(input: string, to: string, outDir = mkdtempSync(join(tmpdir(), "lo-out-"))): string {
  const profile = mkdtempSync(join(tmpdir(), "lo-profile-"));
  // The profile is scratch space for this one run: removed whatever happens, so no test leaves it in the temp folder.
  try {
    execFileSync(
      SOFFICE!,
      [
        `-env:UserInstallation=file://${profile}`,
        "--headless",
        "--norestore",
        "--convert-to",
        to,
        "--outdir",
        outDir,
        input,
      ],
      {
        stdio: "pipe",
        timeout: 120_000,
      },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const ext = to.split(":")[0]!;
  const expected = basename(input, extname(input)) + "." + ext;
  const found = readdirSync(outDir).find((f) => f === expected);
  if (!found) throw new Error(`LibreOffice did not write ${expected} in ${outDir}`);
  return join(outDir, found);
}
