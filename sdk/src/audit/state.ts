import { getAddress } from "viem";
import type { Address } from "viem";
import { buyerExposures, keptTerms, keptTermsFields } from "../history/index.js";
import type { EscrowState, TradeRecord } from "../history/index.js";
import { mapConcurrent } from "./pool.js";
import type { CheckList } from "./report.js";
import { show } from "./report.js";
import type { EscrowViews } from "./views.js";

/** The fields of `ITradeEscrow.TradeView`, in the struct's order: what the reducer must agree on. */
export const tradeViewFields = [
  "state",
  "version",
  "lotsDone",
  "proposedBySeller",
  "pendingLot",
  "pendingTitle",
  "stageAt",
  "escrowed",
  "receivedQuantity",
  "released",
  "pendingQuantity",
  "pendingTime",
  "sellerBond",
  "arrivedAt",
  "refunded",
] as const;

/** The fields of `ITradeEscrow.ClaimView`, in the struct's order. */
export const claimViewFields = [
  "status",
  "ground",
  "refundBps",
  "filedAt",
  "costs",
  "disputeId",
  "ruling",
] as const;

/** What the claim view reads for a trade with no claim. */
export const noClaimView = {
  status: 0,
  ground: 0,
  refundBps: 0,
  filedAt: 0n,
  costs: 0n,
  disputeId: 0n,
  ruling: 0n,
};

export type TradeViewValues = Awaited<ReturnType<EscrowViews["trade"]>>;

export type CompareTradesParameters = {
  state: EscrowState;
  views: EscrowViews;
  checks: CheckList;
  /** The trades to compare (all of them, or the one audited). */
  tradeIds: readonly bigint[];
  concurrency: number;
  onProgress?: (done: number) => void;
};

/**
 * Compares every trade rebuilt from events with the escrow's `trade` and `claim` views at the
 * audited block: one check per trade, failed with every field that differs. Returns the views read,
 * for the funds check.
 */
export async function compareTrades(
  parameters: CompareTradesParameters,
): Promise<Map<bigint, TradeViewValues>> {
  const { state, views, checks } = parameters;
  const read = new Map<bigint, TradeViewValues>();
  const block = show(views.blockNumber);
  await mapConcurrent(
    parameters.tradeIds,
    parameters.concurrency,
    async (tradeId) => {
      const [view, claim, terms] = await Promise.all([
        views.trade(tradeId),
        views.claim(tradeId),
        views.termsOf(tradeId),
      ]);
      read.set(tradeId, view);
      const record = state.trades.get(tradeId);
      const subject = `trade ${tradeId} state`;
      if (record === undefined) {
        checks.failed(
          "trade",
          subject,
          "state-mismatch",
          `Trade ${tradeId} exists on chain but no event opened it.`,
          {
            block,
            tradeId: show(tradeId),
            field: "state",
            expected: "no trade",
            found: show(view.state),
          },
        );
        return;
      }
      const differences = differingFields(record, view, claim, terms);
      const evidence = {
        block,
        tradeId: show(tradeId),
        transaction: record.updatedAt.transactionHash,
      };
      if (differences.length === 0) {
        checks.passed(
          "trade",
          subject,
          `Trade ${tradeId} rebuilt from ${record.versions.length} terms version(s) and its events equals the escrow's views.`,
          evidence,
        );
        return;
      }
      const first = differences[0]!;
      checks.failed(
        "trade",
        subject,
        "state-mismatch",
        `Trade ${tradeId} differs from its events in ${differences.map((d) => d.field).join(", ")}.`,
        { ...evidence, field: first.field, expected: first.expected, found: first.found },
      );
    },
    parameters.onProgress,
  );
  return read;
}

type Difference = { field: string; expected: string; found: string };

/** The fields where the chain's views (found) differ from the events (expected). */
function differingFields(
  record: TradeRecord,
  view: TradeViewValues,
  claim: Awaited<ReturnType<EscrowViews["claim"]>>,
  terms: Awaited<ReturnType<EscrowViews["termsOf"]>>,
): Difference[] {
  const differences: Difference[] = [];
  // The terms the escrow applies are the last version the events announced.
  const announced = keptTerms(record.terms);
  for (const field of keptTermsFields) {
    const expected = normal(announced[field]);
    const found = normal(terms[field]);
    if (expected !== found) differences.push({ field: `terms.${field}`, expected, found });
  }
  for (const field of tradeViewFields) {
    const expected = normal(record[field]);
    const found = normal(view[field]);
    if (expected !== found) differences.push({ field, expected, found });
  }
  const rebuilt = record.claim ?? noClaimView;
  for (const field of claimViewFields) {
    const expected = normal(rebuilt[field]);
    const found = normal(claim[field]);
    if (expected !== found) differences.push({ field: `claim.${field}`, expected, found });
  }
  return differences;
}

