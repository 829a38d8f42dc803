import type { Statement } from './policy-context';
import { commentLines, type Expr, quote, render } from './ts-code';

/**
 * The module both importers write: one `TailnetStack` subclass whose constructor declares everything, so the
 * user adds it to the app with one line (`new ImportedPolicyStack(app)`) and edits it like any other stack.
 */
export interface StackFile {
  readonly header: readonly string[];
  /** Comments of the imported file itself, shown above the class. */
  readonly fileComments?: readonly string[];
  readonly className: string;
  readonly stackId: string;
  readonly importFrom: string;
  readonly imports: ReadonlySet<string>;
  readonly props?: Expr;
  readonly sections: readonly (readonly Statement[])[];
  /** Declared variables something refers to; the others are declared without `const`. */
  readonly usedVariables: ReadonlySet<string>;
}

const BODY_INDENT = '    ';

export function renderStackFile(f: StackFile): string {
  const names = [...new Set([...f.imports, 'TailnetStack'])].sort((a, b) => a.localeCompare(b, 'en'));
  const statement = (s: Statement) =>
    renderStatement(s.variable && !f.usedVariables.has(s.variable) ? { ...s, lead: '' } : s);
  const body = f.sections
    .filter((s) => s.length > 0)
    .map((statements) => statements.flatMap(statement).join('\n'))
    .join('\n\n');
  const superLead = `${BODY_INDENT}super(scope, id, `;
  const props = f.props ? `, ${render(f.props, BODY_INDENT, superLead.length)}` : '';
  return [
    ...commentLines(f.header, ''),
    "import type { Construct } from 'constructs';",
    `import { ${names.join(', ')} } from ${quote(f.importFrom)};`,
    '',
    ...commentLines(f.fileComments ?? [], ''),
    `export class ${f.className} extends TailnetStack {`,
    `  constructor(scope: Construct, id = ${quote(f.stackId)}) {`,
    `${BODY_INDENT}super(scope, id${props});`,
    ...(body ? ['', body] : []),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A statement with its comments; a chain goes on one line when it fits, else one call per line. */
export function renderStatement(s: Statement): string[] {
  const lead = s.lead ?? '';
  const head = `${BODY_INDENT}${lead}${render(s.expr, BODY_INDENT, BODY_INDENT.length + lead.length)}`;
  const inner = `${BODY_INDENT}  `;
  const chain = (s.chain ?? []).map((c) => `${inner}.${render(c, inner, inner.length + 1)}`);
  const oneLine = `${head}${chain.map((c) => c.trim()).join('')};`;
  const fits = chain.length <= 1 && !oneLine.includes('\n') && oneLine.length <= 110;
  const lines = chain.length === 0 || fits ? [oneLine] : [head, ...chain.slice(0, -1), `${chain.at(-1)};`];
  return [...commentLines(s.comments, BODY_INDENT), ...lines];
}

/** `legacy-policy.ts` → `LegacyPolicyStack`; a valid class name whatever the file is called. */
export function classNameFor(file: string | undefined, fallback: string): string {
  const base = (file ?? '').replace(/^.*[\\/]/, '').replace(/\.[cm]?tsx?$/, '');
  const words = base.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  if (!name || /^[0-9]/.test(name)) return fallback;
  return name.endsWith('Stack') ? name : `${name}Stack`;
}
