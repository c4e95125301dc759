import { describe, expect, it } from "vitest";
import { NATIVE_TOKEN, parseTokens, readConfig } from "./config.js";

const addresses = {
  VITE_ESCROW_ADDRESS: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  VITE_COURT_ADDRESS: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  VITE_RATINGS_ADDRESS: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
};
const usdc = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";

describe("readConfig: payment tokens", () => {
  it("offers the native coin first and each token once, whoever names it", () => {
    const { tokens } = readConfig({
      ...addresses,
      VITE_TOKENS: `USDC:${usdc}:6,USDC2:${usdc.toLowerCase()}:6`,
    });
    expect(tokens[0]).toMatchObject({ address: NATIVE_TOKEN, symbol: "ETH" });
    expect(tokens.filter((t) => t.address.toLowerCase() === usdc.toLowerCase())).toEqual([
      { symbol: "USDC", address: usdc, decimals: 6 },
    ]);
    expect(new Set(tokens.map((t) => t.address.toLowerCase())).size).toBe(tokens.length);
  });

  it("refuses a malformed VITE_TOKENS entry with the entry named", () => {
    expect(() => parseTokens("USDC:0x12:6")).toThrow(/VITE_TOKENS entry "USDC:0x12:6"/);
  });
});
