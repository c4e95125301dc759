// Length: the audit's driver, one phase after another (events, code, documents, signatures, court,
// state, funds) with their progress and the report; each phase's own work lives in its module.
import { getAddress, isAddressEqual } from "viem";
import type { Address, Client } from "viem";
import { getBlockNumber, getChainId } from "viem/actions";
import { escrowLibraryNames } from "../contracts/bytecode.js";
import type { VerifiedReader } from "../documents/verify/index.js";
import {
  applyEscrowEvent,
  createEscrowState,
  HistoryError,
  metaEvidenceSubject,
} from "../history/index.js";
import type { EscrowEvent, EscrowState } from "../history/index.js";
import { checkArbitration } from "./arbitration.js";
import type { ClaimResolution } from "./arbitration.js";
import { compareCode, expectedRuntimeCode, linkedLibraries, readCode } from "./code.js";
import type { KnownContract } from "./code.js";
import { checkDocuments, collectCommitments } from "./documents.js";
import { AuditSourceError, InvalidAuditParametersError } from "./errors.js";
import { findDeploymentBlock, readCourtEvents, readEscrowEventsInRanges } from "./events.js";
import { checkCourtFunds, checkFunds } from "./funds.js";
import { countChecks, createCheckList, show } from "./report.js";
import type { CheckList } from "./report.js";
import { isTransient, withRetry } from "./retry.js";
import { checkSignatures } from "./signatures.js";
import type { RecoverAddress } from "./signatures.js";
import { compareAccounts, compareTrades } from "./state.js";
import type { AuditProgress, AuditReport } from "./types.js";
import { createEscrowViews } from "./views.js";

export type AuditEscrowParameters = {
  /** A public client on the escrow's chain (`createAuditClient(url)` batches its reads). */
  client: Client;
  /** For messages: the node's URL. Default: "chain node". */
  rpcName?: string;
  escrow: Address;
  /** The court the deployment names; courts that heard the escrow's claims are found from events. */
  court?: Address | undefined;
  /** Verified reads of documents (`createVerifiedReader({ source: createIpfsSource({ url }) })`). */
  reader: VerifiedReader;
  /** For messages: where documents come from. */
  ipfsName: string;
  /** The block every read is made at. Default: the latest. */
  blockNumber?: bigint | undefined;
  /** The first block of the history. Default: the escrow's deployment block, found on chain. */
  fromBlock?: bigint | undefined;
  /** Audit one trade (its state, documents, signatures and disputes); accounts and funds stay whole. */
  tradeId?: bigint | undefined;
  /** The escrow's libraries as the deployment records them, checked against the code. */
  libraries?: Readonly<Record<string, Address>> | undefined;
  /** Blocks per `eth_getLogs`. Default: 5,000. */
  chunkSize?: bigint;
  /** Documents read at once. Default: 64. */
  concurrency?: number;
  /** Chain reads in flight at once, sent in batches by a batching transport. Default: 512. */
  rpcConcurrency?: number;
  /**
   * ECDSA recovery for the signature checks. Default: viem's `recoverAddress` (pure JavaScript, a
   * few milliseconds a signature); the command line passes libsecp256k1's when it loads.
   */
  recoverAddress?: RecoverAddress;
  onProgress?: (progress: AuditProgress) => void;
};

/**
 * Audits an escrow from the chain and IPFS alone, trusting neither the platform nor the sources:
 *
 * 1. `code`: the escrow, its libraries, its warehouse receipts and its courts hold the expected code
 *    (see `expectedRuntimeCode`). When the escrow's code is not the expected one nothing else can be
 *    read with its ABI, and the report ends there.
 * 2. `history`: every event from the deployment block, folded by the sdk's reducer without
 *    contradiction.
 * 3. `trade` and `accounts`: every trade, credit, bond, pool and debt rebuilt from events equals the
 *    escrow's views at the audited block.
 * 4. `signature`: every signature the escrow accepted, and the signer's role at that block.
 * 5. `document`: every committed document's bytes match their CID (missing told from mismatched),
 *    those in events and those only in accepted calldata (an attestation's document).
 * 6. `arbitration`: every vote against its commitment, every ruling against its votes, every refund
 *    against its ruling.
 * 7. `funds`: the escrow's balance of each token equals what it owes.
 *
 * @throws {AuditSourceError} when the node (or the IPFS source) cannot be reached.
 * @throws {InvalidAuditParametersError} for a block in the future or a trade that does not exist.
 *
 * @example
 * const report = await auditEscrow({
 *   client: createAuditClient("http://127.0.0.1:8545"),
 *   escrow, court,
 *   reader: createVerifiedReader({ source: createIpfsSource({ url: "http://127.0.0.1:3000/ipfs" }) }),
 *   ipfsName: "http://127.0.0.1:3000/ipfs",
 * });
 * if (!report.passed) console.table(report.checks.filter((c) => c.status === "failed"));
 */
