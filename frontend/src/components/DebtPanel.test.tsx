import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithApp } from "../test/render.js";
import { DebtPanel } from "./DebtPanel.js";

const TUSD = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";
const buyer = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

function clientsOwing(owed: bigint | Error) {
  const readContract = vi.fn((_call: { functionName: string }) =>
    owed instanceof Error ? Promise.reject(owed) : Promise.resolve(owed),
  );
  return {
    clients: {
      publicClient: { readContract },
      account: buyer,
      config: { escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
    } as never,
    readContract,
  };
}

const render = (owed: bigint | Error) => {
  const { clients, readContract } = clientsOwing(owed);
  renderWithApp(<DebtPanel clients={clients} />, undefined, { VITE_TOKENS: `TUSD:${TUSD}:6` });
  return readContract;
};

describe("DebtPanel (pay after use)", () => {
  it("says the buyer owes nothing when every debt is zero, having read the chain per token", async () => {
    const readContract = render(0n);
    expect(await screen.findByText("You owe nothing to the guarantor pool.")).toBeTruthy();
    expect(readContract).toHaveBeenCalledWith(
      expect.objectContaining({ functionName: "debt", args: [buyer, TUSD] }),
    );
  });

  it("shows the debt with a repay form that refuses more than is owed", async () => {
    render(5_000_000n);
    const form = await screen.findByRole("form", { name: "Repay TUSD" });
    expect(form.textContent).toContain("You owe the guarantor pool 5 TUSD.");
    const amount = within(form).getByLabelText("Amount to repay (TUSD)");
    expect((amount as HTMLInputElement).value).toBe("5");
    await userEvent.clear(amount);
    await userEvent.type(amount, "6");
    await userEvent.click(within(form).getByRole("button", { name: "Repay" }));
    expect(within(form).getByRole("alert").textContent).toBe("Repay between 0 and 5 TUSD.");
  });

  it("says when the debts cannot be read, with a retry", async () => {
    render(new Error("The node is down."));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Could not load your debts: The node is down.",
    );
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});
