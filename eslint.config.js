import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "demo-output/**", "test-artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["scripts/**/*.mjs", "bin/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    // core must stay portable: no Node, no Apps Script, no exceljs.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["node:*", "exceljs", "docx", "fs", "path"] }],
      "no-restricted-globals": [
        "error",
        "SpreadsheetApp",
        "DocumentApp",
        "process",
        "Buffer",
        "Utilities",
        "document",
        "window",
        "google",
      ],
    },
  },
  {
    // Every call to Google's APIs goes through the retrying wrapper (src/gas/google/google-api.ts).
    files: ["src/gas/**/*.ts"],
    ignores: ["src/gas/google/google-api.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "MemberExpression[object.type='TSNonNullExpression'][object.expression.name=/^(Sheets|Docs|Drive)$/]",
          message: "Call Google's APIs through src/gas/google/google-api.ts (retries, time budget).",
        },
        {
          selector: "MemberExpression[object.name=/^(Sheets|Docs|Drive)$/][property.name!='Documents']",
          message: "Call Google's APIs through src/gas/google/google-api.ts (retries, time budget).",
        },
      ],
    },
  },
  {
    // Tests build malformed definitions on purpose.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
