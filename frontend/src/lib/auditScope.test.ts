import { describe, expect, it } from "vitest";
import { parseAuditScope } from "./auditScope.js";

describe("parseAuditScope", () => {
  it("reads the whole contract, ignoring a trade id left in the field", () => {
    expect(parseAuditScope({ scope: "contract", tradeId: "abc" })).toEqual({
      ok: true,
      scope: { type: "contract" },
    });
  });

  it("reads one trade by its id", () => {
    expect(parseAuditScope({ scope: "trade", tradeId: " 42 " })).toEqual({
      ok: true,
      scope: { type: "trade", tradeId: 42n },
    });
  });

  it("refuses a trade id that is not a positive whole number, saying why", () => {
    expect(parseAuditScope({ scope: "trade", tradeId: "7.5" })).toEqual({
      ok: false,
      errors: { tradeId: "The trade id must be a whole number such as 7" },
    });
    expect(parseAuditScope({ scope: "trade", tradeId: "0" })).toEqual({
      ok: false,
      errors: { tradeId: "Trades are numbered from 1" },
    });
  });
});
