import { createHash } from "node:crypto";
import { base36 } from "multiformats/bases/base36";
import { describe, expect, it } from "vitest";
import { InvalidCidError } from "../errors.js";
import { cidToCommitment, commitmentToCid, ipfsUri, parseIpfsUri } from "./commitment.js";
import { cidKey, isCid, toCid } from "./parse.js";

const v1 = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
const v0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
const helloDigest = createHash("sha256").update("hello world\n").digest("hex");

describe("cidToCommitment", () => {
  it("is the binary CIDv1 as 0x hex: version 1, raw 0x55, sha2-256 0x12, 32 bytes, digest", () => {
    expect(cidToCommitment(v1)).toBe(`0x01551220${helloDigest}`);
  });

  it("is the bare multihash for a CIDv0", () => {
    expect(cidToCommitment(v0)).toMatch(/^0x1220[0-9a-f]{64}$/);
  });
});

describe("commitmentToCid", () => {
  it("recovers the CID from chain data, in either case of hex, or from bytes", () => {
    for (const cid of [v1, v0, "bafybeihebvujhjsrv5vim2gawmo5t4cpezjxpu5klwmytg54xyduy6eic4"]) {
      const hex = cidToCommitment(cid);
      expect(commitmentToCid(hex).toString()).toBe(cid);
      expect(commitmentToCid(hex.toUpperCase().replace("0X", "0x")).toString()).toBe(cid);
      expect(commitmentToCid(toCid(cid).bytes).toString()).toBe(cid);
    }
  });

  it("refuses an empty commitment, as an unset document field reads", () => {
    expect(() => commitmentToCid("0x")).toThrow(
      '"0x" is not a valid CID: the commitment is empty; no document was committed.',
    );
  });

  it("refuses what is not hex of whole bytes", () => {
    for (const bad of ["01551220", "0x0", "0xzz", "bafkrei"]) {
      expect(() => commitmentToCid(bad), bad).toThrow(InvalidCidError);
    }
  });

  it("refuses bytes that are not exactly one CID", () => {
    const hex = cidToCommitment(v1);
    expect(() => commitmentToCid(`${hex}00`)).toThrow(InvalidCidError);
    expect(() => commitmentToCid(hex.slice(0, -2))).toThrow(InvalidCidError);
    expect(() => commitmentToCid("0x0255")).toThrow(InvalidCidError);
  });
});

describe("ipfsUri and parseIpfsUri", () => {
  it("writes ipfs:// URIs, with an optional encoded path", () => {
    expect(ipfsUri(v1)).toBe(`ipfs://${v1}`);
    expect(ipfsUri(toCid(v0))).toBe(`ipfs://${v0}`);
    expect(ipfsUri(v1, "/photos/front left.jpg")).toBe(`ipfs://${v1}/photos/front%20left.jpg`);
  });

  it("reads the CID back from ipfs:// URIs, /ipfs/ paths and gateway URLs", () => {
    for (const uri of [
      `ipfs://${v1}`,
      `/ipfs/${v1}`,
      `http://127.0.0.1:8080/ipfs/${v1}?format=raw`,
      `ipfs://${v1}/a`,
    ]) {
      expect(parseIpfsUri(uri).toString(), uri).toBe(v1);
    }
    expect(() => parseIpfsUri("https://example.com/a")).toThrow(InvalidCidError);
  });
});

describe("toCid", () => {
  it("parses base32, base58btc and base36 forms and rejects garbage", () => {
    const cid = toCid(v1);
    expect(toCid(cid.toString()).equals(cid)).toBe(true);
    expect(cid.toString(base36)).toMatch(/^k/);
    expect(toCid(cid.toString(base36)).equals(cid)).toBe(true);
    expect(isCid(v0)).toBe(true);
    expect(isCid("not a cid")).toBe(false);
    expect(isCid("")).toBe(false);
    expect(() => toCid("bafy")).toThrow('"bafy" is not a valid CID.');
  });

  it("keys a CIDv0 and its CIDv1 twin alike", () => {
    expect(cidKey(v0)).toBe(cidKey(toCid(v0).toV1()));
    expect(cidKey(v0)).not.toBe(cidKey(v1));
  });
});
