import * as dagPb from "@ipld/dag-pb";
import type { PBNode } from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import * as raw from "multiformats/codecs/raw";
import type { CID } from "multiformats/cid";
import {
  DocumentNotFoundError,
  MalformedDagError,
  MissingBlockError,
  UnsupportedCidError,
} from "../errors.js";
import { inlineBlock, verifyBlock } from "./verifyBlock.js";

/**
 * Fetches a block's bytes, unverified (the walker verifies them). Throws `DocumentNotFoundError`
 * when the block is not there.
 */
export type GetBlock = (cid: CID, options: { signal?: AbortSignal }) => Promise<Uint8Array>;

/** A verified root of a UnixFS file. */
export type FileRoot = {
  cid: CID;
  /** The root block, verified. */
  block: Uint8Array;
  /** Bytes of content of the whole file. */
  size: number;
};

/** One verified block of the DAG, in depth-first order. */
export type WalkedBlock = {
  cid: CID;
  block: Uint8Array;
  /** The file's bytes this block carries (a raw leaf, or a UnixFS node's data); may be empty. */
  data: Uint8Array;
};

export type WalkFileOptions = {
  signal?: AbortSignal;
  /** How many sibling blocks are fetched ahead of the one being read. Default: 4. */
  prefetch?: number;
  /** Deepest DAG accepted (a 174-wide tree of depth 6 holds 7 PiB). Default: 16. */
  maxDepth?: number;
};

/**
 * Fetches and verifies the root block of a UnixFS file and reads its size.
 *
 * @throws {DocumentNotFoundError} when the root block is not there.
 * @throws {IntegrityError} when the block does not match the CID or is no UnixFS file.
 */
export async function loadFileRoot(
  cid: CID,
  getBlock: GetBlock,
  options: { signal?: AbortSignal } = {},
): Promise<FileRoot> {
  const block = await fetchVerified(cid, getBlock, options.signal, undefined);
  const parsed = parseNode(cid, block);
  return { cid, block, size: parsed.size };
}

/**
 * Walks a UnixFS file depth-first from its verified root, fetching and verifying every block
 * against the CID its parent names, and checking the DAG's structure: each child carries exactly
 * the bytes its parent's `blocksizes` says. What it yields is therefore exactly the content the root
 * CID commits; a tampered block, a missing block or a malformed DAG throws an `IntegrityError`.
 * It pulls: nothing is fetched faster than the consumer reads, beyond `prefetch` blocks.
 */
export async function* walkFile(
  root: FileRoot,
  getBlock: GetBlock,
  options: WalkFileOptions = {},
): AsyncGenerator<WalkedBlock> {
  const prefetch = Math.max(1, options.prefetch ?? 4);
  const maxDepth = options.maxDepth ?? 16;
  const rootKey = root.cid.toString();

  async function* visit(
    cid: CID,
    block: Uint8Array,
    expected: number | undefined,
    depth: number,
  ): AsyncGenerator<WalkedBlock, number> {
    if (depth > maxDepth)
      throw new MalformedDagError(cid.toString(), `it is deeper than ${maxDepth} levels`);
    const parsed = parseNode(cid, block);
    if (expected !== undefined && parsed.size !== expected) {
      throw new MalformedDagError(
        cid.toString(),
        `it holds ${parsed.size} bytes where its parent says ${expected}`,
      );
    }
    yield { cid, block, data: parsed.data };
    const links = parsed.links;
    const pending: Array<Promise<Uint8Array> | undefined> = [];
    const start = (i: number) => {
      const link = links[i];
      if (link === undefined || pending[i] !== undefined) return;
      const promise = fetchVerified(link.cid, getBlock, options.signal, rootKey);
      promise.catch(() => undefined); // awaited in order below; never left unhandled
      pending[i] = promise;
    };
    for (let i = 0; i < links.length; i++) {
      for (let j = i; j < Math.min(links.length, i + prefetch); j++) start(j);
      const child = await pending[i]!;
      pending[i] = undefined;
      const link = links[i]!;
      yield* visit(link.cid, child, link.size, depth + 1);
    }
    return parsed.size;
  }

  yield* visit(root.cid, root.block, root.size, 0);
}

type ParsedNode = {
  data: Uint8Array;
  links: Array<{ cid: CID; size: number }>;
  /** Bytes of file content under this node. */
  size: number;
};

const empty = new Uint8Array(0);

function parseNode(cid: CID, block: Uint8Array): ParsedNode {
  if (cid.code === raw.code) return { data: block, links: [], size: block.byteLength };
  if (cid.code !== dagPb.code) {
    throw new UnsupportedCidError(
      cid.toString(),
      `codec 0x${cid.code.toString(16)} is not a UnixFS file codec`,
    );
  }
  let node: PBNode;
  let unixfs: UnixFS;
  try {
    node = dagPb.decode(block);
    if (node.Data === undefined) throw new Error("the node has no Data");
    unixfs = UnixFS.unmarshal(node.Data);
  } catch (error) {
    throw new MalformedDagError(cid.toString(), "it does not decode as a UnixFS node", {
      cause: error,
    });
  }
  if (unixfs.type !== "file" && unixfs.type !== "raw") {
    throw new MalformedDagError(cid.toString(), `it is a UnixFS ${unixfs.type}, not a file`);
  }
  if (node.Links.length !== unixfs.blockSizes.length) {
    throw new MalformedDagError(
      cid.toString(),
      `it has ${node.Links.length} links but ${unixfs.blockSizes.length} block sizes`,
    );
  }
  const data = unixfs.data ?? empty;
  let size = data.byteLength;
  const links = node.Links.map((link, i) => {
    const childSize = Number(unixfs.blockSizes[i]);
    if (!Number.isSafeInteger(childSize)) {
      throw new MalformedDagError(
        cid.toString(),
        `block size ${unixfs.blockSizes[i]} is out of range`,
      );
    }
    size += childSize;
    return { cid: link.Hash, size: childSize };
  });
  if (!Number.isSafeInteger(size))
    throw new MalformedDagError(cid.toString(), "the file size is out of range");
  return { data, links, size };
}

async function fetchVerified(
  cid: CID,
  getBlock: GetBlock,
  signal: AbortSignal | undefined,
  root: string | undefined,
): Promise<Uint8Array> {
  let block = inlineBlock(cid);
  if (block === undefined) {
    try {
      block = await getBlock(cid, { signal });
    } catch (error) {
      if (error instanceof DocumentNotFoundError && root !== undefined) {
        throw new MissingBlockError(cid.toString(), { root, cause: error });
      }
      throw error;
    }
  }
  await verifyBlock(cid, block);
  return block;
}
