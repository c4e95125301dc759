import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The CID cross-checks hash ~200 MiB of generated content; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