export async function auditEscrow(parameters: AuditEscrowParameters): Promise<AuditReport> {
  try {
    return await runAudit(parameters);
  } catch (error) {
    // A node that stops answering half-way (after the retries) is a source that cannot be used.
    if (!(error instanceof AuditSourceError) && isTransient(error)) {
      throw new AuditSourceError(parameters.rpcName ?? "chain node", "it stopped answering.", {
        cause: error,
      });
    }
    throw error;
  }
}

async function runAudit(parameters: AuditEscrowParameters): Promise<AuditReport> {
  const started = Date.now();
  const { client, reader } = parameters;
  const escrow = getAddress(parameters.escrow);
  const rpcName = parameters.rpcName ?? "chain node";
  const concurrency = parameters.concurrency ?? 64;
  const rpcConcurrency = parameters.rpcConcurrency ?? 512;
  const checks = createCheckList();
  const progress = parameters.onProgress ?? (() => undefined);

  let chainId: number;
  let latest: bigint;
  try {
    [chainId, latest] = await Promise.all([
      withRetry(() => getChainId(client)),
      withRetry(() => getBlockNumber(client, { cacheTime: 0 })),
    ]);
  } catch (error) {
    throw new AuditSourceError(rpcName, "it does not answer JSON-RPC.", { cause: error });
  }
  const blockNumber = parameters.blockNumber ?? latest;
  if (blockNumber > latest) {
    throw new InvalidAuditParametersError([
      `block: ${blockNumber} is after the latest block ${latest}`,
    ]);
  }

  const finish = (fromBlock: bigint): AuditReport => ({
    chainId,
    escrow,
    court: parameters.court === undefined ? undefined : getAddress(parameters.court),
    blockNumber: show(blockNumber),
    fromBlock: show(fromBlock),
    tradeId: parameters.tradeId === undefined ? undefined : show(parameters.tradeId),
    ipfs: parameters.ipfsName,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    ...countChecks(checks.checks),
    checks: [...checks.checks],
  });

  // 1. Code.
  progress({ step: "code", done: 0, total: 1 });
  const escrowOk = await checkEscrowCode(client, escrow, blockNumber, parameters.libraries, checks);
  if (!escrowOk) return finish(parameters.fromBlock ?? 0n);
  const views = createEscrowViews(client, escrow, blockNumber);
  await checkCode(client, "WarehouseReceipt", await views.receipts(), blockNumber, {}, checks);

  // 2. Events and the history.
  const fromBlock =
    parameters.fromBlock ?? (await findDeploymentBlock(client, escrow, blockNumber)) ?? 0n;
  progress({ step: "events", done: 0, total: Number(blockNumber - fromBlock + 1n) });
  const escrowEvents = await readEscrowEventsInRanges({
    client,
    escrow,
    fromBlock,
    toBlock: blockNumber,
    chunkSize: parameters.chunkSize,
    onProgress: (done, total) =>
      progress({ step: "events", done: Number(done), total: Number(total) }),
  });
  const courts = new Map<string, Address>();
  if (parameters.court !== undefined)
    courts.set(parameters.court.toLowerCase(), getAddress(parameters.court));
  for (const event of escrowEvents)
    if (event.eventName === "ClaimContested")
      courts.set(event.args.arbitrator.toLowerCase(), getAddress(event.args.arbitrator));
  const verifiedCourts: Address[] = [];
  for (const court of courts.values())
    if (await checkCode(client, "ArbitrationCourt", court, blockNumber, {}, checks))
      verifiedCourts.push(court);
  const courtEvents = await readCourtEvents({
    client,
    courts: verifiedCourts,
    fromBlock,
    toBlock: blockNumber,
    chunkSize: parameters.chunkSize,
  });
  const { state, resolutions } = foldHistory(escrow, escrowEvents, checks, blockNumber);

  // 3. Trades and accounts against the views.
  const count = await views.tradeCount();
  if (parameters.tradeId !== undefined && (parameters.tradeId < 1n || parameters.tradeId > count)) {
    throw new InvalidAuditParametersError([
      `trade: no trade ${parameters.tradeId} (the escrow has ${count})`,
    ]);
  }
  const tradeIds =
    parameters.tradeId !== undefined
      ? [parameters.tradeId]
      : Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
  progress({ step: "trade", done: 0, total: tradeIds.length });
  const tradeViews = await compareTrades({
    state,
    views,
    checks,
    tradeIds,
    concurrency: rpcConcurrency,
    onProgress: (done) => progress({ step: "trade", done, total: tradeIds.length }),
  });
  const accounts = await compareAccounts({ state, views, checks, concurrency: rpcConcurrency });

  // 4. Signatures (before documents: an attestation's document is in its calldata alone).
  progress({ step: "signature", done: 0, total: 0 });
  const calldataDocuments = await checkSignatures({
    client,
    chainId,
    escrow,
    events: escrowEvents,
    views,
    checks,
    concurrency,
    rpcConcurrency,
    ...(parameters.recoverAddress === undefined
      ? {}
      : { recoverAddress: parameters.recoverAddress }),
    tradeId: parameters.tradeId,
    onProgress: (done, total) => progress({ step: "signature", done, total }),
  });

  // 5. Documents.
  const only = parameters.tradeId;
  const selected =
    only === undefined
      ? escrowEvents
      : escrowEvents.filter(
          (e) => ("tradeId" in e.args && e.args.tradeId === only) || concernsTrade(e, only),
        );
  progress({ step: "document", done: 0, total: 0 });
  await checkDocuments({
    commitments: [...collectCommitments(selected), ...calldataDocuments],
    reader,
    sourceName: parameters.ipfsName,
    checks,
    concurrency,
    onProgress: (done, total) => progress({ step: "document", done, total }),
  });

  // 6. Arbitration, on the courts whose code is the court's.
  progress({ step: "arbitration", done: 0, total: 1 });
  for (const court of courts.values()) {
    if (verifiedCourts.some((verified) => isAddressEqual(verified, court))) continue;
    checks.skipped(
      "arbitration",
      `disputes at ${court}`,
      "code-mismatch",
      `The disputes heard at ${court} cannot be recounted: it does not hold the court's code.`,
      { address: court },
    );
  }
  await checkArbitration({
    client,
    blockNumber,
    escrowEvents: escrowEvents.filter(
      (e) =>
        e.eventName !== "ClaimContested" ||
        verifiedCourts.some((c) => isAddressEqual(c, e.args.arbitrator)),
    ),
    courtEvents,
    resolutions,
    checks,
    concurrency,
    tradeId: parameters.tradeId,
  });

  // 7. Funds.
  progress({ step: "funds", done: 0, total: 1 });
  await checkFunds({
    state,
    views,
    checks,
    tradeViews,
    accounts,
    concurrency: rpcConcurrency,
  });
  for (const court of verifiedCourts) {
    await checkCourtFunds({
      client,
      court,
      blockNumber,
      courtEvents,
      checks,
      concurrency: rpcConcurrency,
    });
  }
  progress({ step: "funds", done: 1, total: 1 });
  return finish(fromBlock);
}

