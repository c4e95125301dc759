import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The development node (anvil) with the contracts deployed, for the tests that compare with the
    // chain.
    globalSetup: ["test/chain/globalSetup.ts"],
    // The CID cross-checks hash ~200 MiB of generated content; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
