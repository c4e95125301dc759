/**
 * JSON for values with bigints. Two encodings:
 * - `toApiJson`: bigints as decimal strings (what the API and the raw event table hold);
 * - `encodeRecord` / `decodeRecord`: bigints as `"123n"`, so a stored reducer state reads back with its
 *   bigints. Unambiguous for the escrow's data: every other string it holds is hex (`0x…`).
 */

const BIGINT = /^-?\d+n$/;

/** A value as `toApiJson` writes it: bigints as decimal strings. */
export type ApiJson<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? ApiJson<U>[]
    : T extends object
      ? { [K in keyof T]: ApiJson<T[K]> }
      : T;

/** A JSON-ready copy of `value` with bigints as decimal strings. */
export function toApiJson<T>(value: T): ApiJson<T>;
export function toApiJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toApiJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = toApiJson(v);
    return out;
  }
  return value;
}

/** A JSON-ready copy of `value` with bigints as `"123n"`. */
export function encodeRecord(value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return value.map(encodeRecord);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) out[key] = encodeRecord(v);
    }
    return out;
  }
  return value;
}

/** The inverse of `encodeRecord`. */
export function decodeRecord<T>(value: unknown): T {
  return revive(value) as T;
}

function revive(value: unknown): unknown {
  if (typeof value === "string" && BIGINT.test(value)) return BigInt(value.slice(0, -1));
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = revive(v);
    return out;
  }
  return value;
}
