// Length: one check per kind of consent the escrow accepts (opening, amendment, settlement,
// attestation, inspection report, credit score), each beside the call it decodes.
import {
  decodeFunctionData,
  getAddress,
  hashStruct,
  isAddressEqual,
  keccak256,
  parseAbi,
  recoverAddress,
  toBytes,
} from "viem";
import type { Address, Client, Hex, Transaction } from "viem";
import { getCode, getTransaction, readContract } from "viem/actions";
import { tradeEscrowAbi } from "../contracts/index.js";
import {
  escrowDomain,
  eip712Types,
  hashAmendment,
  hashAttestation,
  hashCreditScore,
  hashInspectionReport,
  hashOpenTrade,
  hashSettlement,
} from "../eip712/index.js";
import type { EscrowDomain, PartySignature, Terms } from "../eip712/index.js";
import type { EscrowEvent, EventPosition } from "../history/index.js";
import type { DocumentCommitment } from "./documents.js";
import { mapConcurrent } from "./pool.js";
import type { CheckList } from "./report.js";
import { show } from "./report.js";
import { withRetry } from "./retry.js";
import type { EscrowViews } from "./views.js";

/** The escrow's roles, as TradeEscrow.sol defines them. */
export const escrowRoles = {
  operator: keccak256(toBytes("OPERATOR_ROLE")),
  inspector: keccak256(toBytes("INSPECTOR_ROLE")),
  creditOracle: keccak256(toBytes("CREDIT_ORACLE_ROLE")),
} as const;

const erc1271Abi = parseAbi([
  "function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)",
]);
const erc1271MagicValue = "0x1626ba7e";

/** Events whose transaction carries a signature the escrow accepted (or a consent by calling). */
const signedEvents = new Set([
  "TradeOpened",
  "TradeAmended",
  "LotReceived",
  "TitleTransferred",
  "PortArrivalAttested",
  "ClaimFiled",
  "ClaimResolved",
  "CreditScoreRecorded",
]);

/** Recovers the address that signed `hash` (viem's `recoverAddress` by default). */
export type RecoverAddress = (parameters: { hash: Hex; signature: Hex }) => Promise<Address>;

export type CheckSignaturesParameters = {
  /** ECDSA recovery: viem's (pure JavaScript, runs anywhere) unless a faster one is given. */
  recoverAddress?: RecoverAddress;
  client: Client;
  chainId: number;
  escrow: Address;
  events: readonly EscrowEvent[];
  views: EscrowViews;
  checks: CheckList;
  concurrency: number;
  /** Reads in flight at once (a batching transport sends them together). */
  rpcConcurrency: number;
  /** Limit to the transactions of one trade (and its buyer's credit scores). */
  tradeId?: bigint | undefined;
  onProgress?: (done: number, total: number) => void;
};

/**
 * Checks every signature the escrow accepted, from the calldata of the transactions that carried
 * them: each party's consent to open, amend and settle (EIP-712, ERC-1271 for contract wallets, or
 * the party sending the transaction itself), the operator's attestations, the agency's inspection
 * reports (signed, or lodged on chain by the agency beforehand) and the credit oracles' scores;
 * and that the operator, agency or oracle held its role (`hasRole` at the transaction's block).
 *
 * Only calldata sent straight to the escrow can be decoded; a transaction relayed through another
 * contract is reported `skipped`.
 */
