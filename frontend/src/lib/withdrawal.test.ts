import { describe, expect, it } from "vitest";
import { withdrawalRecipient } from "./withdrawal.js";

const me = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const other = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

describe("withdrawalRecipient", () => {
  it("withdraws to the connected account when the field is empty or names it", () => {
    expect(withdrawalRecipient("  ", me)).toEqual({ to: undefined });
    expect(withdrawalRecipient(me.toLowerCase(), me)).toEqual({ to: undefined });
  });

  it("pays another address, checksummed", () => {
    expect(withdrawalRecipient(` ${other.toLowerCase()} `, me)).toEqual({ to: other });
  });

  it("refuses what is not an address, and the zero address the escrow refuses", () => {
    expect(withdrawalRecipient("0x1234", me)).toEqual({
      error: "The recipient must be an address (0x and 40 hex digits).",
    });
    expect(withdrawalRecipient(`0x${"0".repeat(40)}`, me)).toEqual({
      error: "The recipient cannot be the zero address.",
    });
  });
});