function normal(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase() : show(value);
}

export type CompareAccountsParameters = {
  state: EscrowState;
  views: EscrowViews;
  checks: CheckList;
  concurrency: number;
};

/** What the account views returned, for the funds check. */
export type AccountViews = {
  credits: { account: Address; token: Address; amount: bigint }[];
  operatorBonds: { operator: Address; bond: bigint }[];
  pools: { token: Address; balance: bigint }[];
};

/**
 * Compares the escrow's accounts rebuilt from events with its views: the trade count, every
 * withdrawable credit, operator bond, guarantor pool and debt the events name, and each pay-after-use
 * buyer's exposure to its token's pool with the cap the admin set for that token.
 */
export async function compareAccounts(
  parameters: CompareAccountsParameters,
): Promise<AccountViews> {
  const { state, views, checks, concurrency } = parameters;
  const block = show(views.blockNumber);
  const count = await views.tradeCount();
  const rebuilt = BigInt(state.trades.size + state.opening.size);
  if (count === rebuilt && state.opening.size === 0) {
    checks.passed(
      "accounts",
      "tradeCount",
      `The escrow counts ${count} trades; the events open as many.`,
      {
        block,
        field: "tradeCount",
        expected: show(rebuilt),
        found: show(count),
      },
    );
  } else {
    checks.failed(
      "accounts",
      "tradeCount",
      "state-mismatch",
      state.opening.size === 0
        ? `The escrow counts ${count} trades; the events open ${rebuilt}.`
        : `Trades ${[...state.opening.keys()].join(", ")} were created without the event that carries their terms.`,
      { block, field: "tradeCount", expected: show(rebuilt), found: show(count) },
    );
  }

  const split = (key: string) => {
    const [account, token] = key.split("|") as [Address, Address];
    return { account: getAddress(account), token: getAddress(token) };
  };
  const compare = (
    subject: string,
    field: string,
    expected: bigint,
    found: bigint,
    evidence: { account?: Address; token?: Address },
  ) => {
    const all = { block, field, expected: show(expected), found: show(found), ...evidence };
    if (expected === found)
      checks.passed("accounts", subject, `${subject} is ${found}, as the events say.`, all);
    else
      checks.failed(
        "accounts",
        subject,
        "state-mismatch",
        `${subject} is ${found} on chain; the events say ${expected}.`,
        all,
      );
  };

  const credits = await mapConcurrent(
    [...state.credits.entries()],
    concurrency,
    async ([key, expected]) => {
      const { account, token } = split(key);
      const amount = await views.withdrawable(account, token);
      compare(`withdrawable(${account}, ${token})`, "withdrawable", expected, amount, {
        account,
        token,
      });
      return { account, token, amount };
    },
  );
  const operatorBonds = await mapConcurrent(
    [...state.operators.entries()],
    concurrency,
    async ([operator, expected]) => {
      const [bond, required, openTrades] = await views.operatorBond(operator);
      compare(`operatorBond(${operator}).bond`, "bond", expected.bond, bond, { account: operator });
      compare(`operatorBond(${operator}).required`, "required", expected.required, required, {
        account: operator,
      });
      compare(
        `operatorBond(${operator}).openTrades`,
        "openTrades",
        expected.openTrades,
        openTrades,
        {
          account: operator,
        },
      );
      return { operator, bond };
    },
  );
  const pools = await mapConcurrent(
    [...state.pools.entries()],
    concurrency,
    async ([token, expected]) => {
      const [balance, committed] = await views.pool(token);
      compare(`pool(${token}).balance`, "balance", expected.balance, balance, { token });
      compare(`pool(${token}).committed`, "committed", expected.committed, committed, { token });
      return { token, balance };
    },
  );
  await mapConcurrent([...state.debts.entries()], concurrency, async ([key, expected]) => {
    const { account, token } = split(key);
    compare(`debt(${account}, ${token})`, "debt", expected, await views.debt(account, token), {
      account,
      token,
    });
  });
  await mapConcurrent(
    [...buyerExposures(state).entries()],
    concurrency,
    async ([key, expected]) => {
      const { account, token } = split(key);
      const [exposure, cap] = await views.buyerExposure(account, token);
      const subject = `buyerExposure(${account}, ${token})`;
      compare(`${subject}.exposure`, "exposure", expected, exposure, { account, token });
      compare(`${subject}.cap`, "cap", state.exposureCaps.get(token) ?? 0n, cap, {
        account,
        token,
      });
    },
  );
  return { credits, operatorBonds, pools };
}
