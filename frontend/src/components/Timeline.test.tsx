import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CancelReason } from "@trade-escrow/sdk/contracts";
import type { TimelineEntry } from "../lib/api.js";
import { renderWithApp } from "../test/render.js";
import { Timeline } from "./Timeline.js";

const entry = (event: string, args: Record<string, unknown>): TimelineEntry =>
  ({
    block: 9,
    logIndex: 0,
    blockHash: `0x${"ab".repeat(32)}`,
    timestamp: 1_800_000_000,
    transactionHash: `0x${"cd".repeat(32)}`,
    contract: "escrow",
    event,
    disputeId: null,
    args,
    final: true,
  }) as TimelineEntry;

const ETH = { symbol: "ETH", address: "0x0000000000000000000000000000000000000000", decimals: 18 };

describe("Timeline", () => {
  it("names a cancellation's reason and its amounts in the trade's token", () => {
    renderWithApp(
      <Timeline
        token={ETH as never}
        entries={[
          entry("TradeCancelled", {
            tradeId: "7",
            reason: CancelReason.NotDelivered,
            buyerRefund: "10000000000000000000",
            bondToBuyer: "1000000000000000000",
            bondToSeller: "0",
          }),
        ]}
      />,
    );
    expect(screen.getByTestId("timeline").textContent).toContain(
      "Trade cancelled Not delivered, buyer refund 10 ETH, bond to buyer 1 ETH, bond to seller 0 ETH",
    );
  });
});
