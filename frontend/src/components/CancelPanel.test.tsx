import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { TradeDetail } from "../lib/api.js";
import { parseTerms } from "../lib/terms.js";
import { renderWithApp } from "../test/render.js";
import { termsJson } from "../test/termsJson.js";
import { CancelPanel } from "./CancelPanel.js";

// Terms: latest delivery 1,000,000 (long past), 14 days' grace; the chain cannot be read in these
// tests, so the panel judges deadlines by this computer's clock.
const terms = parseTerms(termsJson({ latestDelivery: "1000000" }));

function renderPanel(trade: Partial<TradeDetail>, role: "buyer" | "seller", due = 0n) {
  const simulateContract = vi.fn((call: object) => Promise.resolve({ request: call }));
  const writeContract = vi.fn(() => Promise.resolve("0x01"));
  const run = vi.fn((_label: string, send: () => Promise<`0x${string}`>) =>
    send().then(() => true),
  );
  renderWithApp(
    <CancelPanel
      trade={
        {
          id: "7",
          modeName: "Protected",
          stageDeadline: null,
          latestDelivery: 1_000_000,
          claim: null,
          // What the buyer paid: the price less what it still owes (`due`).
          stageAt: 0,
          balances: {
            escrowed: (terms.price - due).toString(),
            released: "0",
            refunded: "0",
            sellerBond: "0",
          },
          ...trade,
        } as TradeDetail
      }
      terms={terms}
      due={due}
      role={role}
      clients={
        {
          publicClient: { simulateContract },
          walletClient: { writeContract },
          account: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
          config: { escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
        } as never
      }
      tx={{ run, busy: false } as never}
    />,
  );
  return { simulateContract, run };
}

describe("CancelPanel", () => {
  it("offers the buyer of goods not delivered cancelUndelivered once the grace period is over", async () => {
    const { simulateContract, run } = renderPanel({ stateName: "Shipped" }, "buyer");
    const button = screen.getByRole("button", { name: "Cancel: goods not delivered" });
    expect(screen.getByTestId("cancel").textContent).toContain("Possible now.");
    await userEvent.click(button);
    expect(run.mock.calls.map(([label]) => label)).toEqual(["Cancel: goods not delivered"]);
    expect(simulateContract).toHaveBeenCalledWith(
      expect.objectContaining({ functionName: "cancelUndelivered", args: [7n] }),
    );
  });

  it("waits for a latest delivery a late balance moved, and says from when", () => {
    const moved = Math.floor(Date.now() / 1000) + 86_400;
    // The balance came late: paid a ship window before the moved latest delivery.
    renderPanel(
      { stateName: "Shipped", latestDelivery: moved, lateBalancePaidAt: moved - terms.shipWindow },
      "buyer",
    );
    expect(
      (screen.getByRole("button", { name: "Cancel: goods not delivered" }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
    expect(screen.getByTestId("cancel").textContent).toContain("Possible from");
  });

  it("gives an unpaid balance in fulfilment to the seller through cancelUnshipped", async () => {
    const { simulateContract } = renderPanel({ stateName: "InFulfilment" }, "seller", 5n);
    await userEvent.click(
      screen.getByRole("button", { name: "Cancel: the balance was not paid in time" }),
    );
    expect(simulateContract).toHaveBeenCalledWith(
      expect.objectContaining({ functionName: "cancelUnshipped" }),
    );
  });

  it("offers the seller of goods lost in transit the same cancellation, and nothing to either party while a claim is open", () => {
    renderPanel({ stateName: "Shipped" }, "seller");
    expect(screen.getByRole("button", { name: "Cancel: goods not delivered" })).toBeTruthy();
    cleanup();
    renderPanel(
      { stateName: "Shipped", claim: { status: "Filed" } as TradeDetail["claim"] },
      "seller",
    );
    expect(screen.queryByTestId("cancel")).toBeNull();
    renderPanel(
      { stateName: "Shipped", claim: { status: "Filed" } as TradeDetail["claim"] },
      "buyer",
    );
    expect(screen.queryByTestId("cancel")).toBeNull();
  });
});
