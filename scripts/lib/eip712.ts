/**
 * EIP-712 types of every message the escrow accepts, as the contracts' TradeTerms library defines them.
 * The sdk workspace will own these; until then scripts and tests share this file.
 */
export const ESCROW_EIP712_TYPES = {
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
  InspectionReport: [
    { name: "tradeId", type: "uint256" },
    { name: "agency", type: "address" },
    { name: "varianceBps", type: "uint16" },
    { name: "material", type: "bool" },
    { name: "reportCid", type: "bytes" },
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
  Settlement: [
    { name: "tradeId", type: "uint256" },
    { name: "refund", type: "uint256" },
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
} as const;

/** The escrow's EIP-712 domain name and version. */
export const ESCROW_DOMAIN_NAME = "TradeEscrow";
export const ESCROW_DOMAIN_VERSION = "1";
