import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { checkKinds } from "@trade-escrow/sdk/audit";
import type { AuditReport, Check } from "@trade-escrow/sdk/audit";
import { renderWithApp } from "../test/render.js";
import { AuditReportView } from "./AuditReportView.js";
import { AuditProgressBar } from "./AuditProgressBar.js";

const CID = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

/** A report as `auditEscrow` returns it, its counts derived from the checks. */
function reportOf(checks: Check[], tradeId?: string): AuditReport {
  const byKind = Object.fromEntries(
    checkKinds.map((k) => [k, { passed: 0, failed: 0, skipped: 0 }]),
  ) as AuditReport["byKind"];
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const c of checks) {
    byKind[c.kind][c.status] += 1;
    totals[c.status] += 1;
  }
  return {
    chainId: 31337,
    escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    court: undefined,
    blockNumber: "120",
    fromBlock: "3",
    tradeId,
    ipfs: "http://127.0.0.1:3000/ipfs",
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 2_345,
    passed: totals.failed === 0,
    totals,
    byKind,
    checks,
  };
}

const passedCode: Check = {
  kind: "code",
  subject: "TradeEscrow at 0x5FbD…",
  status: "passed",
  message: "The escrow holds the expected code.",
  evidence: { expected: "0xaaa1", found: "0xaaa1", block: "120" },
};
const passedSignature: Check = {
  kind: "signature",
  subject: "buyer's consent to open trade 7",
  status: "passed",
  message: "Signed by 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 (EIP-712), the buyer.",
  evidence: { tradeId: "7", account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
};
const mismatchedDocument: Check = {
  kind: "document",
  subject: `document ${CID} of trade 7`,
  status: "failed",
  problem: "mismatch",
  message: `The bytes served for ${CID} do not match it.`,
  evidence: { cid: CID, tradeId: "7", transaction: "0xabc123" },
};
const tradeField: Check = {
  kind: "trade",
  subject: "trade 7 state",
  status: "failed",
  problem: "state-mismatch",
  message: "Trade 7's escrowed differs from the chain.",
  evidence: { tradeId: "7", field: "escrowed", expected: "100", found: "90" },
};
const funds: Check = {
  kind: "funds",
  subject: "ETH held by the escrow",
  status: "passed",
  message: "The escrow holds 12 ETH and owes 12 ETH.",
  evidence: { token: "0x0000000000000000000000000000000000000000", expected: "12", found: "12" },
};

describe("AuditReportView", () => {
  it("says every check passed, with the counts and the scope", () => {
    renderWithApp(<AuditReportView report={reportOf([passedCode, passedSignature, funds], "7")} />);
    const summary = screen.getByTestId("audit-summary");
    expect(summary.textContent).toContain("Every check passed");
    expect(summary.textContent).toContain("3 passed, 0 failed, 0 skipped");
    expect(summary.textContent).toContain("Trade 7");
    expect(summary.getAttribute("role")).toBe("status");
    // No family with a failure is open; the counts are in each family's heading.
    expect(screen.getByTestId("audit-kind-code").hasAttribute("open")).toBe(false);
    expect(within(screen.getByTestId("audit-kind-funds")).getByRole("heading").textContent).toBe(
      "Funds: 1 passed, 0 failed, 0 skipped",
    );
    expect(within(screen.getByTestId("audit-kind-document")).getByRole("heading").textContent).toBe(
      "Documents: nothing to check",
    );
  });

  it("names each failure with its problem and evidence: the CID, the field, expected and found", () => {
    renderWithApp(
      <AuditReportView report={reportOf([passedCode, mismatchedDocument, tradeField, funds])} />,
    );
    const summary = screen.getByTestId("audit-summary");
    expect(summary.getAttribute("role")).toBe("alert");
    expect(summary.textContent).toContain("2 checks failed.");
    expect(summary.textContent).toContain("The whole contract");

    const documents = screen.getByTestId("audit-kind-document");
    expect(documents.hasAttribute("open")).toBe(true);
    const failed = within(documents).getByTestId("audit-check");
    expect(failed.getAttribute("data-status")).toBe("failed");
    expect(within(failed).getByTestId("audit-problem").textContent).toBe("mismatch");
    const cidLink = within(failed).getByRole("link", { name: CID });
    expect(cidLink.getAttribute("href")).toBe(`/ipfs/${CID}`);
    expect(within(failed).getByRole("link", { name: "#7" }).getAttribute("href")).toBe("/trades/7");

    const trade = within(screen.getByTestId("audit-kind-trade")).getByTestId("audit-check");
    const evidence = (key: string) =>
      trade.querySelector(`[data-evidence=${key}] dd`)?.textContent ?? null;
    expect(evidence("field")).toBe("escrowed");
    expect(evidence("expected")).toBe("100");
    expect(evidence("found")).toBe("90");
    expect(evidence("cid")).toBeNull();
  });

  it("filters to the failed and skipped checks, failures first within a family", async () => {
    const skippedDocument: Check = {
      kind: "document",
      subject: "document bafkmissing",
      status: "skipped",
      problem: "invalid-commitment",
      message: "Not a CID.",
      evidence: {},
    };
    const passedDocument: Check = { ...mismatchedDocument, status: "passed", subject: "doc ok" };
    delete passedDocument.problem;
    renderWithApp(
      <AuditReportView report={reportOf([passedDocument, skippedDocument, mismatchedDocument])} />,
    );
    const documents = screen.getByTestId("audit-kind-document");
    const statuses = () =>
      within(documents)
        .getAllByTestId("audit-check")
        .map((li) => li.getAttribute("data-status"));
    expect(statuses()).toEqual(["failed", "skipped", "passed"]);
    await userEvent.click(screen.getByLabelText("Show only failed and skipped checks"));
    expect(statuses()).toEqual(["failed", "skipped"]);
    expect(
      within(screen.getByTestId("audit-kind-code")).getByText("No check of this kind applied."),
    ).toBeTruthy();
  });
});

describe("AuditProgressBar", () => {
  it("names the step under way with its count and advances the bar", () => {
    const { rerender } = renderWithApp(
      <AuditProgressBar progress={{ step: "code", done: 0, total: 1 }} />,
    );
    const bar = () => screen.getByRole("progressbar") as HTMLProgressElement;
    const first = Number(bar().value);
    rerender(<AuditProgressBar progress={{ step: "document", done: 3, total: 4 }} />);
    expect(screen.getByTestId("audit-progress").textContent).toContain(
      "Fetching and hashing documents (3 of 4)",
    );
    expect(Number(bar().value)).toBeGreaterThan(first);
  });
});
