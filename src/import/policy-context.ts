import type { HujsonDocument, JsonPath } from '../core/canonical/hujson';
import type { Diagnostic } from '../core/diagnostics';
import { diag } from '../core/errors';
import type { PolicyFile } from '../policy';
import { IMPORT_CODES } from './codes';
import { SelectorWriter } from './policy-selectors';
import { type Expr, NamePool, pascal, raw, str } from './ts-code';

/**
 * State shared while one policy is turned into TypeScript: names handed out, selectors resolved, comments looked
 * up in the source, and warnings for details the constructs express differently.
 */
export interface Statement {
  /** Comment lines above the statement (from the policy file). */
  readonly comments: readonly string[];
  /** `const eng = ` or nothing. */
  readonly lead?: string;
  /** The variable the statement declares; its `const` is dropped when nothing refers to it. */
  readonly variable?: string;
  readonly expr: Expr;
  /** Method calls chained after the expression, one per line: `.canReach(server, 22)`. */
  readonly chain?: readonly Expr[];
}

export class ImportContext {
  readonly selectors = new SelectorWriter();
  /** Construct ids under the stack; `Devices` and `Tests` are the stack's own scopes. */
  readonly ids = new NamePool(['Devices', 'Tests']);
  readonly vars = new NamePool();
  readonly warnings: Diagnostic[] = [];
  /** Posture name → variable, for `srcPosture: [base.name]`. */
  readonly postures = new Map<string, string>();

  constructor(
    readonly policy: PolicyFile,
    private readonly doc: HujsonDocument,
    readonly file: string,
  ) {}

  get imports(): Set<string> {
    return this.selectors.imports;
  }

  /** Comments standing before the value at a canonical path, looked up under the file's own key spelling. */
  comments(path: JsonPath): string[] {
    return this.doc.commentsBefore(rawPath(this.doc.value, path));
  }

  warn(path: JsonPath, message: string, hint?: string): void {
    const at = this.doc.locate(rawPath(this.doc.value, path));
    this.warnings.push(diag(IMPORT_CODES.importAdjusted, `${this.file}:${at.line}:${at.col}`, message, hint));
  }

  /** `Grant07EngToServer`: zero-padded so construct-path order (the order rules are written in) is file order. */
  ruleId(prefix: string, index: number, count: number, from?: string, to?: string): string {
    const width = Math.max(2, String(count).length);
    const describe = (s: string | undefined) =>
      s === undefined ? '' : s.trim() === '*' ? 'All' : pascal(s).slice(0, 24);
    const tail =
      from === undefined ? '' : `${describe(from) || 'None'}${to === undefined ? '' : `To${describe(to) || 'None'}`}`;
    return this.ids.take(`${prefix}${String(index + 1).padStart(width, '0')}${tail}`);
  }

  /** `srcPosture` names: a declared posture by its variable (`base.name`), others as text. */
  postureNames(names: readonly string[]): Expr[] {
    return names.map((n) => {
      const variable = this.postures.get(n.trim());
      if (variable) this.selectors.usedVariables.add(variable);
      return variable ? raw(`${variable}.name`) : str(n);
    });
  }
}

/** Maps canonical keys (`grants`) to the spelling the file uses (`Grants`: Tailscale matches keys case-insensitively). */
function rawPath(value: unknown, path: JsonPath): JsonPath {
  const out: (string | number)[] = [];
  let cur = value;
  for (const seg of path) {
    if (typeof seg === 'number' || cur === null || typeof cur !== 'object' || Array.isArray(cur)) {
      out.push(seg);
      cur = Array.isArray(cur) && typeof seg === 'number' ? cur[seg] : undefined;
      continue;
    }
    const obj = cur as Record<string, unknown>;
    const key = Object.hasOwn(obj, seg)
      ? seg
      : (Object.keys(obj).find((k) => k.toLowerCase() === seg.toLowerCase()) ?? seg);
    out.push(key);
    cur = obj[key];
  }
  return out;
}
