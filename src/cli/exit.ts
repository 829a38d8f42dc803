/** Exit codes of every command: 0 ok, 1 findings (failed test, invalid input, drift, stale output), 2 usage. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A usage problem found after parsing (bad file argument combination …): printed, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
