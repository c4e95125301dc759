import type { Hex } from "viem";
import { commitmentToCid } from "../documents/cid/index.js";
import {
  BlockMismatchError,
  DocumentNotFoundError,
  IntegrityError,
  InvalidCidError,
  InvalidManifestError,
  MissingBlockError,
} from "../documents/errors.js";
import { decodeManifest, maxManifestBytes } from "../documents/manifest/index.js";
import type { Manifest } from "../documents/manifest/index.js";
import type { VerifiedReader } from "../documents/verify/index.js";
import { isRetryableError } from "../errors/index.js";
import { metaEvidenceSubject } from "../history/index.js";
import type { EscrowEvent } from "../history/index.js";
import { AuditSourceError } from "./errors.js";
import { mapConcurrent } from "./pool.js";
import type { CheckList } from "./report.js";
import { show } from "./report.js";
import { withRetry } from "./retry.js";

/** A document the chain commits: its binary CID and where the commitment is. */
export type DocumentCommitment = {
  commitment: Hex;
  /** `manifest` (the terms' manifest: must be a valid manifest), or what else the document is. */
  role:
    | "manifest"
    | "shipping documents"
    | "milestone document"
    | "lot receipt"
    | "attestation document"
    | "inspection report"
    | "evidence";
  tradeId: bigint;
  blockNumber: bigint;
  transactionHash: Hex;
};

/**
 * Every document commitment in the escrow's events: the manifest of every terms version, shipping
 * documents, milestone documents, lot receipts, inspection reports and evidence (ERC-1497 `Evidence`
 * and `MetaEvidence` included). Empty commitments (an optional document left out) are skipped.
 */
export function collectCommitments(events: readonly EscrowEvent[]): DocumentCommitment[] {
  const found: DocumentCommitment[] = [];
  const add = (
    event: EscrowEvent,
    tradeId: bigint,
    commitment: Hex,
    role: DocumentCommitment["role"],
  ) => {
    if (commitment === "0x") return;
    found.push({
      commitment,
      role,
      tradeId,
      blockNumber: event.blockNumber,
      transactionHash: event.transactionHash,
    });
  };
  for (const event of events) {
    switch (event.eventName) {
      case "TradeProposed":
      case "TradeOpened":
      case "TradeAmended":
        add(event, event.args.tradeId, event.args.terms.manifestCid, "manifest");
        break;
      case "MetaEvidence":
        add(
          event,
          metaEvidenceSubject(event.args.metaEvidenceID).tradeId,
          event.args.evidenceCid,
          "manifest",
        );
        break;
      case "GoodsShipped":
        add(event, event.args.tradeId, event.args.documentsCid, "shipping documents");
        break;
      case "MilestoneRecorded":
        add(event, event.args.tradeId, event.args.documentCid, "milestone document");
        break;
      case "LotReceived":
        add(event, event.args.tradeId, event.args.documentCid, "lot receipt");
        break;
      case "ClaimFiled":
        add(event, event.args.tradeId, event.args.reportCid, "inspection report");
        add(event, event.args.tradeId, event.args.evidenceCid, "evidence");
        break;
      case "Evidence":
        add(event, event.args.evidenceGroupID, event.args.evidenceCid, "evidence");
        break;
      default:
        break;
    }
  }
  return found;
}

export type CheckDocumentsParameters = {
  commitments: readonly DocumentCommitment[];
  reader: VerifiedReader;
  /** The source's name, for messages (`gateway http://127.0.0.1:3000`). */
  sourceName: string;
  checks: CheckList;
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
};

type Outcome =
  | { ok: true; size: number; manifest: Manifest | undefined }
  | { ok: false; problem: string; message: string };

/**
 * Fetches every committed document once (by CID) through the verified reader and reports one check
 * per document: passed when its bytes hash to the commitment; failed `missing` when no source has
 * it, `mismatch` when the bytes differ from the CID, `incomplete` when part of it never arrives,
 * `invalid-manifest` when a terms manifest does not follow the schema, `invalid-commitment` when the
 * chain's bytes are not a CID. The documents a manifest names are fetched and checked too, with the
 * size it declares. A manifest found as evidence or shipping documents is followed the same way.
 */
