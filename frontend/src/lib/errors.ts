import {
  BaseError,
  ChainMismatchError,
  ContractFunctionRevertedError,
  InsufficientFundsError,
  UserRejectedRequestError,
  decodeErrorResult,
  formatUnits,
} from "viem";
import type { Abi, ContractErrorArgs as AbiErrorArgs, Hex } from "viem";
import {
  arbitrationCourtAbi,
  claimStatusNames,
  erc20PermitAbi,
  sellerRatingsAbi,
  tradeEscrowAbi,
  tradeStateNames,
} from "@trade-escrow/sdk/contracts";

/** What a person reads when an action fails. */
export type ReadableError = {
  /** One sentence: what happened. */
  title: string;
  /** The decoded custom error (`EscrowInvalidState(7, 5)`), when the contract reverted with one. */
  detail?: string;
  kind: "rejected" | "insufficient-funds" | "wrong-network" | "revert" | "network" | "other";
};

/** Every contract the dApp calls: the escrow, the court, the ratings and the payment tokens. */
const abis = [tradeEscrowAbi, arbitrationCourtAbi, sellerRatingsAbi, erc20PermitAbi] as const;

/** The entries of those ABIs, as one ABI. */
type DappAbi = readonly (typeof abis)[number][number][];

/** The name of a custom error one of the dApp's contracts may revert with, as its ABI declares it. */
export type ContractErrorName = Extract<DappAbi[number], { type: "error" }>["name"];

/** The decoded arguments of the error `name`, typed by its ABI entry. */
export type ContractErrorArgs<name extends ContractErrorName> = AbiErrorArgs<DappAbi, name>;

/** Every error name the ABIs declare, for the names decoded at run time. */
export const contractErrorNames: ReadonlySet<string> = new Set(
  abis.flatMap((abi: Abi) => abi.flatMap((item) => (item.type === "error" ? [item.name] : []))),
);

const stateName = (value: number) => tradeStateNames[value] ?? `state ${value}`;
const seconds = (value: bigint | number) => new Date(Number(value) * 1000).toUTCString();
const eth = (value: bigint) => formatUnits(value, 18);

/** The durations `EscrowMissingDuration` names (ITradeEscrow.ScheduleTerm, in its order). */
const scheduleTermNames = [
  "deposit window",
  "number of business days to start fulfilment",
  "number of business days to answer a claim",
  "grace period after the latest delivery",
  "ship window after the balance",
] as const;

/**
 * Sentences for the custom errors people meet, keyed by the ABIs' error names and given each error's
 * arguments as its ABI types them: a renamed or removed error, or a changed argument list, fails to
 * compile. Errors without a sentence are shown by name with their arguments.
 */
