/**
 * Appends items one by one. `target.push(...items)` passes every item as an argument and
 * overflows the call stack for arrays of about 100,000 items and more.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
