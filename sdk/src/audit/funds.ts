import { getAddress, isAddressEqual, zeroAddress } from "viem";
import type { Address, Client } from "viem";
import { getBalance, readContract } from "viem/actions";
import { arbitrationCourtAbi } from "../contracts/index.js";
import type { EscrowState } from "../history/index.js";
import type { CourtEvent } from "./events.js";
import { mapConcurrent } from "./pool.js";
import type { CheckList } from "./report.js";
import { show } from "./report.js";
import { withRetry } from "./retry.js";
import type { AccountViews, TradeViewValues } from "./state.js";
import type { EscrowViews } from "./views.js";

export type CheckFundsParameters = {
  state: EscrowState;
  views: EscrowViews;
  checks: CheckList;
  /** Trade views already read (the rest are read here). */
  tradeViews: Map<bigint, TradeViewValues>;
  accounts: AccountViews;
  concurrency: number;
};

/**
 * Funds conservation at the audited block, as the contract tests check it after every test: for each
 * token, the escrow's balance equals what it owes, summed from its own per-item views: escrowed money
 * and seller bonds of every trade in that token, every withdrawable credit, operators' bonds (in the
 * bond token) and the guarantor pools. One check per token.
 */
export async function checkFunds(parameters: CheckFundsParameters): Promise<void> {
  const { state, views, checks, tradeViews, accounts } = parameters;
  const owed = new Map<Address, bigint>();
  const add = (token: Address, amount: bigint) => {
    const key = getAddress(token);
    owed.set(key, (owed.get(key) ?? 0n) + amount);
  };
  const bondToken = await views.bondToken();
  add(bondToken, 0n);

  const ids = [...state.trades.keys()];
  const missing = ids.filter((id) => !tradeViews.has(id));
  await mapConcurrent(missing, parameters.concurrency, async (id) => {
    tradeViews.set(id, await views.trade(id));
  });
  for (const id of ids) {
    const view = tradeViews.get(id)!;
    add(state.trades.get(id)!.terms.token, view.escrowed + view.sellerBond);
  }
  for (const credit of accounts.credits) add(credit.token, credit.amount);
  for (const operator of accounts.operatorBonds) add(bondToken, operator.bond);
  for (const pool of accounts.pools) add(pool.token, pool.balance);

  const block = show(views.blockNumber);
  for (const [token, amount] of owed) {
    const balance = await views.balanceOf(token);
    const name = token === zeroAddress ? "native coin" : `token ${token}`;
    const evidence = { block, token, expected: show(amount), found: show(balance) };
    if (balance === amount) {
      checks.passed(
        "funds",
        `funds in ${name}`,
        `The escrow holds ${balance} of the ${name}, exactly what it owes.`,
        evidence,
      );
    } else {
      checks.failed(
        "funds",
        `funds in ${name}`,
        balance > amount ? "funds-surplus" : "funds-shortfall",
        `The escrow holds ${balance} of the ${name} but owes ${amount}.`,
        evidence,
      );
    }
  }
}

export type CheckCourtFundsParameters = {
  client: Client;
  court: Address;
  blockNumber: bigint;
  /** The court's events up to the audited block. */
  courtEvents: readonly CourtEvent[];
  checks: CheckList;
  concurrency: number;
};

/**
 * The court's own conservation (native coin): its balance equals the fees it still holds for
 * disputes (`dispute(id).feePool` of every dispute it created, for any arbitrable) plus what every
 * account it credited may withdraw.
 */
export async function checkCourtFunds(parameters: CheckCourtFundsParameters): Promise<void> {
  const { client, court, blockNumber, checks } = parameters;
  const disputes = new Set<bigint>();
  const accounts = new Set<Address>();
  for (const event of parameters.courtEvents) {
    if (!isAddressEqual(event.address, court)) continue;
    if (event.eventName === "DisputeCreation") disputes.add(event.args.disputeID);
    if (event.eventName === "Credited") accounts.add(getAddress(event.args.account));
  }
  // Types erased for the generic function name; each caller states the ABI's result type.
  const read = <const functionName extends "dispute" | "withdrawable">(
    functionName: functionName,
    args: readonly [bigint] | readonly [Address],
  ) =>
    withRetry(() =>
      readContract(client, {
        address: court,
        abi: arbitrationCourtAbi,
        functionName,
        args,
        blockNumber,
      } as never),
    );
  const pools = await mapConcurrent([...disputes], parameters.concurrency, async (id) => {
    const view = (await read("dispute", [id])) as { feePool: bigint };
    return view.feePool;
  });
  const credits = await mapConcurrent(
    [...accounts],
    parameters.concurrency,
    async (account) => (await read("withdrawable", [account])) as bigint,
  );
  const owed = [...pools, ...credits].reduce((sum, amount) => sum + amount, 0n);
  const balance = await withRetry(() => getBalance(client, { address: court, blockNumber }));
  const evidence = {
    block: show(blockNumber),
    address: getAddress(court),
    expected: show(owed),
    found: show(balance),
  };
  const subject = `funds of the court ${getAddress(court)}`;
  if (balance === owed) {
    checks.passed(
      "funds",
      subject,
      `The court holds ${balance} of the native coin: the fees of ${disputes.size} dispute(s) and ${accounts.size} account(s)' credits.`,
      evidence,
    );
  } else {
    checks.failed(
      "funds",
      subject,
      balance > owed ? "funds-surplus" : "funds-shortfall",
      `The court holds ${balance} of the native coin but owes ${owed}.`,
      evidence,
    );
  }
}
