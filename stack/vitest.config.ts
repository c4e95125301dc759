import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test starts the whole stack (compile, node, Ignition deployment, demo, indexer).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
