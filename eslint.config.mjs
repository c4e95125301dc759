// ESLint flat config: typescript-eslint's recommended rules (syntax-only, no type information).
// Formatting is prettier's job (`npm run format:check`), so no stylistic rules here.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores([
    "**/node_modules/",
    "artifacts/",
    "cache/",
    "typechain-types/",
    "coverage/",
    "**/dist/",
    "frontend/dist/",
    "sdk/src/contracts/generated/",
    "sdk/test/generated/",
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: {
      reportUnusedDisableDirectives: "error",
    },
    rules: {
      // A leading underscore marks a parameter or binding as deliberately unused (`_hre`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
        },
      ],
      // STYLE.md: `import type` for types.
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { fixStyle: "separate-type-imports" },
      ],
      // STYLE.md: structured logs (pino) in library code; scripts and tests may print.
      "no-console": "error",
    },
  },
  {
    // Scripts, tests and config files talk to a person on a terminal.
    files: ["scripts/**", "test/**", "**/*.test.ts", "**/*.config.{ts,mts,js,mjs,cjs}"],
    rules: {
      "no-console": "off",
    },
  },
);
