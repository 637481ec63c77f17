/**
 * Returns a JSON value with every string in it replaced by `map`, at any depth. `map` gets the
 * key that the string is stored under in its object, or undefined for a string at the top or in
 * an array.
 */
export function mapJsonStrings(value: unknown, map: (text: string, key: string | undefined) => string, key?: string): unknown {
  if (typeof value === 'string') return map(value, key);
  if (Array.isArray(value)) return value.map((item) => mapJsonStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([innerKey, inner]) => [innerKey, mapJsonStrings(inner, map, innerKey)]));
  }
  return value;
}
