import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    reporters: ["default", "./tests/helpers/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // LibreOffice and Chromium tests are heavy; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
