import { type Diagnostic, formatDiagnostic, sortDiagnostics } from '../core/diagnostics';
import { type CodeInfo, diag } from '../core/errors';

/**
 * A secret value (API key, OAuth client secret, access token). Every way JavaScript turns it into text
 * (`String()`, template literals, `JSON.stringify`, `util.inspect`, console.log) prints `[redacted]`; only
 * `reveal()` gives the value, and only the HTTP layer calls it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    rememberSecret(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

/** Every secret value seen in this process, so any text can be scrubbed before it is printed or written. */
const KNOWN_SECRETS = new Set<string>();

function rememberSecret(value: string): void {
  // Very short values would scrub innocent text; real keys are far longer.
  if (value.length >= 8) KNOWN_SECRETS.add(value);
}

/** Tailscale key formats (`tskey-api-…`, `tskey-client-…`, `tskey-auth-…`): scrubbed even if never loaded. */
const TSKEY = /tskey-[a-z]+-[A-Za-z0-9_-]+/g;

/** Removes every known secret and anything shaped like a Tailscale key from `text`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of KNOWN_SECRETS) out = out.split(secret).join('[redacted]');
  return out.replace(TSKEY, (m) => `${m.split('-').slice(0, 2).join('-')}-[redacted]`);
}

/**
 * A failure of import/drift with its diagnostics. Commands print them (redacted) and exit 1; nothing has been
 * written at that point, because every output is written only after all inputs were read and checked.
 */
export class ImportFailure extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const sorted = sortDiagnostics(diagnostics);
    super(redact(sorted.map(formatDiagnostic).join('\n')));
    this.name = 'ImportFailure';
    this.diagnostics = sorted.map((d) => ({
      ...d,
      message: redact(d.message),
      ...(d.hint ? { hint: redact(d.hint) } : {}),
    }));
  }

  static of(info: CodeInfo, path: string, message: string, hint?: string): ImportFailure {
    return new ImportFailure([diag(info, path, message, hint)]);
  }

  static isImportFailure(x: unknown): x is ImportFailure {
    return x instanceof Error && x.name === 'ImportFailure';
  }
}
