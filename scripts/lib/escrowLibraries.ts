/**
 * The external logic libraries the escrow links against (each runs by delegatecall on the escrow's
 * storage, which keeps the escrow under the 24 KiB limit). The sdk's generator checks this list
 * against the escrow's link references.
 */
export const ESCROW_LIBRARIES = [
  "AmendmentLogic",
  "AttestationLogic",
  "CancellationLogic",
  "ClaimLogic",
  "FulfilmentLogic",
  "OpeningLogic",
  "PaymentModesLogic",
] as const;
