import type { z } from "zod";
import { computeCid } from "../cid/index.js";
import type { CID } from "../cid/index.js";
import { InvalidManifestError } from "../errors.js";
import { canonicalJson } from "./canonical.js";
import { manifestSchema, manifestVersion } from "./schema.js";
import type { Manifest } from "./schema.js";

/** Largest manifest the sdk reads: 1000 documents fit in well under this. */
export const maxManifestBytes = 1024 * 1024;

export type CreateManifestParameters = Omit<Manifest, "version">;

/**
 * Builds a manifest of the current version and validates it.
 *
 * @example
 * const manifest = createManifest({
 *   goods: { description: "2023 Toyota Land Cruiser 300, 3.3 L V6 diesel", unit: "vehicle" },
 *   deliveryPlace: "Bonded warehouse 7, Port of Tema, Ghana",
 *   documents: [{ type: "bill-of-lading", name: "bl.pdf", mediaType: "application/pdf", size: 48213, cid: "bafk..." }],
 * });
 * @throws {InvalidManifestError} when a field is missing or malformed.
 */
export function createManifest(parameters: CreateManifestParameters): Manifest {
  return parseManifest({ version: manifestVersion, ...parameters });
}

/**
 * Validates any value as a manifest.
 *
 * @throws {InvalidManifestError} listing every problem as `path: message`.
 */
export function parseManifest(value: unknown): Manifest {
  const result = manifestSchema.safeParse(value);
  if (!result.success) throw new InvalidManifestError(formatIssues(result.error.issues));
  return result.data;
}

/** The manifest's canonical bytes (UTF-8 of its canonical JSON): what its CID is computed over. */
export function encodeManifest(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(parseManifest(manifest)));
}

/**
 * Reads a manifest from bytes. Any valid JSON layout is read; `isCanonicalManifest` tells whether
 * the bytes are the canonical ones.
 *
 * @throws {InvalidManifestError} when the bytes are not UTF-8 JSON of a valid manifest.
 */
export function decodeManifest(bytes: Uint8Array): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new InvalidManifestError(["(root): not UTF-8 JSON"], { cause: error });
  }
  return parseManifest(value);
}

/** True when `bytes` are exactly the canonical encoding of the manifest they hold. */
export function isCanonicalManifest(bytes: Uint8Array): boolean {
  const canonical = encodeManifest(decodeManifest(bytes));
  return (
    canonical.byteLength === bytes.byteLength && canonical.every((byte, i) => byte === bytes[i])
  );
}

export type ComputeManifestCidReturnType = { cid: CID; bytes: Uint8Array };

/**
 * The CID the terms commit for a manifest (`Terms.manifestCid` holds its binary form): the Kubo
 * CIDv1 of its canonical bytes.
 */
export async function computeManifestCid(
  manifest: Manifest,
): Promise<ComputeManifestCidReturnType> {
  const bytes = encodeManifest(manifest);
  const { cid } = await computeCid(bytes);
  return { cid, bytes };
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".");
    return `${path}: ${issue.message}`;
  });
}