export const errorSentences: {
  readonly [name in ContractErrorName]?: (args: ContractErrorArgs<name>) => string;
} = {
  EscrowInvalidState: ([id, current]) =>
    `Trade ${id} is ${stateName(current)}; this action is not possible in that state.`,
  EscrowInvalidTransition: ([id, from, to]) =>
    `Trade ${id} cannot go from ${stateName(from)} to ${stateName(to)}.`,
  EscrowUnauthorized: ([id, caller]) =>
    `The connected account ${caller} may not do this on trade ${id}.`,
  EscrowTermsMismatch: ([id]) =>
    `The terms accepted are not the ones proposed for trade ${id}; reload the trade.`,
  EscrowNotAParty: ([caller]) =>
    `The connected account ${caller} is neither the buyer nor the seller of these terms.`,
  EscrowMissingDuration: ([term]) =>
    `The terms need a ${scheduleTermNames[term] ?? "duration"} longer than zero.`,
  EscrowDeadlinePassed: ([id, deadline]) =>
    `The deadline of trade ${id} passed on ${seconds(deadline)}.`,
  EscrowDeadlineNotReached: ([id, deadline]) =>
    `Trade ${id}'s deadline is ${seconds(deadline)}; it has not passed yet.`,
  EscrowWrongValue: ([expected, sent]) =>
    `The amount sent (${eth(sent)}) is not the amount due (${eth(expected)}).`,
  EscrowBalanceDue: ([id, due]) =>
    `Trade ${id} still has ${due} (smallest units) of the price due; the balance must be paid first.`,
  EscrowSellerBondDue: ([id, due]) =>
    `Trade ${id} needs the seller's bond (${due} smallest units) before fulfilment starts.`,
  EscrowNothingDue: ([id]) => `Nothing is due on trade ${id}.`,
  EscrowNothingToWithdraw: ([account]) => `There is nothing to withdraw for ${account}.`,
  EscrowInvalidSignature: ([signer]) => `The signature of ${signer} is not valid for this message.`,
  EscrowSignatureExpired: ([signer, deadline]) =>
    `The signature of ${signer} expired on ${seconds(deadline)}.`,
  EscrowNonceUsed: ([signer, nonce]) =>
    `The signature nonce ${nonce} of ${signer} was already used.`,
  EscrowOperatorNotAccredited: ([operator]) =>
    `${operator} is not an accredited warehouse operator.`,
  EscrowFeeMismatch: ([terms, expected]) =>
    `The terms' fee (${terms} bps) differs from the platform fee in force (${expected} bps).`,
  EscrowClaimWindowClosed: ([id, end]) =>
    `The claim window of trade ${id} closed on ${seconds(end)}.`,
  EscrowInvalidClaimStatus: ([id, status]) =>
    `Trade ${id}'s claim is ${claimStatusNames[Number(status)] ?? status}; this action does not apply.`,
  EscrowInvalidLot: ([id, expected, given]) =>
    `Trade ${id} expects lot ${expected}, not lot ${given}.`,
  EscrowAttestedTimeOutOfRange: ([time, notBefore, notAfter]) =>
    `The attested time ${seconds(time)} must lie between ${seconds(notBefore)} and ${seconds(notAfter)}.`,
  EscrowAllowanceTooLow: ([token, allowance, needed]) =>
    `The escrow may spend ${allowance} of token ${token}; it needs ${needed}. Approve first.`,
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `${sender} holds ${balance} of the token; ${needed} is needed.`,
  ERC20InsufficientAllowance: ([_spender, allowance, needed]) =>
    `The escrow may spend ${allowance} of the token; it needs ${needed}. Approve first.`,
  EscrowDebtOutstanding: ([buyer, token, owed]) =>
    `Pay after use is refused: ${buyer} still owes the guarantor pool ${owed} (smallest units) of token ${token}. Repay the debt first.`,
  EscrowExposureAboveCap: ([buyer, token, exposure, cap]) =>
    `The guarantor pool would cover ${exposure} (smallest units) of token ${token} for ${buyer}, above the cap of ${cap} per buyer. Lower the price or wait for open trades to finish.`,
  EscrowCreditRefused: ([buyer, score, threshold, expiresAt]) =>
    Number(score) <= Number(threshold)
      ? `Pay after use needs a credit score above ${threshold}; ${buyer}'s is ${score}.`
      : `The credit score of ${buyer} expired on ${seconds(expiresAt)}.`,
  EscrowPoolInsufficient: ([token, available, needed]) =>
    `The guarantor pool of token ${token} has ${available} (smallest units) free; ${needed} is needed.`,
  EscrowZeroAddress: () => "The address cannot be the zero address.",
  EnforcedPause: () => "The platform has paused new trades.",
  CourtNotOnPanel: ([id, account]) => `${account} does not sit on the panel of dispute ${id}.`,
  CourtCommitmentMismatch: ([id]) =>
    `The vote and salt do not match the sealed vote committed in dispute ${id}.`,
  CourtTooEarly: ([id]) =>
    `It is too early for this step of dispute ${id}; its window has not opened.`,
  CourtTooLate: ([id, deadline]) => `The window of dispute ${id} closed on ${seconds(deadline)}.`,
  RatingsTradeNotQualified: ([id, _lotsDone, fee, minFee]) =>
    `Trade ${id} cannot be rated: no warehouse operator attested its title, and its platform fee ` +
    `(${fee} smallest units) is below the rating floor (${minFee === 0n ? "none set for its token" : `${minFee}`}).`,
  RatingsWindowClosed: ([id, deadline]) =>
    `The rating window of trade ${id} closed on ${seconds(deadline)}.`,
  RatingsAlreadyRated: ([id]) => `Trade ${id} has been rated already.`,
};

