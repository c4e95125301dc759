import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithApp } from "../test/render.js";
import { OrderForm } from "./OrderForm.js";

describe("OrderForm", () => {
  it("labels every term, so each field is reachable by its name", () => {
    renderWithApp(<OrderForm proposer="buyer" />);
    for (const label of [
      "Total price (ETH)",
      "Deposit (% of the price)",
      "Seller (supplier)",
      "Designated warehouse operator",
      "Goods",
      "Quantity",
      "Latest delivery (UTC)",
      "Arbitration panel size (odd)",
    ])
      expect(screen.getByLabelText(label)).toBeTruthy();
  });

  it("shows each invalid term beside its field and marks it invalid, without sending anything", async () => {
    const user = userEvent.setup();
    renderWithApp(<OrderForm proposer="buyer" />);
    await user.click(screen.getByLabelText("Seller (supplier)"));
    await user.paste("0xnot-an-address");
    await user.clear(screen.getByLabelText("Arbitration panel size (odd)"));
    await user.type(screen.getByLabelText("Arbitration panel size (odd)"), "4");
    await user.click(screen.getByRole("button", { name: "Sign and send the order" }));

    const seller = screen.getByLabelText("Seller (supplier)");
    expect(seller.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(seller.getAttribute("aria-describedby")!)?.textContent).toBe(
      "The seller must be an address (0x and 40 hex digits)",
    );
    expect(screen.getByText("The panel size must be odd")).toBeTruthy();
    expect(screen.getByText("The price must be a number such as 1250 or 0.5")).toBeTruthy();
    expect(screen.getByText(/terms to fix\.$/)).toBeTruthy();
    expect(screen.queryByTestId("tx-status")).toBeNull();
  });

  it("switches to a direct payment's terms: paid in full, no claim window", async () => {
    const user = userEvent.setup();
    renderWithApp(<OrderForm proposer="buyer" />);
    await user.selectOptions(screen.getByLabelText("Protection"), "Direct");
    expect((screen.getByLabelText("Deposit (% of the price)") as HTMLInputElement).value).toBe(
      "100",
    );
    expect(
      (screen.getByLabelText("Claim window after arrival (days)") as HTMLInputElement).value,
    ).toBe("0");
  });

  it("asks for a wallet once the terms are valid but none is connected", async () => {
    const user = userEvent.setup();
    renderWithApp(<OrderForm proposer="buyer" />);
    const paste = async (label: string, text: string) => {
      await user.click(screen.getByLabelText(label));
      await user.paste(text);
    };
    await paste("Buyer", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    await paste("Seller (supplier)", "0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    await paste("Designated warehouse operator", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65");
    await paste("Total price (ETH)", "10");
    await paste("Goods", "10 vehicles");
    await paste("Delivery place", "Port of Tema");
    await user.click(screen.getByRole("button", { name: "Sign and send the order" }));
    expect(await screen.findByText("Connect a wallet on the right network first.")).toBeTruthy();
  });
});
