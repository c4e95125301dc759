/**
 * Maps `items` through `fn` with at most `concurrency` calls in flight, keeping the order. Enough
 * requests in flight for a batching transport to fill its batches, never one per item at once.
 */
export async function mapConcurrent<item, result>(
  items: readonly item[],
  concurrency: number,
  fn: (item: item, index: number) => Promise<result>,
  onDone?: (done: number) => void,
): Promise<result[]> {
  const results = new Array<result>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as item, index);
      done += 1;
      onDone?.(done);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker),
  );
  return results;
}