export async function checkSignatures(
  parameters: CheckSignaturesParameters,
): Promise<DocumentCommitment[]> {
  const { client, escrow, checks, views } = parameters;
  const domain = escrowDomain({ chainId: parameters.chainId, verifyingContract: escrow });
  const byTransaction = new Map<Hex, EscrowEvent[]>();
  const lodgedReports = new Map<Hex, EscrowEvent>();
  const buyers = new Set<string>();
  const termsHistory: TermsHistory = new Map();
  for (const event of parameters.events) {
    if (
      event.eventName === "TradeOpened" ||
      event.eventName === "TradeProposed" ||
      event.eventName === "TradeAmended"
    ) {
      const versions = termsHistory.get(event.args.tradeId) ?? [];
      versions.push({ position: event, terms: event.args.terms });
      termsHistory.set(event.args.tradeId, versions);
    }
    if (event.eventName === "InspectionReportSubmitted")
      lodgedReports.set(event.args.reportHash, event);
    if (
      (event.eventName === "TradeOpened" || event.eventName === "TradeProposed") &&
      event.args.tradeId === parameters.tradeId
    )
      buyers.add(event.args.terms.buyer.toLowerCase());
  }
  for (const event of parameters.events) {
    if (!signedEvents.has(event.eventName)) continue;
    if (parameters.tradeId !== undefined) {
      const concerns =
        event.eventName === "CreditScoreRecorded"
          ? buyers.has(event.args.buyer.toLowerCase())
          : "tradeId" in event.args && event.args.tradeId === parameters.tradeId;
      if (!concerns) continue;
    }
    const list = byTransaction.get(event.transactionHash) ?? [];
    list.push(event);
    byTransaction.set(event.transactionHash, list);
  }

  const roles = createRoleReader(views, parameters.events);
  const documents: DocumentCommitment[] = [];
  const entries = [...byTransaction.entries()];
  // The transactions first, many to a batched request; then the checks, mostly local hashing.
  const transactions = await mapConcurrent(entries, parameters.rpcConcurrency, ([hash]) =>
    withRetry(() => getTransaction(client, { hash })),
  );
  await mapConcurrent(
    entries,
    parameters.concurrency,
    async ([, events], index) => {
      const transaction = transactions[index]!;
      await checkTransaction({
        documents,
        client,
        recoverAddress: parameters.recoverAddress ?? recoverAddress,
        roles,
        escrow,
        domain,
        views,
        checks,
        transaction,
        events,
        lodgedReports,
        termsHistory,
      });
    },
    (done) => parameters.onProgress?.(done, entries.length),
  );
  return documents;
}

type TransactionContext = {
  /** Documents committed only in calldata (an attestation's document), for the document check. */
  documents: DocumentCommitment[];
  client: Client;
  recoverAddress: RecoverAddress;
  roles: RoleReader;
  escrow: Address;
  domain: EscrowDomain;
  views: EscrowViews;
  checks: CheckList;
  transaction: Transaction;
  events: EscrowEvent[];
  lodgedReports: Map<Hex, EscrowEvent>;
  termsHistory: TermsHistory;
};

/**
 * Each trade's terms, version by version in chain order (proposed, opened, amended): every step but
 * opening names only the trade id, so the parties and the operator it acted for are the terms in
 * force before its transaction.
 */
type TermsHistory = Map<bigint, { position: EventPosition; terms: Terms }[]>;

/** The terms of trade `tradeId` in force just before the event at `at`. */
function termsInForce(
  history: TermsHistory,
  tradeId: bigint,
  at: EventPosition,
): Terms | undefined {
  let found: Terms | undefined;
  for (const { position, terms } of history.get(tradeId) ?? []) {
    const before =
      position.blockNumber < at.blockNumber ||
      (position.blockNumber === at.blockNumber && position.logIndex < at.logIndex);
    if (!before) break;
    found = terms;
  }
  return found;
}

