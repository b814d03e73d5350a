import { availableParallelism } from "node:os";

/** Maps with at most `limit` calls in flight: the machine's cores, not more (tools are CPU-bound). */
export const mapLimit = async <T, R>(
  items: readonly T[],
  fn: (item: T) => Promise<R>,
  limit = availableParallelism(),
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
