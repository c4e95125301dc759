import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

// The verifier's core runs in the dApp's auditor workspace: bundled for a browser, it must import
// no Node.js built-in and none of the sdk's Node.js-only modules (stores, gateway).

const SDK = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const bundleForBrowser = (entry: string) =>
  build({
    entryPoints: [resolve(SDK, entry)],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
  });

describe("@trade-escrow/sdk/audit in a browser", () => {
  it("bundles with no Node.js built-in and no Node.js-only sdk module", async () => {
    const { metafile } = await bundleForBrowser("src/audit/index.ts");
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain("src/audit/audit.ts");
    expect(
      inputs.filter((input) =>
        /^node:|blockstore-fs|kubo-rpc-client|hono|src\/documents\/store\//.test(input),
      ),
    ).toEqual([]);
  });

  it("would refuse the command line, which reads files and the process", async () => {
    await expect(bundleForBrowser("scripts/audit.ts")).rejects.toThrow(/node:/);
  });
});