async function checkTransaction(context: TransactionContext): Promise<void> {
  const { transaction, checks, escrow, domain, events } = context;
  const blockNumber = transaction.blockNumber ?? events[0]!.blockNumber;
  const evidence = { block: show(blockNumber), transaction: transaction.hash };
  if (transaction.to === null || !isAddressEqual(transaction.to, escrow)) {
    checks.skipped(
      "signature",
      `signatures of ${transaction.hash}`,
      "not-decodable",
      `Transaction ${transaction.hash} reached the escrow through ${transaction.to ?? "a contract creation"}; its calldata is not the escrow's call.`,
      evidence,
    );
    return;
  }
  let call;
  try {
    call = decodeFunctionData({ abi: tradeEscrowAbi, data: transaction.input });
  } catch {
    checks.skipped(
      "signature",
      `signatures of ${transaction.hash}`,
      "not-decodable",
      `The calldata of ${transaction.hash} is not a call the escrow's ABI knows.`,
      evidence,
    );
    return;
  }
  const consent = (what: string, signer: Address, digest: Hex, signature: PartySignature) =>
    checkConsent(context, blockNumber, what, signer, digest, signature.signature);

  switch (call.functionName) {
    case "openTrade": {
      const [terms, buyerSignature, sellerSignature] = call.args;
      const opened = events.find((e) => e.eventName === "TradeOpened");
      const tradeId = opened?.eventName === "TradeOpened" ? opened.args.tradeId : undefined;
      const label = `trade ${show(tradeId)}`;
      for (const [party, signer, signature] of [
        ["buyer", terms.buyer, buyerSignature],
        ["seller", terms.seller, sellerSignature],
      ] as const) {
        const message = { terms, nonce: signature.nonce, deadline: signature.deadline };
        await consent(
          `${party}'s consent to open ${label}`,
          signer,
          hashOpenTrade({ domain, message }),
          signature,
        );
      }
      return;
    }
    case "amend": {
      // An amendment keeps the parties (the escrow refuses one that changes them).
      const [tradeId, amended, buyerSignature, sellerSignature] = call.args;
      const event = events.find((e) => e.eventName === "TradeAmended");
      const version = event?.eventName === "TradeAmended" ? event.args.version : 0;
      for (const [party, signer, signature] of [
        ["buyer", amended.buyer, buyerSignature],
        ["seller", amended.seller, sellerSignature],
      ] as const) {
        const message = {
          tradeId,
          version,
          terms: amended,
          nonce: signature.nonce,
          deadline: signature.deadline,
        };
        await consent(
          `${party}'s consent to amend trade ${tradeId} to version ${version}`,
          signer,
          hashAmendment({ domain, message }),
          signature,
        );
      }
      return;
    }
    case "settleClaim": {
      const [tradeId, refund, buyerSignature, sellerSignature] = call.args;
      const terms = termsOf(context, tradeId, blockNumber);
      if (terms === undefined) return;
      for (const [party, signer, signature] of [
        ["buyer", terms.buyer, buyerSignature],
        ["seller", terms.seller, sellerSignature],
      ] as const) {
        const message = { tradeId, refund, nonce: signature.nonce, deadline: signature.deadline };
        await consent(
          `${party}'s consent to settle trade ${tradeId}'s claim for ${refund}`,
          signer,
          hashSettlement({ domain, message }),
          signature,
        );
      }
      return;
    }
    case "attest": {
      const [attestation, signature] = call.args;
      const terms = termsOf(context, attestation.tradeId, blockNumber);
      if (terms === undefined) return;
      const what = `operator's attestation of lot ${attestation.lot} of trade ${attestation.tradeId}`;
      await checkConsent(
        context,
        blockNumber,
        what,
        terms.operator,
        hashAttestation({ domain, message: attestation }),
        signature,
      );
      await checkRole(context, blockNumber, what, "operator", terms.operator);
      // Only a receipt's document reaches an event (LotReceived); a title transfer's or a port
      // arrival's is in the calldata alone.
      if (attestation.documentCid !== "0x") {
        context.documents.push({
          commitment: attestation.documentCid,
          role: "attestation document",
          tradeId: attestation.tradeId,
          blockNumber,
          transactionHash: transaction.hash,
        });
      }
      return;
    }
    case "fileClaim": {
      const [tradeId, , report, signature] = call.args;
      const what = `inspection report of trade ${tradeId} by ${report.agency}`;
      if (signature === "0x") {
        const reportHash = hashStruct({
          data: report,
          primaryType: "InspectionReport",
          types: { InspectionReport: eip712Types.InspectionReport },
        });
        const lodged = context.lodgedReports.get(reportHash);
        const lodgedBefore =
          lodged?.eventName === "InspectionReportSubmitted" &&
          isAddressEqual(lodged.args.agency, report.agency) &&
          lodged.blockNumber <= blockNumber;
        if (lodgedBefore) {
          checks.passed(
            "signature",
            what,
            `The ${what} was lodged on chain by the agency in ${lodged.transactionHash}.`,
            {
              ...evidenceFor(context, blockNumber),
              account: getAddress(report.agency),
              expected: reportHash,
              found: reportHash,
            },
          );
        } else {
          checks.failed(
            "signature",
            what,
            "invalid-signature",
            `The ${what} was neither signed nor lodged on chain by the agency.`,
            {
              ...evidenceFor(context, blockNumber),
              account: getAddress(report.agency),
              expected: reportHash,
              found: "no InspectionReportSubmitted event",
            },
          );
        }
      } else {
        await checkConsent(
          context,
          blockNumber,
          what,
          report.agency,
          hashInspectionReport({ domain, message: report }),
          signature,
        );
      }
      await checkRole(context, blockNumber, what, "inspector", report.agency);
      return;
    }
    case "recordCreditScore": {
      const [score, signature] = call.args;
      const recorded = events.find((e) => e.eventName === "CreditScoreRecorded");
      const oracle =
        recorded?.eventName === "CreditScoreRecorded" ? recorded.args.oracle : transaction.from;
      const what = `credit score ${score.score} of ${score.buyer} by ${oracle}`;
      // Oracles sign with a key (ECDSA), never through a contract wallet (TradeEscrow._recoverOracle).
      await checkConsent(
        context,
        blockNumber,
        what,
        oracle,
        hashCreditScore({ domain, message: score }),
        signature,
        { ecdsaOnly: true },
      );
      await checkRole(context, blockNumber, what, "creditOracle", oracle);
      return;
    }
    default:
      // acceptTrade, confirmReceipt, executeRuling...: consent by calling, no signature to check.
      return;
  }
}

