/**
 * Canonical JSON: 2-space indent, LF, final newline, keys in the order given (callers sort where order has no
 * meaning; `sortKeys` does it recursively for data with no meaningful order).
 */
export function printJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

export function printSortedJson(value: unknown): string {
  return printJson(sortKeys(value));
}
