import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Address } from "viem";
import { parseTerms } from "../lib/terms.js";
import type { TradeDetail } from "../lib/api.js";
import { renderWithApp } from "../test/render.js";
import { termsJson } from "../test/termsJson.js";
import { ActionButtons, hasActions } from "./ActionButtons.js";
import type { ActionContext } from "./tradeActionTable.js";

const TUSD: Address = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";

const termsOf = (token: string, mode: number, sellerBond = "0") =>
  termsJson({ token, mode, price: "10000000", sellerBond });

/** An action context as the trade page builds it, with a transaction runner to watch. */
function contextOf(
  stateName: string,
  modeName: "Protected" | "Direct" | "PayAfterUse",
  options: { token?: string; due?: bigint; sellerBond?: string; posted?: string } = {},
) {
  const token = options.token ?? "0x0000000000000000000000000000000000000000";
  const mode = { Protected: 0, Direct: 1, PayAfterUse: 2 }[modeName];
  const run = vi.fn((_label: string, _send: () => Promise<`0x${string}`>) => Promise.resolve(true));
  const readContract = vi.fn(() => Promise.resolve(0n));
  const context = {
    trade: {
      id: "7",
      stateName,
      modeName,
      token,
      // Signed or deposited at 1,000 (unix seconds); the chain's clock reads 2,000 below.
      stageAt: 1_000,
      balances: { sellerBond: options.posted ?? "0" },
    } as unknown as TradeDetail,
    terms: parseTerms(termsOf(token, mode, options.sellerBond)),
    due: options.due ?? 7_000_000n,
    clients: {
      publicClient: { readContract },
      account: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
      config: { escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
    } as never,
    tx: { run, busy: false } as never,
    now: 2_000n,
    id: 7n,
    token:
      token === TUSD
        ? { symbol: "TUSD", address: TUSD, decimals: 6 }
        : { symbol: "ETH", address: token as Address, decimals: 18 },
  } satisfies ActionContext;
  return { context, run, readContract };
}

const buttons = () => screen.queryAllByRole("button").map((b) => b.textContent);

describe("the trade page's action table", () => {
  it("offers a signed protected ERC-20 trade's buyer the deposit, and the permit path", () => {
    const { context } = contextOf("Signed", "Protected", { token: TUSD });
    renderWithApp(<ActionButtons panel="buyer" context={context} />);
    expect(buttons()).toEqual([
      "Pay the deposit (3 TUSD)",
      "Sign a permit and pay the deposit in one transaction",
    ]);
  });

  it("offers a direct trade's buyer the payment to the seller, and no deposit", () => {
    const { context } = contextOf("Signed", "Direct");
    renderWithApp(<ActionButtons panel="buyer" context={context} />);
    expect(buttons()).toEqual(["Pay the seller directly (0.00000000001 ETH, no protection)"]);
  });

  it("offers the seller the bond still due, and the start of fulfilment once it is posted", () => {
    const { context } = contextOf("Deposited", "Protected", {
      sellerBond: "5000000000000000000",
      posted: "2000000000000000000",
    });
    renderWithApp(<ActionButtons panel="seller" context={context} />);
    // The escrow refuses to start fulfilment while the bond is due (EscrowSellerBondDue).
    expect(buttons()).toEqual(["Post the performance bond (3 ETH)"]);
    expect(hasActions("buyer", context)).toBe(true);
    expect(hasActions("anyone-delivered", context)).toBe(false);
    cleanup();
    const bonded = contextOf("Deposited", "Protected", {
      sellerBond: "5000000000000000000",
      posted: "5000000000000000000",
    });
    renderWithApp(<ActionButtons panel="seller" context={bonded.context} />);
    expect(buttons()).toEqual(["Start fulfilment"]);
  });

  it("runs a native payment at once, with its status label", async () => {
    const { context, run, readContract } = contextOf("Deposited", "Protected");
    renderWithApp(<ActionButtons panel="buyer" context={context} />);
    await userEvent.click(screen.getByRole("button", { name: /^Pay the balance/ }));
    expect(run.mock.calls.map(([label]) => label)).toEqual(["Pay the balance"]);
    expect(readContract).not.toHaveBeenCalled();
  });

  it("approves an ERC-20 first when the allowance is short, then pays", async () => {
    const { context, run, readContract } = contextOf("Deposited", "Protected", { token: TUSD });
    renderWithApp(<ActionButtons panel="buyer" context={context} />);
    await userEvent.click(screen.getByRole("button", { name: "Pay the balance (7 TUSD)" }));
    expect(readContract).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(2));
    expect(run.mock.calls.map(([label]) => label)).toEqual([
      "Approve Pay the balance",
      "Pay the balance",
    ]);
  });

  it("shows nothing for a panel whose rules do not hold", () => {
    const { context } = contextOf("Completed", "Protected");
    renderWithApp(<ActionButtons panel="seller" context={context} />);
    expect(buttons()).toEqual([]);
    expect(hasActions("buyer", context)).toBe(false);
  });
});
