import { bytesToHex } from "viem";
import type { Hex } from "viem";

/**
 * An arbitrator's sealed votes: the choice and salt of each commitment, kept in this browser
 * (localStorage) until the reveal, and exportable encrypted with a passphrase (PBKDF2-SHA-256,
 * AES-256-GCM through WebCrypto) to reveal from another device.
 */
export type SealedVote = {
  disputeId: string;
  round: number;
  attempt: number;
  voter: string;
  choice: string;
  salt: Hex;
};

const KEY = "trade-escrow:sealed-votes";
const ITERATIONS = 210_000;

export const voteKey = (v: Pick<SealedVote, "disputeId" | "round" | "attempt" | "voter">) =>
  `${v.disputeId}:${v.round}:${v.attempt}:${v.voter.toLowerCase()}`;

export function newSalt(): Hex {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}

export function loadVotes(storage: Storage = localStorage): Record<string, SealedVote> {
  try {
    return JSON.parse(storage.getItem(KEY) ?? "{}") as Record<string, SealedVote>;
  } catch {
    return {};
  }
}

export function saveVote(vote: SealedVote, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify({ ...loadVotes(storage), [voteKey(vote)]: vote }));
}

const encoder = new TextEncoder();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function deriveKey(passphrase: string, salt: Uint8Array): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    "raw",
    encoder.encode(passphrase),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    {
      name: "PBKDF2",
      hash: "SHA-256",
      salt: salt as Uint8Array<ArrayBuffer>,
      iterations: ITERATIONS,
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** The votes encrypted with the passphrase, as one text to save or copy. */
export async function exportVotes(
  votes: Record<string, SealedVote>,
  passphrase: string,
): Promise<string> {
  if (passphrase.length < 8) throw new Error("The passphrase must have at least 8 characters.");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(passphrase, salt);
  const data = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv },
      key,
      encoder.encode(JSON.stringify(votes)),
    ),
  );
  return JSON.stringify({
    v: 1,
    kdf: "PBKDF2-SHA256",
    iterations: ITERATIONS,
    salt: toBase64(salt),
    iv: toBase64(iv),
    data: toBase64(data),
  });
}

/** Decrypts an export; a wrong passphrase or altered text throws. */
export async function importVotes(
  text: string,
  passphrase: string,
): Promise<Record<string, SealedVote>> {
  let parsed: { v: number; salt: string; iv: string; data: string };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new Error("This is not an export of sealed votes.");
  }
  if (parsed.v !== 1) throw new Error("This is not an export of sealed votes.");
  const key = await deriveKey(passphrase, fromBase64(parsed.salt));
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(parsed.iv) as Uint8Array<ArrayBuffer> },
      key,
      fromBase64(parsed.data) as Uint8Array<ArrayBuffer>,
    );
    return JSON.parse(new TextDecoder().decode(plain)) as Record<string, SealedVote>;
  } catch {
    throw new Error("The passphrase is wrong or the export was altered.");
  }
}
