/**
 * Appends items one by one. `target.push(...items)` passes every item as an argument and
 * overflows the call stack for arrays of about 100,000 items and more.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/**
 * Returns the smallest value, or Infinity for none, as `Math.min(...values)` does but without
 * passing each value as an argument, which overflows the call stack for large arrays.
 */
export function minOf(values: Iterable<number>): number {
  let min = Infinity;
  for (const value of values) min = Math.min(min, value);
  return min;
}

/** Returns the largest value, or -Infinity for none, as `Math.max(...values)` does, for arrays of any size. */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const value of values) max = Math.max(max, value);
  return max;
}
