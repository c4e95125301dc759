/** `0x`-prefixed lowercase hex, as Solidity `bytes` appear in ABI-decoded chain data. */
export type Hex = `0x${string}`;

const alphabet = "0123456789abcdef";

export function bytesToHex(bytes: Uint8Array): Hex {
  let out = "0x";
  for (const byte of bytes) out += alphabet[byte >> 4]! + alphabet[byte & 15]!;
  return out as Hex;
}

/** Decodes `0x`-prefixed hex (either case); undefined when it is not hex of whole bytes. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++)
    out[i] = Number.parseInt(hex.slice(2 + i * 2, 4 + i * 2), 16);
  return out;
}