/**
 * The terms trade `tradeId` had in force when the transaction ran; a trade the events never opened
 * fails the check (the escrow would have refused the step).
 */
function termsOf(
  context: TransactionContext,
  tradeId: bigint,
  blockNumber: bigint,
): Terms | undefined {
  const first = context.events[0]!;
  const terms = termsInForce(context.termsHistory, tradeId, first);
  if (terms === undefined) {
    context.checks.failed(
      "signature",
      `signatures of ${context.transaction.hash}`,
      "unknown-trade",
      `Transaction ${context.transaction.hash} acted on trade ${tradeId}, which no event opened before it.`,
      evidenceFor(context, blockNumber),
    );
  }
  return terms;
}

function evidenceFor(context: TransactionContext, blockNumber: bigint) {
  return { block: show(blockNumber), transaction: context.transaction.hash };
}

/** A consent: the signer sent the transaction (empty signature), or its signature is valid at the block. */
async function checkConsent(
  context: TransactionContext,
  blockNumber: bigint,
  what: string,
  signer: Address,
  digest: Hex,
  signature: Hex,
  options: { ecdsaOnly?: boolean } = {},
): Promise<void> {
  const { checks, transaction, client } = context;
  const evidence = {
    ...evidenceFor(context, blockNumber),
    account: getAddress(signer),
    expected: getAddress(signer),
  };
  if (signature === "0x") {
    if (isAddressEqual(transaction.from, signer)) {
      checks.passed("signature", what, `The ${what} was given by sending the transaction.`, {
        ...evidence,
        found: getAddress(transaction.from),
      });
    } else {
      checks.failed(
        "signature",
        what,
        "invalid-signature",
        `The ${what} has no signature, yet ${transaction.from} sent it.`,
        {
          ...evidence,
          found: getAddress(transaction.from),
        },
      );
    }
    return;
  }
  let recovered: Address | undefined;
  try {
    recovered = await context.recoverAddress({ hash: digest, signature });
  } catch {
    recovered = undefined;
  }
  if (recovered !== undefined && isAddressEqual(recovered, signer)) {
    checks.passed("signature", what, `The ${what} is signed by ${getAddress(signer)} (EIP-712).`, {
      ...evidence,
      found: recovered,
    });
    return;
  }
  if (options.ecdsaOnly !== true) {
    const code = await withRetry(() => getCode(client, { address: signer, blockNumber }));
    if (code !== undefined && code !== "0x") {
      const answer = await withRetry(() =>
        readContract(client, {
          address: signer,
          abi: erc1271Abi,
          functionName: "isValidSignature",
          args: [digest, signature],
          blockNumber,
        }),
      ).catch(() => undefined);
      if (answer === erc1271MagicValue) {
        checks.passed(
          "signature",
          what,
          `The ${what} is signed by contract wallet ${getAddress(signer)} (ERC-1271).`,
          {
            ...evidence,
            found: getAddress(signer),
          },
        );
        return;
      }
    }
  }
  checks.failed(
    "signature",
    what,
    "invalid-signature",
    `The ${what} is not ${getAddress(signer)}'s signature.`,
    {
      ...evidence,
      found: recovered ?? "no signer",
    },
  );
}

