import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    reporters: ["default", "./tests/helpers/summary-reporter.ts"],
    // A guard against a hang, not a speed target (npm run bench prints those): one LibreOffice conversion may take
    // up to the 120 s tests/helpers/libreoffice.ts gives it on a loaded machine.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // LibreOffice and Chromium tests are heavy; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
