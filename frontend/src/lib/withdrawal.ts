import { getAddress, isAddress, zeroAddress } from "viem";
import type { Address } from "viem";

/**
 * Where a withdrawal goes: empty for the connected account (`withdraw`), or another address
 * (`withdrawTo`); an error sentence for anything that is not a usable address.
 */
export function withdrawalRecipient(
  input: string,
  account: string,
): { to: Address | undefined } | { error: string } {
  const value = input.trim();
  if (value === "") return { to: undefined };
  if (!isAddress(value))
    return { error: "The recipient must be an address (0x and 40 hex digits)." };
  const to = getAddress(value);
  if (to === zeroAddress) return { error: "The recipient cannot be the zero address." };
  return { to: to === getAddress(account) ? undefined : to };
}
