import type { Address, Hex } from "viem";
import { PaymentMode, encodeCourtTerms } from "../contracts/index.js";
import { cidToCommitment, computeCid } from "../documents/cid/index.js";
import type { Terms } from "../eip712/index.js";
import { address } from "./accounts.js";
import { FEE_BPS } from "./deploy.js";

export const DAY = 86_400;
export const ETHER = 10n ** 18n;

/** The court's terms for a trade (ERC-792 extraData): panel 3, 2-day windows, 3-day appeal, 0.01 coin a seat. */
export const courtTerms: Hex = encodeCourtTerms({
  panelSize: 3,
  commitWindow: 2 * DAY,
  revealWindow: 2 * DAY,
  appealWindow: 3 * DAY,
  feePerArbitrator: 10n ** 16n,
});

/** The on-chain commitment of a small document whose content is `text` (its Kubo CIDv1). */
export async function documentCid(text: string): Promise<Hex> {
  const { cid } = await computeCid(new TextEncoder().encode(text));
  return cidToCommitment(cid);
}

export type DevTermsParameters = {
  /** The chain's clock: the latest delivery is 60 days after it. */
  now: bigint;
  token: Address;
  price: bigint;
  /** The court (`arbitrationCourt` of the deployment). */
  arbitrator: Address;
  manifestCid: Hex;
};

/**
 * The development chain's default terms between `buyer` and `seller`, `operator` designated: 10
 * units in one lot, ±5%, 30% deposit, no claim window, the balance due 14 days before the latest
 * delivery, 14 days' grace after it, the deployment's fee, the court with `courtTerms`.
 */
export function devTerms(parameters: DevTermsParameters, overrides: Partial<Terms> = {}): Terms {
  return {
    buyer: address("buyer"),
    seller: address("seller"),
    operator: address("operator"),
    token: parameters.token,
    mode: PaymentMode.Protected,
    price: parameters.price,
    quantity: 10n,
    toleranceBps: 500,
    depositBps: 3_000,
    lots: 1,
    latestDelivery: parameters.now + 60n * BigInt(DAY),
    shipWindow: 14 * DAY,
    deliveryGrace: 14 * DAY,
    depositWindow: 72 * 3_600,
    fulfilmentDays: 3,
    claimWindow: 0,
    responseDays: 7,
    collectAfter: 0,
    feeBps: FEE_BPS,
    sellerBond: 0n,
    arbitrator: parameters.arbitrator,
    arbitratorExtraData: courtTerms,
    manifestCid: parameters.manifestCid,
    ...overrides,
  };
}