/** Decodes revert data with every ABI the dApp talks to. */
export function decodeRevert(
  data: Hex,
): { errorName: string; args: readonly unknown[] } | undefined {
  for (const abi of abis) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      return { errorName: decoded.errorName, args: decoded.args ?? [] };
    } catch {
      // Not an error of this ABI: try the next one.
    }
  }
  return undefined;
}

const formatArgs = (args: readonly unknown[]) =>
  args.map((a) => (typeof a === "bigint" ? a.toString() : String(a))).join(", ");

/** The sentence for `errorName`, when the ABIs declare it and it has one. */
function sentenceFor(errorName: string): ((args: readonly unknown[]) => string) | undefined {
  if (!contractErrorNames.has(errorName)) return undefined;
  // The arguments were decoded with the ABI entry of that name, so they are the types it declares.
  return errorSentences[errorName as ContractErrorName] as
    ((args: readonly unknown[]) => string) | undefined;
}

function describeRevert(errorName: string, args: readonly unknown[]): ReadableError {
  const detail = `${errorName}(${formatArgs(args)})`;
  const sentence = sentenceFor(errorName);
  return {
    kind: "revert",
    title: sentence !== undefined ? sentence(args) : `The contract refused: ${errorName}.`,
    detail,
  };
}

/** Finds revert data anywhere in a chain of causes (`{ data: "0x…" }` as wallets pass it). */
function findRevertData(error: unknown): Hex | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== null && typeof current === "object"; depth++) {
    const data = (current as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data as Hex;
    if (data !== null && typeof data === "object") {
      const nested = (data as { data?: unknown }).data;
      if (typeof nested === "string" && /^0x[0-9a-fA-F]{8,}$/.test(nested)) return nested as Hex;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The one place that turns an error into what a person reads. */
export function toReadableError(error: unknown): ReadableError {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      if (reverted.data !== undefined)
        return describeRevert(reverted.data.errorName, reverted.data.args ?? []);
      const raw = reverted.raw !== undefined ? decodeRevert(reverted.raw) : undefined;
      if (raw !== undefined) return describeRevert(raw.errorName, raw.args);
      if (reverted.reason !== undefined)
        return { kind: "revert", title: `The contract refused: ${reverted.reason}.` };
    }
    if (error.walk((e) => e instanceof UserRejectedRequestError) !== null)
      return { kind: "rejected", title: "You rejected the request in your wallet." };
    if (error.walk((e) => e instanceof InsufficientFundsError) !== null)
      return {
        kind: "insufficient-funds",
        title: "The account does not hold enough to pay this amount and the network fee.",
      };
    if (error.walk((e) => e instanceof ChainMismatchError) !== null)
      return { kind: "wrong-network", title: "Your wallet is on another network; switch first." };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 4001) return { kind: "rejected", title: "You rejected the request in your wallet." };
  const data = findRevertData(error);
  const decoded = data !== undefined ? decodeRevert(data) : undefined;
  if (decoded !== undefined) return describeRevert(decoded.errorName, decoded.args);
  if (error instanceof BaseError)
    return { kind: "other", title: error.shortMessage.replace(/\.?$/, ".") };
  if (error instanceof TypeError && /fetch/i.test(error.message))
    return { kind: "network", title: "The server could not be reached." };
  if (error instanceof Error) return { kind: "other", title: error.message.replace(/\.?$/, ".") };
  return { kind: "other", title: "Something failed." };
}
