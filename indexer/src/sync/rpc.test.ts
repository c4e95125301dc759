import { describe, expect, it } from "vitest";
import { isRangeTooLarge } from "./rpc.js";

describe("isRangeTooLarge", () => {
  it("recognises what providers answer for a log range that is too wide", () => {
    for (const message of [
      "query returned more than 10000 results",
      "eth_getLogs block range is too large, max is 2000",
      "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
      "exceed maximum block range: 5000",
      "block range too wide",
      "limit exceeded",
    ]) {
      expect(isRangeTooLarge(new Error("wrapper", { cause: new Error(message) })), message).toBe(
        true,
      );
    }
    expect(isRangeTooLarge({ code: -32005, message: "x" })).toBe(true);
    expect(isRangeTooLarge(new Error("fetch failed"))).toBe(false);
    expect(isRangeTooLarge(new Error("execution reverted"))).toBe(false);
  });
});
