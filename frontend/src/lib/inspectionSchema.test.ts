import { describe, expect, it } from "vitest";
import {
  encodeSignedReport,
  inspectionFormSchema,
  toInspectionReport,
} from "./inspectionSchema.js";

const agency = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

describe("the inspection agency's report", () => {
  it("reads the form into the EIP-712 report: basis points, the CID commitment, a deadline", () => {
    const form = inspectionFormSchema.parse({
      tradeId: "12",
      variancePercent: "12.5",
      material: true,
      reportCid: "0x01551220abcd",
    });
    const report = toInspectionReport(form, agency, 1_000, 30);
    expect(report).toMatchObject({
      tradeId: 12n,
      agency,
      varianceBps: 1_250,
      material: true,
      reportCid: "0x01551220abcd",
      deadline: 1_000n + 30n * 86_400n,
    });
    expect(JSON.parse(encodeSignedReport(report, "0xabcd"))).toMatchObject({
      report: { tradeId: "12", varianceBps: 1250, deadline: "2593000" },
      signature: "0xabcd",
    });
  });

  it("names each field that is wrong", () => {
    const result = inspectionFormSchema.safeParse({
      tradeId: "0",
      variancePercent: "101",
      material: false,
      reportCid: "",
    });
    const messages = Object.fromEntries(
      (result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]),
    );
    expect(messages).toEqual({
      tradeId: "The trade id must be a whole number from 1",
      variancePercent: "The variance cannot exceed 100%",
      reportCid: "Upload the inspection report first",
    });
  });
});
