import { describe, expect, it } from "vitest";
import { exportVotes, importVotes, loadVotes, newSalt, saveVote, voteKey } from "./salts.js";

const vote = {
  disputeId: "3",
  round: 0,
  attempt: 0,
  voter: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  choice: "1001",
  salt: newSalt(),
};

describe("sealed votes", () => {
  it("keeps a vote's salt in browser storage under its dispute, round, attempt and voter", () => {
    saveVote(vote);
    expect(vote.salt).toMatch(/^0x[0-9a-f]{64}$/);
    expect(loadVotes()[voteKey(vote)]).toEqual(vote);
  });

  it("exports the votes encrypted with a passphrase and imports them back", async () => {
    const text = await exportVotes({ [voteKey(vote)]: vote }, "correct horse battery");
    expect(text).not.toContain(vote.salt.slice(2));
    expect(await importVotes(text, "correct horse battery")).toEqual({ [voteKey(vote)]: vote });
  });

  it("refuses a wrong passphrase, a short one and text that is not an export", async () => {
    const text = await exportVotes({ [voteKey(vote)]: vote }, "correct horse battery");
    await expect(importVotes(text, "wrong passphrase")).rejects.toThrow(
      "The passphrase is wrong or the export was altered.",
    );
    await expect(exportVotes({}, "short")).rejects.toThrow("at least 8 characters");
    await expect(importVotes("hello", "correct horse battery")).rejects.toThrow("not an export");
  });
});
