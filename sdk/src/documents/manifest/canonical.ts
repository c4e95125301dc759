/**
 * Canonical JSON: object keys sorted by UTF-16 code units at every depth, arrays in order, no
 * whitespace, strings escaped as `JSON.stringify` escapes them. For the values a manifest holds
 * (strings, safe integers, arrays, objects) this is RFC 8785 (JCS), so the same manifest always
 * serialises to the same bytes and so to the same CID.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form.`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  throw new TypeError(`A ${typeof value} has no JSON form.`);
}