/** ERC-1497 events name the trade in `metaEvidenceID` (with its terms version) / `evidenceGroupID`. */
function concernsTrade(event: EscrowEvent, tradeId: bigint): boolean {
  if (event.eventName === "MetaEvidence")
    return metaEvidenceSubject(event.args.metaEvidenceID).tradeId === tradeId;
  if (event.eventName === "Evidence") return event.args.evidenceGroupID === tradeId;
  return false;
}

/**
 * Folds the events with the history's reducer, one `history` check for the whole history (failed at
 * the first event that contradicts the ones before it; the rest are still folded), and keeps each
 * claim's state just before its resolution for the arbitration recount.
 */
function foldHistory(
  escrow: Address,
  events: readonly EscrowEvent[],
  checks: CheckList,
  blockNumber: bigint,
): { state: EscrowState; resolutions: ClaimResolution[] } {
  const state = createEscrowState(escrow);
  const resolutions: ClaimResolution[] = [];
  let contradictions = 0;
  for (const event of events) {
    if (event.eventName === "ClaimResolved") {
      const trade = state.trades.get(event.args.tradeId);
      if (trade?.claim !== undefined) {
        resolutions.push({
          tradeId: event.args.tradeId,
          event,
          price: trade.terms.price,
          escrowedBefore: trade.escrowed,
          sellerBondBefore: trade.sellerBond,
          claim: { ...trade.claim },
          operator: trade.terms.operator,
          operatorBondBefore: state.operators.get(getAddress(trade.terms.operator))?.bond ?? 0n,
        });
      }
    }
    try {
      applyEscrowEvent(state, event);
    } catch (error) {
      if (!(error instanceof HistoryError)) throw error;
      contradictions += 1;
      if (contradictions === 1) {
        checks.failed(
          "history",
          "event history",
          "inconsistent-history",
          `${event.eventName} at block ${event.blockNumber} cannot follow the events before it: ${error.shortMessage}`,
          {
            block: show(event.blockNumber),
            transaction: event.transactionHash,
          },
        );
      }
    }
  }
  if (contradictions === 0) {
    checks.passed(
      "history",
      "event history",
      `${events.length} events up to block ${blockNumber} fold without contradiction.`,
      {
        block: show(blockNumber),
        found: `${events.length} events`,
      },
    );
  }
  return { state, resolutions };
}

