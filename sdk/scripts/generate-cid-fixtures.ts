/**
 * Writes test/fixtures/cids.json: for each content case of test/content.ts, the CIDs that
 * Debian's `ipfs_cid` (an independent Rust implementation) prints, and the Kubo CIDv1 with raw
 * leaves from the independent encoder of test/reference/unixfs.ts (ipfs_cid does not print that
 * one). Run once, review the diff, commit:
 *
 *   npm run fixtures:cids -w sdk
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentCases, contentChunks, writeContentFile } from "../test/content.js";
import { findIpfsCid, installHint, ipfsCid, ipfsCidVersion } from "../test/ipfsCid.js";
import { referenceCids } from "../test/reference/unixfs.js";

const binary = await findIpfsCid();
if (binary === undefined) {
  process.stderr.write(`${installHint}\n`);
  process.exit(1);
}
const directory = await mkdtemp(join(tmpdir(), "cid-fixtures-"));
const cases = [];
try {
  for (const c of contentCases) {
    const file = join(directory, c.name);
    await writeContentFile(c, file);
    const outside = await ipfsCid(binary, file);
    const reference = await referenceCids(contentChunks(c));
    if (reference.cidv0 !== outside.CIDv0) {
      throw new Error(
        `${c.name}: the reference encoder gives ${reference.cidv0}, ipfs_cid ${outside.CIDv0}.`,
      );
    }
    cases.push({ ...c, ipfsCid: outside, kuboCidv1: reference.cidv1RawLeaves });
    process.stdout.write(`${c.name.padEnd(26)} ${outside.CIDv0}  ${reference.cidv1RawLeaves}\n`);
    await rm(file);
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
const fixture = {
  description:
    "CIDs of the content cases of test/content.ts. ipfsCid: what Debian's ipfs_cid printed (CIDv0 = Kubo's plain `ipfs add`; its CIDv1 is the same dag-pb DAG as a CIDv1). kuboCidv1: Kubo's `ipfs add --cid-version 1` (raw leaves), from test/reference/unixfs.ts, an encoder independent of the sdk that reproduces every ipfsCid.CIDv0 here.",
  generatedBy: "npm run fixtures:cids -w sdk",
  tool: await ipfsCidVersion(),
  cases,
};
await writeFile(
  new URL("../test/fixtures/cids.json", import.meta.url),
  `${JSON.stringify(fixture, null, 2)}\n`,
);