async function checkRole(
  context: TransactionContext,
  blockNumber: bigint,
  what: string,
  role: keyof typeof escrowRoles,
  account: Address,
): Promise<void> {
  const held = await context.roles.held(escrowRoles[role], account, blockNumber);
  const evidence = {
    ...evidenceFor(context, blockNumber),
    account: getAddress(account),
    field: `${role} role`,
    expected: "true",
    found: String(held),
  };
  if (held)
    context.checks.passed(
      "signature",
      `${what}: role`,
      `${getAddress(account)} held the ${role} role at block ${blockNumber}.`,
      evidence,
    );
  else
    context.checks.failed(
      "signature",
      `${what}: role`,
      "role-not-held",
      `${getAddress(account)} did not hold the ${role} role at block ${blockNumber}.`,
      evidence,
    );
}

/** `hasRole` at a block, read once per stretch of blocks in which the role cannot have changed. */
type RoleReader = { held: (role: Hex, account: Address, blockNumber: bigint) => Promise<boolean> };

/**
 * Reads `hasRole(role, account)` at the blocks asked, on chain, but once per stretch between two of
 * the escrow's `RoleGranted` / `RoleRevoked` events for that role and account: only those change it
 * (OpenZeppelin AccessControl), so between them every block gives the same answer. A thousand
 * attestations by one operator cost one historical call instead of a thousand.
 */
function createRoleReader(views: EscrowViews, events: readonly EscrowEvent[]): RoleReader {
  const changes = new Map<string, bigint[]>();
  for (const event of events) {
    if (event.eventName !== "RoleGranted" && event.eventName !== "RoleRevoked") continue;
    const key = `${event.args.role}|${event.args.account.toLowerCase()}`;
    const blocks = changes.get(key) ?? [];
    blocks.push(event.blockNumber);
    changes.set(key, blocks);
  }
  const answers = new Map<string, Promise<boolean>>();
  return {
    held: (role, account, blockNumber) => {
      const key = `${role}|${account.toLowerCase()}`;
      const stretch = (changes.get(key) ?? []).filter((block) => block <= blockNumber).length;
      const memo = `${key}|${stretch}`;
      let answer = answers.get(memo);
      if (answer === undefined) {
        answer = views.hasRole(role, account, blockNumber);
        answers.set(memo, answer);
      }
      return answer;
    },
  };
}