/** Checks the escrow's code and its libraries'; false when the escrow's is not the expected code. */
async function checkEscrowCode(
  client: Client,
  escrow: Address,
  blockNumber: bigint,
  expectedLibraries: Readonly<Record<string, Address>> | undefined,
  checks: CheckList,
): Promise<boolean> {
  const code = await withRetry(() => readCode(client, escrow, blockNumber));
  const libraries = linkedLibraries(code);
  if (Object.keys(libraries).length !== escrowLibraryNames.length) {
    checks.failed(
      "code",
      `TradeEscrow at ${escrow}`,
      "code-mismatch",
      code === "0x"
        ? `No contract at ${escrow} at block ${blockNumber}.`
        : `The code at ${escrow} is not the escrow's: too short to hold its library links.`,
      { block: show(blockNumber), address: escrow, found: `${(code.length - 2) / 2} bytes` },
    );
    return false;
  }
  if (!(await checkCode(client, "TradeEscrow", escrow, blockNumber, libraries, checks, code)))
    return false;
  for (const [name, address] of Object.entries(libraries)) {
    const recorded = expectedLibraries?.[name];
    if (recorded !== undefined && !isAddressEqual(recorded, address)) {
      checks.failed(
        "code",
        `${name} link`,
        "library-mismatch",
        `The escrow links ${name} at ${address}; the deployment records ${recorded}.`,
        {
          block: show(blockNumber),
          address: escrow,
          expected: getAddress(recorded),
          found: address,
        },
      );
    }
    await checkCode(client, name as KnownContract, address, blockNumber, {}, checks);
  }
  return true;
}

/** One `code` check: the code at `address` against `name`'s expected runtime code. */
async function checkCode(
  client: Client,
  name: KnownContract,
  address: Address,
  blockNumber: bigint,
  libraries: Readonly<Record<string, Address>>,
  checks: CheckList,
  known?: `0x${string}`,
): Promise<boolean> {
  const code = known ?? (await withRetry(() => readCode(client, address, blockNumber)));
  const result = compareCode(code, expectedRuntimeCode(name, libraries));
  const evidence = {
    block: show(blockNumber),
    address: getAddress(address),
    expected: result.expectedHash,
    found: result.codeHash,
  };
  if (result.matches) {
    checks.passed(
      "code",
      `${name} at ${getAddress(address)}`,
      `${getAddress(address)} holds ${name}'s code (immutables and links masked).`,
      evidence,
    );
    return true;
  }
  checks.failed(
    "code",
    `${name} at ${getAddress(address)}`,
    "code-mismatch",
    `${getAddress(address)} does not hold ${name}'s code: ${result.reason}.`,
    evidence,
  );
  return false;
}
