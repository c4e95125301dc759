import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithApp } from "../test/render.js";
import { AuditorPage } from "./AuditorPage.js";

describe("AuditorPage", () => {
  it("names the chain's RPC and the gateway it reads, not the indexer's API", () => {
    renderWithApp(<AuditorPage />);
    const lead = screen.getByText(/this browser reads the chain at/);
    expect(lead.textContent).toContain("http://127.0.0.1:1");
    expect(lead.textContent).toContain(`${window.location.origin}/ipfs`);
  });

  it("refuses a trade id that is not a whole number, beside the field, and runs nothing", async () => {
    renderWithApp(<AuditorPage />);
    await userEvent.click(screen.getByRole("radio", { name: "One trade" }));
    await userEvent.type(screen.getByLabelText("Trade id"), "seven");
    await userEvent.click(screen.getByRole("button", { name: "Run the audit in this browser" }));
    expect(screen.getByRole("alert").textContent).toBe(
      "The trade id must be a whole number such as 7",
    );
    expect(screen.getByLabelText("Trade id").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByTestId("audit-progress")).toBeNull();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("says when the chain cannot be reached, with a retry", async () => {
    // The node is down: every JSON-RPC request fails to connect.
    const fetch = vi.fn(() => Promise.reject(new TypeError("fetch failed")));
    vi.stubGlobal("fetch", fetch);
    renderWithApp(<AuditorPage />);
    await userEvent.click(screen.getByRole("button", { name: "Run the audit in this browser" }));
    expect(screen.getByRole("button", { name: "Checking…" })).toBeTruthy();
    const alert = await screen.findByText(/^The audit could not run:/, undefined, {
      timeout: 15_000,
    });
    expect(alert.textContent).toMatch(/http:\/\/127\.0\.0\.1:1/);
    // The verifier's batched JSON-RPC to the configured node.
    expect(fetch).toHaveBeenCalledWith(
      "http://127.0.0.1:1/",
      expect.objectContaining({ body: expect.stringContaining('"method":"eth_chainId"') }),
    );
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  }, 20_000);
});
