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
  relayer: 6,
  arbitrator1: 7,
  arbitrator2: 8,
  arbitrator3: 9,
  arbitrator4: 10,
  arbitrator5: 11,
  buyer2: 12,
  seller2: 13,
  buyer3: 14,
  seller3: 15,
  operator2: 16,
  oracle: 17,
} as const;

export type Role = keyof typeof roles;

export const arbitratorRoles = [
  "arbitrator1",
  "arbitrator2",
  "arbitrator3",
  "arbitrator4",
  "arbitrator5",
] as const satisfies readonly Role[];

const cache = new Map<Role, HDAccount>();

export function account(role: Role): HDAccount {
  let a = cache.get(role);
  if (a === undefined) {
    a = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: roles[role] });
    cache.set(role, a);
  }
  return a;
}

export const address = (role: Role) => account(role).address;
