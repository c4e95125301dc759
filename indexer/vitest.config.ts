import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // One development node (anvil) with the stack deployed, shared by the files (see
    // test/chain/globalSetup.ts).
    globalSetup: ["test/chain/globalSetup.ts"],
    // Files share the node and some rewind it (evm_snapshot / evm_revert): one file at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
