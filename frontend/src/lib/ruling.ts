/** A court ruling in words: 0 refused, 1 claim rejected, r > 1 a refund of r - 1 basis points. */
export function rulingLabel(ruling: bigint): string {
  if (ruling === 0n) return "the court refused to rule";
  if (ruling === 1n) return "claim rejected";
  return `refund ${Number(ruling - 1n) / 100}%`;
}
