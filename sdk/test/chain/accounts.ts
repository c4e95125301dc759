import { mnemonicToAccount } from "viem/accounts";
import type { HDAccount } from "viem/accounts";

/** Hardhat's development mnemonic: the node's twenty funded accounts. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** Who is who on the test chain: the index of each role among Hardhat's accounts. */
export const roles = {
  admin: 0,
  treasury: 1,
  buyer: 2,
  seller: 3,
  operator: 4,
  agency: 5,
  oracle: 6,
  relayer: 7,
  walletOwner: 8,
  permitBuyer: 9,
  stranger: 10,
  arbitrator1: 11,
  arbitrator2: 12,
  arbitrator3: 13,
  operator2: 14,
} as const;

export type Role = keyof typeof roles;

const cache = new Map<Role, HDAccount>();

/** The role's local account (signs in this process, like a browser or server wallet). */
export function localAccount(role: Role): HDAccount {
  let account = cache.get(role);
  if (account === undefined) {
    account = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: roles[role] });
    cache.set(role, account);
  }
  return account;
}
