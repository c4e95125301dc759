/**
 * CIDs against implementations outside the sdk:
 *
 * - test/fixtures/cids.json holds what Debian's `ipfs_cid` (rust-ipfs's UnixFS adder, an
 *   independent implementation) printed for each case: Kubo's plain `ipfs add` CIDv0.
 * - ipfs_cid's "CIDv1" is that same dag-pb DAG written as a CIDv1, not Kubo's
 *   `ipfs add --cid-version 1` (which has raw leaves). That one comes from test/reference/unixfs.ts,
 *   an encoder sharing no code with the sdk, which is itself checked here to reproduce ipfs_cid's
 *   CIDv0 for every case (same layout, same chunking, same tree).
 * - DESIGN.md's `hello world\n` CID, as a constant.
 * - When `ipfs_cid` is installed, every case is also run through it live; when it is not, that test
 *   fails with instructions (nothing is skipped).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CID } from "multiformats/cid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeCid } from "../src/documents/cid/index.js";
import { contentCases, contentChunks, writeContentFile } from "./content.js";
import type { ContentCase } from "./content.js";
import fixture from "./fixtures/cids.json" with { type: "json" };
import { findIpfsCid, installHint, ipfsCid } from "./ipfsCid.js";
import { referenceCids } from "./reference/unixfs.js";

type FixtureCase = ContentCase & { ipfsCid: { CIDv0: string; CIDv1: string }; kuboCidv1: string };
const cases = fixture.cases as FixtureCase[];

function expected(name: string): FixtureCase {
  const found = cases.find((c) => c.name === name);
  if (found === undefined)
    throw new Error(`No fixture for ${name}; run npm run fixtures:cids -w sdk.`);
  return found;
}

describe("the CID fixture", () => {
  it("covers every content case", () => {
    expect(cases.map((c) => c.name)).toEqual(contentCases.map((c) => c.name));
  });

  it("has DESIGN.md's CID for hello world", () => {
    expect(expected("hello-world").kuboCidv1).toBe(
      "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
    );
  });

  it("reads ipfs_cid's CIDv1 as the CIDv0's DAG in CIDv1 form", () => {
    for (const c of cases) {
      expect(CID.parse(c.ipfsCid.CIDv0).toV1().toString(), c.name).toBe(c.ipfsCid.CIDv1);
    }
  });
});

describe.each(contentCases.map((c) => [c.name, c] as const))("content %s", (name, c) => {
  const want = () => expected(name);

  it("gets Kubo's plain `ipfs add` CIDv0, as ipfs_cid printed it", async () => {
    const { cid, size } = await computeCid(contentChunks(c), { profile: "kubo-cidv0" });
    expect(cid.toString()).toBe(want().ipfsCid.CIDv0);
    expect(size).toBe(c.size);
  });

  it("gets Kubo's `ipfs add --cid-version 1` CID", async () => {
    const { cid, size } = await computeCid(contentChunks(c));
    expect(cid.toString()).toBe(want().kuboCidv1);
    expect(size).toBe(c.size);
  });

  it("agrees with the independent reference encoder, which reproduces ipfs_cid", async () => {
    const reference = await referenceCids(contentChunks(c));
    expect(reference.cidv0).toBe(want().ipfsCid.CIDv0);
    expect(reference.cidv1RawLeaves).toBe(want().kuboCidv1);
  });
});

describe("chunking of the input", () => {
  it("gives the same CID whatever the pieces the bytes arrive in", async () => {
    const c = expected("one-chunk-plus-one");
    for (const piece of [1, 4096, 262_144, 300_000]) {
      const source = piece === 1 ? byteByByte(c) : contentChunks(c, piece);
      expect((await computeCid(source)).cid.toString(), `pieces of ${piece}`).toBe(c.kuboCidv1);
    }
  });
});

describe("the live cross-check against Debian's ipfs_cid", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "sdk-ipfs-cid-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("finds ipfs_cid installed", async () => {
    const binary = await findIpfsCid();
    expect(binary, installHint).toBeTypeOf("string");
  });

  it("prints the fixture's CIDs and the sdk's CIDv0 for every case", async () => {
    const binary = await findIpfsCid();
    if (binary === undefined) throw new Error(installHint);
    for (const c of contentCases) {
      const file = join(directory, c.name);
      await writeContentFile(c, file);
      const live = await ipfsCid(binary, file);
      await rm(file);
      expect(live, c.name).toEqual(expected(c.name).ipfsCid);
      const ours = await computeCid(contentChunks(c), { profile: "kubo-cidv0" });
      expect(ours.cid.toString(), c.name).toBe(live.CIDv0);
      expect(ours.cid.toV1().toString(), c.name).toBe(live.CIDv1);
    }
  });
});

function* byteByByte(c: ContentCase): Generator<Uint8Array> {
  for (const piece of contentChunks(c))
    for (let i = 0; i < piece.byteLength; i++) yield piece.subarray(i, i + 1);
}
