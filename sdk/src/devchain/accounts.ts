import { mnemonicToAccount } from "viem/accounts";
import type { HDAccount } from "viem/accounts";

/** Hardhat's development mnemonic: the node's funded accounts. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * Who is who on the development chain: the index of each role among the mnemonic's accounts. The
 * local demo's Ignition module (ignition/modules/LocalDemo.ts) grants by these indices; the stack's
 * test checks every grant against them. The last three are the sdk tests' own.
 */
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
  /** The owner of the tests' ERC-1271 wallet. */
  walletOwner: 18,
  /** A buyer that pays with EIP-2612 permits only (no allowance). */
  permitBuyer: 19,
  /** An account with no role anywhere. */
  stranger: 20,
} as const;

export type Role = keyof typeof roles;

/** How many accounts the development node funds and signs for: one per role. */
export const DEV_ACCOUNT_COUNT = Object.keys(roles).length;

export const arbitratorRoles = [
  "arbitrator1",
  "arbitrator2",
  "arbitrator3",
  "arbitrator4",
  "arbitrator5",
] as const satisfies readonly Role[];

/** The buyers that deployStack funds with the test stablecoin and that approve the escrow. */
export const fundedBuyers = ["buyer", "buyer2", "buyer3"] as const satisfies readonly Role[];

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

/** The role's address. */
export const address = (role: Role) => localAccount(role).address;
