import { keccak256, toHex } from "viem";
import { ClaimGround, arbitrationCourtAbi } from "@trade-escrow/sdk/contracts";
import { address, arbitratorRoles } from "@trade-escrow/sdk/devchain";
import type { Role } from "@trade-escrow/sdk/devchain";
import type { Terms } from "@trade-escrow/sdk/eip712";
import { DAY } from "@trade-escrow/sdk/devchain";
import type { ChainBase } from "./base.js";

/** A claim filed, contested and heard by the court's panel, and its ruling executed. */
export function claimActions(base: ChainBase) {
  const { escrow, court, roleOf, document, latest, nextNonce, publicClient, controls } = base;
  const { arbitrationCourt } = base.deployment;
  return {
    /** The agency lodges a report on chain; the buyer files a claim citing it. */
    async fileClaim(id: bigint, terms: Terms, refundBps: number) {
      const report = {
        tradeId: id,
        agency: address("agency"),
        varianceBps: refundBps,
        material: false,
        reportCid: await document(`inspection ${id}`),
        nonce: nextNonce(),
        deadline: (await latest()) + 30n * BigInt(DAY),
      };
      await escrow("agency", "submitInspectionReport", [report]);
      return escrow(roleOf(terms.buyer), "fileClaim", [
        id,
        {
          ground: ClaimGround.SpecificationVariance,
          refundBps,
          costs: 0n,
          evidenceCid: await document(`evidence ${id}`),
        },
        report,
        "0x",
      ]);
    },
    async contest(id: bigint, terms: Terms) {
      const cost = await publicClient.readContract({
        address: arbitrationCourt,
        abi: arbitrationCourtAbi,
        functionName: "arbitrationCost",
        args: [terms.arbitratorExtraData],
      });
      return escrow(
        roleOf(terms.seller),
        "contestClaim",
        [id, await document(`counter ${id}`)],
        cost,
      );
    },
    /** Draws the panel; every member commits and reveals `choice`; the round closes. */
    async hear(disputeId: bigint, choice: bigint) {
      await controls.mine(1);
      await court("relayer", "drawPanel", [disputeId]);
      const panel = await publicClient.readContract({
        address: arbitrationCourt,
        abi: arbitrationCourtAbi,
        functionName: "panel",
        args: [disputeId],
      });
      const dispute = await controls.dispute(disputeId);
      const members = panel.map((member) => {
        for (const role of arbitratorRoles)
          if (address(role).toLowerCase() === member.toLowerCase()) return role;
        throw new Error(`${member} is not an arbitrator.`);
      });
      const salt = (role: Role) => keccak256(toHex(`salt ${role} ${disputeId}`));
      for (const role of members) {
        const commitment = await publicClient.readContract({
          address: arbitrationCourt,
          abi: arbitrationCourtAbi,
          functionName: "commitmentOf",
          args: [disputeId, dispute.round, dispute.attempt, address(role), choice, salt(role)],
        });
        await court(role, "commitVote", [disputeId, commitment]);
      }
      await controls.increaseTime(Number(BigInt(dispute.commitDeadline) - (await latest())) + 1);
      for (const role of members) await court(role, "revealVote", [disputeId, choice, salt(role)]);
      await court("relayer", "closeRound", [disputeId]);
    },
    async finalizeRuling(disputeId: bigint) {
      const dispute = await controls.dispute(disputeId);
      await controls.increaseTime(Number(BigInt(dispute.appealDeadline) - (await latest())) + 1);
      return court("relayer", "finalize", [disputeId]);
    },
    executeRuling: (id: bigint) => escrow("relayer", "executeRuling", [id]),
  };
}