export async function checkDocuments(parameters: CheckDocumentsParameters): Promise<void> {
  const { reader, checks } = parameters;
  type Job = {
    cid: string;
    origin: string;
    commitment: DocumentCommitment;
    mustBeManifest: boolean;
    declaredSize: number | undefined;
  };
  const seen = new Set<string>();
  let queue: Job[] = [];
  for (const commitment of parameters.commitments) {
    let cid: string;
    try {
      cid = commitmentToCid(commitment.commitment).toString();
    } catch (error) {
      if (!(error instanceof InvalidCidError)) throw error;
      checks.failed(
        "document",
        `${commitment.role} of trade ${commitment.tradeId}`,
        "invalid-commitment",
        `The ${commitment.role} commitment ${commitment.commitment} of trade ${commitment.tradeId} is not a CID.`,
        evidenceOf(commitment, undefined),
      );
      continue;
    }
    if (seen.has(cid)) continue;
    seen.add(cid);
    queue.push({
      cid,
      origin: `${commitment.role} of trade ${commitment.tradeId}`,
      commitment,
      mustBeManifest: commitment.role === "manifest",
      declaredSize: undefined,
    });
  }

  let done = 0;
  let total = queue.length;
  while (queue.length > 0) {
    const jobs = queue;
    queue = [];
    await mapConcurrent(jobs, parameters.concurrency, async (job) => {
      const outcome = await fetchDocument(
        reader,
        job.cid,
        job.mustBeManifest,
        parameters.sourceName,
      );
      const evidence = evidenceOf(job.commitment, job.cid);
      const subject = `document ${job.cid}`;
      done += 1;
      parameters.onProgress?.(done, total);
      if (!outcome.ok) {
        checks.failed(
          "document",
          subject,
          outcome.problem,
          `The ${job.origin}: ${outcome.message}`,
          evidence,
        );
        return;
      }
      if (job.declaredSize !== undefined && job.declaredSize !== outcome.size) {
        checks.failed(
          "document",
          subject,
          "size-mismatch",
          `The ${job.origin} has ${outcome.size} bytes; its manifest declares ${job.declaredSize}.`,
          {
            ...evidence,
            field: "size",
            expected: show(job.declaredSize),
            found: show(outcome.size),
          },
        );
        return;
      }
      checks.passed(
        "document",
        subject,
        `The ${job.origin} (${outcome.size} bytes) matches its CID.`,
        { ...evidence, found: `${outcome.size} bytes` },
      );
      for (const document of outcome.manifest?.documents ?? []) {
        if (seen.has(document.cid)) continue;
        seen.add(document.cid);
        total += 1;
        queue.push({
          cid: document.cid,
          origin: `${document.type} "${document.name}" named in the manifest ${job.cid} (${job.origin})`,
          commitment: job.commitment,
          mustBeManifest: false,
          declaredSize: document.size,
        });
      }
    });
  }
}

/** Reads a document, verified; small ones are kept to be read as manifests. */
async function fetchDocument(
  reader: VerifiedReader,
  cid: string,
  mustBeManifest: boolean,
  sourceName: string,
): Promise<Outcome> {
  try {
    return await withRetry(async () => {
      const kept: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of reader.read(cid, { maxBytes: Number.MAX_SAFE_INTEGER })) {
        size += chunk.byteLength;
        if (size <= maxManifestBytes) kept.push(chunk);
      }
      let manifest: Manifest | undefined;
      if (size <= maxManifestBytes) {
        const bytes = new Uint8Array(size);
        let offset = 0;
        for (const chunk of kept) {
          bytes.set(chunk, offset);
          offset += chunk.byteLength;
        }
        try {
          manifest = decodeManifest(bytes);
        } catch (error) {
          if (!(error instanceof InvalidManifestError) || mustBeManifest) throw error;
        }
      } else if (mustBeManifest) {
        throw new InvalidManifestError([`${size} bytes, over the ${maxManifestBytes}-byte limit`]);
      }
      return { ok: true as const, size, manifest };
    });
  } catch (error) {
    if (error instanceof DocumentNotFoundError)
      return {
        ok: false,
        problem: "missing",
        message: `${cid} is missing from the ${sourceName}.`,
      };
    if (error instanceof BlockMismatchError)
      return {
        ok: false,
        problem: "mismatch",
        message: `the bytes served for ${cid} do not match it.`,
      };
    if (error instanceof MissingBlockError)
      return {
        ok: false,
        problem: "incomplete",
        message: `part of ${cid} is missing: ${error.shortMessage}`,
      };
    if (error instanceof IntegrityError)
      return {
        ok: false,
        problem: "malformed",
        message: `${cid} is not a well-formed file: ${error.shortMessage}`,
      };
    if (error instanceof InvalidManifestError)
      return {
        ok: false,
        problem: "invalid-manifest",
        message: `${cid} is not a valid manifest: ${error.shortMessage}`,
      };
    if (isRetryableError(error))
      throw new AuditSourceError(sourceName, `reading ${cid} failed.`, { cause: error });
    throw error;
  }
}

function evidenceOf(commitment: DocumentCommitment, cid: string | undefined) {
  return {
    block: show(commitment.blockNumber),
    transaction: commitment.transactionHash,
    tradeId: show(commitment.tradeId),
    ...(cid === undefined ? {} : { cid }),
    expected: cid ?? commitment.commitment,
  };
}
