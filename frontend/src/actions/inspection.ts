import type { Hex } from "viem";
import { escrowDomain, signInspectionReport } from "@trade-escrow/sdk/eip712";
import type { InspectionReport } from "@trade-escrow/sdk/eip712";
import { escrowContract, send } from "./client.js";
import type { Clients } from "./client.js";

/** The accredited agency signs its report (EIP-712) for the buyer to cite in a claim. */
export function signReport(c: Clients, report: InspectionReport): Promise<Hex> {
  const domain = escrowDomain({ chainId: c.config.chain.id, verifyingContract: c.config.escrow });
  return signInspectionReport(
    { client: c.walletClient, account: c.account },
    { domain, message: report },
  );
}

/** The agency lodges its report on chain, so the buyer may cite it unsigned. */
export const submitInspectionReport = (c: Clients, report: InspectionReport) =>
  send(c, { ...escrowContract(c), functionName: "submitInspectionReport", args: [report] });
