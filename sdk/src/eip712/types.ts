import type { ContractFunctionArgs, TypedDataDefinition } from "viem";
import type { tradeEscrowAbi } from "../contracts/index.js";

/**
 * The EIP-712 types of every message the escrow checks, exactly as contracts/libraries/TradeTerms.sol
 * writes their type strings (field order, names and Solidity types; enums are `uint8`). A test
 * compares them with the Solidity source; the contract tests prove the digests equal.
 */
export const eip712Types = {
  Terms: [
    { name: "buyer", type: "address" },
    { name: "seller", type: "address" },
    { name: "operator", type: "address" },
    { name: "token", type: "address" },
    { name: "mode", type: "uint8" },
    { name: "price", type: "uint256" },
    { name: "quantity", type: "uint64" },
    { name: "toleranceBps", type: "uint16" },
    { name: "depositBps", type: "uint16" },
    { name: "lots", type: "uint16" },
    { name: "latestDelivery", type: "uint64" },
    { name: "shipWindow", type: "uint32" },
    { name: "deliveryGrace", type: "uint32" },
    { name: "depositWindow", type: "uint32" },
    { name: "fulfilmentDays", type: "uint8" },
    { name: "claimWindow", type: "uint32" },
    { name: "responseDays", type: "uint8" },
    { name: "collectAfter", type: "uint32" },
    { name: "feeBps", type: "uint16" },
    { name: "sellerBond", type: "uint256" },
    { name: "arbitrator", type: "address" },
    { name: "arbitratorExtraData", type: "bytes" },
    { name: "manifestCid", type: "bytes" },
  ],
  OpenTrade: [
    { name: "terms", type: "Terms" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Amendment: [
    { name: "tradeId", type: "uint256" },
    { name: "version", type: "uint16" },
    { name: "terms", type: "Terms" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Attestation: [
    { name: "tradeId", type: "uint256" },
    { name: "kind", type: "uint8" },
    { name: "lot", type: "uint16" },
    { name: "quantity", type: "uint64" },
    { name: "time", type: "uint64" },
    { name: "documentCid", type: "bytes" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  InspectionReport: [
    { name: "tradeId", type: "uint256" },
    { name: "agency", type: "address" },
    { name: "varianceBps", type: "uint16" },
    { name: "material", type: "bool" },
    { name: "reportCid", type: "bytes" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Settlement: [
    { name: "tradeId", type: "uint256" },
    { name: "refund", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  CreditScore: [
    { name: "buyer", type: "address" },
    { name: "score", type: "uint16" },
    { name: "issuedAt", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

/** EIP-2612 `Permit`, as OpenZeppelin's ERC20Permit (and every EIP-2612 token) hashes it. */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

// Each message with exactly the types it references, as a wallet should be shown them.
export const termsTypes = { Terms: eip712Types.Terms } as const;
export const openTradeTypes = {
  OpenTrade: eip712Types.OpenTrade,
  Terms: eip712Types.Terms,
} as const;
export const amendmentTypes = {
  Amendment: eip712Types.Amendment,
  Terms: eip712Types.Terms,
} as const;
export const attestationTypes = { Attestation: eip712Types.Attestation } as const;
export const inspectionReportTypes = { InspectionReport: eip712Types.InspectionReport } as const;
export const settlementTypes = { Settlement: eip712Types.Settlement } as const;
export const creditScoreTypes = { CreditScore: eip712Types.CreditScore } as const;

type MessageOf<
  types extends Record<string, unknown>,
  primaryType extends keyof types & string,
> = TypedDataDefinition<types, primaryType>["message"];

/**
 * The terms of a trade (`ITradeEscrow.Terms`): uint8 to uint48 fields are numbers, wider ones
 * bigints, `bytes` hex. The same type viem infers for the `terms` argument of the escrow's functions.
 */
export type Terms = MessageOf<typeof eip712Types, "Terms">;
/** A party's consent to open a trade: `OpenTrade(Terms terms,uint256 nonce,uint256 deadline)`. */
export type OpenTrade = MessageOf<typeof eip712Types, "OpenTrade">;
/** A party's consent to amend a trade to `version` (the current version + 1) with `terms`. */
export type Amendment = MessageOf<typeof eip712Types, "Amendment">;
/** An operator's attestation about one lot (`ITradeEscrow.Attestation`). */
export type Attestation = MessageOf<typeof eip712Types, "Attestation">;
/** An accredited agency's inspection report (`ITradeEscrow.InspectionReport`). */
export type InspectionReport = MessageOf<typeof eip712Types, "InspectionReport">;
/** A party's consent to settle a trade's claim for `refund`. */
export type Settlement = MessageOf<typeof eip712Types, "Settlement">;
/** A credit oracle's score for a buyer (`ITradeEscrow.CreditScore`). */
export type CreditScore = MessageOf<typeof eip712Types, "CreditScore">;
/** An EIP-2612 permit: `owner` lets `spender` spend `value` until `deadline`. */
export type Permit = MessageOf<typeof permitTypes, "Permit">;

/**
 * A party's consent as the escrow takes it (`ITradeEscrow.PartySignature`): the signed message's
 * nonce and deadline and the signature; `signature: "0x"` when the party is the caller.
 */
export type PartySignature = ContractFunctionArgs<
  typeof tradeEscrowAbi,
  "nonpayable",
  "openTrade"
>[1];

/** An EIP-2612 permit as the escrow's `pay…WithPermit` take it (`ITradeEscrow.Permit`). */
export type PermitArgument = ContractFunctionArgs<
  typeof tradeEscrowAbi,
  "nonpayable",
  "payDepositWithPermit"
>[1];
