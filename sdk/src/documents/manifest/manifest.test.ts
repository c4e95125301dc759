import { describe, expect, it } from "vitest";
import { computeCid } from "../cid/index.js";
import { InvalidManifestError } from "../errors.js";
import { canonicalJson } from "./canonical.js";
import { documentTypes, preTransactionDocumentTypes } from "./documentTypes.js";
import {
  computeManifestCid,
  createManifest,
  decodeManifest,
  encodeManifest,
  isCanonicalManifest,
  parseManifest,
} from "./manifest.js";
import type { Manifest } from "./schema.js";

const document = {
  type: "bill-of-lading",
  name: "bill-of-lading.pdf",
  mediaType: "application/pdf",
  size: 48_213,
  cid: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
} as const;

const manifest: Manifest = createManifest({
  goods: { description: "2023 Toyota Land Cruiser 300, 3.3 L V6 diesel, white", unit: "vehicle" },
  deliveryPlace: "Bonded warehouse 7, Port of Tema, Ghana",
  documents: [
    document,
    { ...document, type: "vin-and-manufacturing-year", name: "vin.jpg", mediaType: "image/jpeg" },
  ],
});

describe("document types", () => {
  it("lists SPEC.md's eight automotive pre-transaction documents, then the trade documents", () => {
    expect(preTransactionDocumentTypes).toHaveLength(8);
    expect(documentTypes).toEqual([
      ...preTransactionDocumentTypes,
      "bill-of-lading",
      "waybill",
      "customs-declaration",
      "inspection-report",
      "photo",
      "video",
      "warehouse-receipt",
      "amendment",
      "other",
    ]);
  });
});

describe("canonical serialisation", () => {
  it("sorts keys at every depth, keeps array order and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [{ z: "é", y: null }, 2], c: { e: true, d: "x\n" } })).toBe(
      '{"a":[{"y":null,"z":"é"},2],"b":1,"c":{"d":"x\\n","e":true}}',
    );
  });

  it("gives the same bytes and CID however the manifest's keys were ordered", async () => {
    const shuffled = JSON.parse(
      JSON.stringify({
        documents: manifest.documents.map((d) => ({
          cid: d.cid,
          size: d.size,
          type: d.type,
          mediaType: d.mediaType,
          name: d.name,
        })),
        deliveryPlace: manifest.deliveryPlace,
        version: 1,
        goods: { unit: "vehicle", description: manifest.goods.description },
      }),
    ) as unknown;
    expect(encodeManifest(parseManifest(shuffled))).toEqual(encodeManifest(manifest));
    expect((await computeManifestCid(parseManifest(shuffled))).cid.toString()).toBe(
      (await computeManifestCid(manifest)).cid.toString(),
    );
  });

  it("is this exact JSON for the example manifest", () => {
    expect(new TextDecoder().decode(encodeManifest(manifest))).toBe(
      '{"deliveryPlace":"Bonded warehouse 7, Port of Tema, Ghana","documents":[' +
        '{"cid":"bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4","mediaType":"application/pdf","name":"bill-of-lading.pdf","size":48213,"type":"bill-of-lading"},' +
        '{"cid":"bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4","mediaType":"image/jpeg","name":"vin.jpg","size":48213,"type":"vin-and-manufacturing-year"}],' +
        '"goods":{"description":"2023 Toyota Land Cruiser 300, 3.3 L V6 diesel, white","unit":"vehicle"},"version":1}',
    );
  });

  it("commits the manifest by the Kubo CIDv1 of its canonical bytes", async () => {
    const { cid, bytes } = await computeManifestCid(manifest);
    expect(cid.toString()).toBe((await computeCid(bytes)).cid.toString());
    expect(cid.toString()).toMatch(/^bafkrei/);
  });

  it("reads back what it writes, and tells canonical bytes from other layouts", () => {
    const bytes = encodeManifest(manifest);
    expect(decodeManifest(bytes)).toEqual(manifest);
    expect(isCanonicalManifest(bytes)).toBe(true);
    expect(isCanonicalManifest(new TextEncoder().encode(JSON.stringify(manifest, null, 2)))).toBe(
      false,
    );
  });
});

describe("validation", () => {
  const invalid = (patch: Record<string, unknown>) => ({ ...manifest, ...patch });

  it("names each problem with its path", () => {
    const error = (() => {
      try {
        parseManifest(
          invalid({
            documents: [
              { ...document, type: "passport", size: -1, mediaType: "pdf", cid: "Qm123" },
            ],
            extra: true,
          }),
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidManifestError);
    const issues = (error as InvalidManifestError).issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^documents\.0\.type: /),
        expect.stringMatching(/^documents\.0\.size: /),
        "documents.0.mediaType: must be a media type such as application/pdf",
        "documents.0.cid: must be a CID in its canonical string form (CIDv1 base32, or CIDv0 base58btc)",
        expect.stringMatching(/^\(root\): Unrecognized key: "extra"/),
      ]),
    );
    expect((error as InvalidManifestError).shortMessage).toMatch(
      /^The manifest is invalid: .* \(and 4 more\)\.$/,
    );
  });

  it("requires goods, unit and delivery place as trimmed, non-empty text", () => {
    expect(() => parseManifest(invalid({ deliveryPlace: "" }))).toThrow(
      "deliveryPlace: must not be empty",
    );
    expect(() => parseManifest(invalid({ deliveryPlace: " Tema" }))).toThrow(
      "must not start or end with spaces",
    );
    expect(() => parseManifest(invalid({ goods: { description: "cars" } }))).toThrow(/goods\.unit/);
    expect(() => parseManifest(invalid({ version: 2 }))).toThrow(/version/);
  });

  it("accepts a CIDv0 document and media type parameters", () => {
    expect(() =>
      parseManifest(
        invalid({
          documents: [
            {
              ...document,
              cid: "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
              mediaType: "text/plain; charset=utf-8",
            },
          ],
        }),
      ),
    ).not.toThrow();
  });

  it("refuses bytes that are not JSON", () => {
    expect(() => decodeManifest(new TextEncoder().encode("{"))).toThrow(
      "The manifest is invalid: (root): not UTF-8 JSON.",
    );
    expect(() => decodeManifest(Uint8Array.of(0xff, 0xfe))).toThrow(InvalidManifestError);
  });
});
