/** Terms as the indexer's API answers them (decimal strings for uint256), for component tests. */
export function termsJson(overrides: Record<string, unknown> = {}) {
  return {
    buyer: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
    seller: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
    operator: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
    token: "0x0000000000000000000000000000000000000000",
    mode: 0,
    price: "10000000000000000000",
    quantity: "10",
    toleranceBps: 500,
    depositBps: 3000,
    lots: 1,
    latestDelivery: "1800000000",
    shipWindow: 1209600,
    deliveryGrace: 1209600,
    depositWindow: 259200,
    fulfilmentDays: 3,
    claimWindow: 0,
    responseDays: 7,
    collectAfter: 0,
    feeBps: 100,
    sellerBond: "0",
    arbitrator: "0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6",
    arbitratorExtraData: "0x",
    manifestCid: "0x0155",
    ...overrides,
  };
}
