import { describe, expect, it } from "vitest";
import { etagFor, matchesEtag } from "./headers.js";
import { negotiate, parseAccept } from "./negotiate.js";
import { toCid } from "../cid/index.js";

describe("parseAccept", () => {
  it("orders media ranges by q, then by position, and drops q=0", () => {
    expect(
      parseAccept("text/html;q=0.5, application/vnd.ipld.car;version=1;order=dfs, */*;q=0").map(
        (r) => r.type,
      ),
    ).toEqual(["application/vnd.ipld.car", "text/html"]);
  });
});

describe("negotiate", () => {
  it("serves bytes to a browser", () => {
    expect(negotiate({ accept: "text/html,*/*;q=0.8", query: {} })).toEqual({ format: "bytes" });
    expect(negotiate({ accept: undefined, query: {} })).toEqual({ format: "bytes" });
  });

  it("picks the preferred of raw and car from Accept", () => {
    expect(negotiate({ accept: "application/vnd.ipld.raw", query: {} })).toEqual({ format: "raw" });
    expect(
      negotiate({
        accept: "application/vnd.ipld.raw;q=0.5, application/vnd.ipld.car;dups=y",
        query: {},
      }),
    ).toEqual({ format: "car", dups: true, scope: "all" });
  });

  it("lets the format parameter win and the car-* parameters override Accept's", () => {
    expect(
      negotiate({
        accept: "application/vnd.ipld.car;dups=y",
        query: { format: "car", "car-dups": "n", "dag-scope": "entity" },
      }),
    ).toEqual({ format: "car", dups: false, scope: "entity" });
  });

  it("refuses what it cannot serve", () => {
    expect(negotiate({ query: { format: "dag-json" } })).toMatchObject({
      status: 400,
      code: "unsupported_format",
    });
    expect(negotiate({ accept: "application/vnd.ipld.car;order=weird", query: {} })).toMatchObject({
      status: 406,
    });
    expect(negotiate({ query: { format: "raw", "dag-scope": "all" } })).toMatchObject({
      status: 400,
    });
    expect(negotiate({ query: { format: "car", "car-dups": "maybe" } })).toMatchObject({
      status: 400,
    });
  });
});

describe("ETags", () => {
  const cid = toCid("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");

  it("gives each representation its own strong ETag", () => {
    expect(etagFor(cid, { format: "bytes" })).toBe(`"${cid}"`);
    expect(etagFor(cid, { format: "raw" })).toBe(`"${cid}.raw"`);
    expect(etagFor(cid, { format: "car", dups: true, scope: "all" })).toBe(`"${cid}.car.all.y"`);
  });

  it("matches If-None-Match lists, weak tags and *", () => {
    expect(matchesEtag(`"a", W/"${cid}"`, `"${cid}"`)).toBe(true);
    expect(matchesEtag("*", `"${cid}"`)).toBe(true);
    expect(matchesEtag(`"${cid}.raw"`, `"${cid}"`)).toBe(false);
    expect(matchesEtag(null, `"${cid}"`)).toBe(false);
  });
});
