/**
 * `formatHujson`: a TypeScript port of the behaviour of `hujson.Format` from Tailscale's Go package
 * github.com/tailscale/hujson (format.go), output byte for byte identical.
 *
 * Why hand-written: Tailscale's gitops-pusher compares sha256(hujson.Format(file)) with the policy ETag, so the
 * formatter must match Go's exactly, and no npm package reproduces hujson.Format (JSON formatters and JSONC
 * tools have other rules). The steps are Go's, in Go's order:
 *   1. format the extra before the root value; remember whether the input is standard JSON;
 *   2. normalize: re-encode escaped strings, drop whitespace-only extras before `:` / `,` and inside `{}` `[]`;
 *   3. decide for every object/array whether it is expanded (one member per line) or inline: expanded when the
 *      source has a newline after `{` `[` `,` or before `}` `]`, or when a line would pass 80 columns;
 *   4. re-indent with tabs, put or drop trailing commas (never added to standard JSON);
 *   5. align the values of consecutive single-line object members;
 *   6. format the extra after the root value and end with exactly one newline.
 * Go measures lengths in UTF-8 bytes; so do we (utf8Length), so non-ASCII text breaks lines where Go does.
 */
import {
  type AstComposite,
  type AstMember,
  type AstValue,
  childCount,
  everyChild,
  firstBeforeExtra,
  hasComment,
  hasNewline,
  lastValueOf,
  packAst,
  setTrailingComma,
  skipWhitespace,
  trimRightGoSpace,
  utf8Length,
} from './hujson-ast';
import { type ExtraFormatOptions, extraLineStats, formatExtra, type LineStats, NO_OPTIONS } from './hujson-extra';
import { DEFAULT_FILE_NAME, parseAst } from './hujson-parse';

const PUNCH_CARD_WIDTH = 80;

/** Formats HuJSON text exactly as Go's hujson.Format followed by Pack; throws HujsonSyntaxError. */
export function formatHujson(text: string, file: string = DEFAULT_FILE_NAME): string {
  const root = parseAst(text, { file, rejectDuplicateNames: false });
  formatTree(root);
  return packAst(root);
}

/** Go's Value.Format on a freshly parsed tree (mutates it). */
export function formatTree(root: AstValue): void {
  const before = formatExtra(root.before, 0, NO_OPTIONS);
  root.before = before.slice(skipWhitespace(before)); // never leading whitespace
  const standard = isStandard(root);
  normalize(root);
  const expanded = new Set<AstComposite>();
  measureAndMarkExpanded(root, expanded);
  formatWhitespace(root, 0, expanded, standard);
  alignObjectValues(root);
  root.after = `${trimRightGoSpace(formatExtra(root.after ?? '', 0, NO_OPTIONS))}\n`; // exactly one final newline
}

/** No comments and no trailing commas anywhere. */
export function isStandard(v: AstValue): boolean {
  if (hasComment(v.before) || hasComment(v.after)) return false;
  const node = v.node;
  if (node.kind === 'literal') return true;
  if (!everyChild(node, isStandard)) return false;
  const last = lastValueOf(node);
  return (last === undefined || last.after === null) && !hasComment(node.after);
}

function normalize(v: AstValue): void {
  const node = v.node;
  if (node.kind === 'literal') {
    if (node.text.startsWith('"') && node.text.includes('\\')) node.text = normalizeStringLiteral(node.text);
    return;
  }
  if (childCount(node) === 0) {
    if (!hasComment(node.after)) node.after = '';
    return;
  }
  // Note: this also drops a trailing comma whose extra has no comment; step 4 puts it back where wanted.
  everyChild(node, normalizeChild);
}

function normalizeChild(child: AstValue): boolean {
  if (!hasComment(child.after)) child.after = null;
  normalize(child);
  return true;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MUST_ESCAPE = /["\\\u0000-\u001f]/g;
const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/**
 * Re-encodes a string literal that has escapes the way Go's hujson.String does (RFC 8785 style): only `"`,
 * `\` and control characters are escaped, with short forms where they exist and `\u00xx` (lower case)
 * otherwise; `\/` and escaped printable characters become plain characters. Lone surrogates become U+FFFD,
 * as Go's JSON decoder makes them.
 */
export function normalizeStringLiteral(literal: string): string {
  const decoded = (JSON.parse(literal) as string).replace(LONE_SURROGATE, '\ufffd');
  const escaped = decoded.replace(
    MUST_ESCAPE,
    (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}

/** Accumulates line lengths while walking the tokens of one composite as if printed inline. */
class LineLengths {
  current = 0;
  readonly finished: number[] = [];

  add(length: number): void {
    this.current += length;
  }

  addStats(stats: LineStats): void {
    this.current += stats.firstLength;
    if (stats.multiline) {
      this.finished.push(this.current);
      this.current = stats.lastLength;
    }
  }
}

/**
 * Go's expandComposites: returns the first/last line lengths of the value and records in `expanded` every
 * composite printed one member per line. Indentation is not counted, as in Go.
 */
function measureAndMarkExpanded(v: AstValue, expanded: Set<AstComposite>): LineStats {
  const node = v.node;
  if (node.kind === 'literal') {
    const length = utf8Length(node.text);
    return { firstLength: length, lastLength: length, multiline: false };
  }
  const line = new LineLengths();
  let expand = false;
  line.add(1); // '{' or '['
  if (node.kind === 'object') {
    for (const { name, value } of node.members) {
      expand ||= hasNewline(name.before);
      measureItem(name, line, expanded);
      line.add(2); // ': '
      measureItem(value, line, expanded);
      line.add(2); // ', '
    }
  } else {
    for (const element of node.elements) {
      expand ||= hasNewline(element.before);
      measureItem(element, line, expanded);
      line.add(2); // ', '
    }
  }
  line.add(1); // '}' or ']'
  // (Go also has "expand multiline objects with more than one member", but it tests a still-zero value: no-op.)
  expand ||= hasNewline(lastValueOf(node)?.after ?? null) || hasNewline(node.after);
  line.finished.push(line.current);
  const lengths = line.finished;
  if (expand || lengths.some((length) => length > PUNCH_CARD_WIDTH)) {
    expanded.add(node);
    return { firstLength: 1 + extraLineStats(firstBeforeExtra(node)).firstLength, lastLength: 1, multiline: true };
  }
  return { firstLength: lengths[0], lastLength: lengths[lengths.length - 1], multiline: lengths.length > 1 };
}

function measureItem(item: AstValue, line: LineLengths, expanded: Set<AstComposite>): void {
  line.addStats(extraLineStats(item.before));
  // Literals (most items) are added directly, sparing a stats object each.
  if (item.node.kind === 'literal') line.add(utf8Length(item.node.text));
  else line.addStats(measureAndMarkExpanded(item, expanded));
  line.addStats(extraLineStats(item.after));
}

const TIGHT: ExtraFormatOptions = { removeLeadingEmptyLines: true, removeTrailingEmptyLines: true };
const TIGHT_PADDED: ExtraFormatOptions = { ...TIGHT, appendSpaceIfEmpty: true };

/** Options for the extra before a member/element, by (expanded, first). */
function itemLeadOptions(expand: boolean, first: boolean): ExtraFormatOptions {
  return LEAD_OPTIONS[(expand ? 2 : 0) + (first ? 1 : 0)];
}
const LEAD_OPTIONS: ExtraFormatOptions[] = [false, true].flatMap((expand) =>
  [false, true].map((first) => ({
    ensureLeadingNewline: expand,
    removeLeadingEmptyLines: first,
    appendSpaceIfEmpty: !first,
  })),
);

function formatAfter(after: string | null, depth: number): string | null {
  return after === null ? null : formatExtra(after, depth, TIGHT);
}

/** Go's formatWhitespace: indentation, newlines and trailing commas. */
function formatWhitespace(v: AstValue, depth: number, expanded: Set<AstComposite>, standard: boolean): void {
  const node = v.node;
  if (node.kind === 'literal') return;
  const expand = expanded.has(node);
  const childDepth = depth + (expand ? 1 : 0);
  if (node.kind === 'object') {
    for (let i = 0; i < node.members.length; i++) formatMember(node.members[i], i, depth, expand, expanded, standard);
  } else {
    for (let i = 0; i < node.elements.length; i++) {
      const element = node.elements[i];
      element.before = formatExtra(element.before, depth + 1, itemLeadOptions(expand, i === 0));
      formatWhitespace(element, childDepth, expanded, standard);
      element.after = formatAfter(element.after, depth + 2);
    }
  }
  node.after = formatExtra(node.after, depth + 1, {
    ensureTrailingNewline: expand,
    removeLeadingEmptyLines: childCount(node) === 0,
    removeTrailingEmptyLines: true,
    unindentLastLine: true,
  });
  normalizeTrailingComma(node, expand, standard);
}

function formatMember(
  { name, value }: AstMember,
  index: number,
  depth: number,
  expand: boolean,
  expanded: Set<AstComposite>,
  standard: boolean,
): void {
  name.before = formatExtra(name.before, depth + 1, itemLeadOptions(expand, index === 0));
  name.after = formatAfter(name.after, depth + 2);
  value.before = formatExtra(value.before, depth + 2, TIGHT_PADDED);
  // A value pushed to its own line by a comment around the colon is indented one more level.
  const valueDepth = depth + (expand ? 1 : 0) + (hasNewline(name.after) || hasNewline(value.before) ? 1 : 0);
  formatWhitespace(value, valueDepth, expanded, standard);
  value.after = formatAfter(value.after, depth + 2);
}

/**
 * Inline composites lose their trailing comma (unless comments sit on both sides of it); expanded ones get
 * one, except when the input was standard JSON, which must stay standard.
 */
function normalizeTrailingComma(node: AstComposite, expand: boolean, standard: boolean): void {
  const last = lastValueOf(node);
  const surroundedComma = last !== undefined && (last.after?.length ?? 0) > 0 && node.after.length > 0;
  if (!expand && !surroundedComma) setTrailingComma(node, false);
  else if (expand && !standard) setTrailingComma(node, true);
}

/**
 * Go's alignObjectValues: in runs of members that each sit on one line, pad after the colon so the values
 * start in the same column. A blank line or a comment line (more than one newline before the name) starts a
 * new run; a member spanning lines ends one. Widths are UTF-8 bytes, as in Go.
 */
function alignObjectValues(v: AstValue): boolean {
  const node = v.node;
  if (node.kind === 'literal') return true;
  if (node.kind === 'object') alignMembers(node.members);
  return everyChild(node, alignObjectValues);
}

function alignMembers(members: readonly AstMember[]): void {
  let run: { value: AstValue; width: number }[] = [];
  const alignRun = () => {
    let widest = 0;
    for (const row of run) widest = Math.max(widest, row.width);
    for (const row of run) row.value.before += ' '.repeat(widest - row.width);
    run = [];
  };
  for (const { name, value } of members) {
    if (!startsOwnLine(name) || spansLines(name, value)) {
      alignRun();
      continue;
    }
    if (name.before.indexOf('\n') !== name.before.lastIndexOf('\n')) alignRun();
    const nameText = name.node.kind === 'literal' ? name.node.text : '';
    run.push({ value, width: utf8Length(nameText) + utf8Length(name.after ?? '') + 1 + utf8Length(value.before) });
  }
  alignRun();
}

function startsOwnLine(name: AstValue): boolean {
  return hasNewline(name.before);
}

function spansLines(name: AstValue, value: AstValue): boolean {
  return (
    containsNewline(name, false) ||
    hasNewline(name.after) ||
    hasNewline(value.before) ||
    containsNewline(value, false) ||
    hasNewline(value.after)
  );
}

/** Go's Value.hasNewline: looks at descendants' extras, but not at a composite's own closing extra. */
function containsNewline(v: AstValue, includeOwnExtras: boolean): boolean {
  if (includeOwnExtras && (hasNewline(v.before) || hasNewline(v.after))) return true;
  const node = v.node;
  if (node.kind === 'literal') return false;
  return !everyChild(node, hasNoNewlineAtAll);
}

function hasNoNewlineAtAll(v: AstValue): boolean {
  return !containsNewline(v, true);
}

/** Go's Standardize: comments and trailing commas become spaces, so offsets and line numbers stay put. */
export function standardizeHujson(text: string, file: string = DEFAULT_FILE_NAME): string {
  const root = parseAst(text, { file, rejectDuplicateNames: false });
  standardize(root);
  return packAst(root);
}

function standardize(v: AstValue): boolean {
  v.before = blankComments(v.before);
  const node = v.node;
  if (node.kind !== 'literal') {
    everyChild(node, standardize);
    const last = lastValueOf(node);
    if (last !== undefined && last.after !== null) {
      node.after = `${last.after} ${node.after}`; // the trailing comma becomes a space
      last.after = null;
    }
    node.after = blankComments(node.after);
  }
  if (v.after !== null) v.after = blankComments(v.after);
  return true;
}

/** Every character of a comment that is not whitespace becomes a space (one per UTF-16 code unit). */
function blankComments(extra: string): string {
  return hasComment(extra) ? extra.replace(/[^ \t\r\n]/g, ' ') : extra;
}

/**
 * `standardizeHujson` in one pass over the text, without building the AST: comments and trailing commas become
 * spaces (line breaks kept, so offsets and lines stay), for `JSON.parse`. Reading a 600 kB policy through the full
 * parser took most of `validate`; positions are only needed for diagnostics and come from the full parser then.
 * Returns undefined whenever the full parser must decide: a malformed comment or string, a `/` outside either,
 * or an object naming a member twice (which parseHujson rejects with its position). The property tests hold it
 * to `standardizeHujson`.
 */
export function standardizeHujsonFast(text: string): string | undefined {
  const n = text.length;
  const blanks: number[] = []; // [start, end) pairs
  const keys: (Set<string> | null)[] = []; // per open object its member names; null for arrays
  let pendingComma = -1;
  let stringStart = -1;
  let stringEnd = -1;
  let stringEscaped = false;
  let previous = 0; // the last character outside strings, comments and white space (a string counts as `"`)
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      if (j >= n) return undefined;
      [stringStart, stringEnd, stringEscaped] = [i, j + 1, escaped];
      pendingComma = -1;
      previous = c;
      i = j + 1;
    } else if (c === 0x2f) {
      const d = text.charCodeAt(i + 1);
      const end = d === 0x2f ? lineEnd(text, i) : d === 0x2a ? text.indexOf('*/', i + 2) + 2 : 0;
      if (end < 2) return undefined;
      blanks.push(i, end);
      i = end;
    } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
    } else {
      // a comma must follow a value: `[,]` and `{,}` are the parser's to reject, with a position
      if (
        c === 0x2c &&
        (previous === 0 || previous === 0x5b || previous === 0x7b || previous === 0x2c || previous === 0x3a)
      )
        return undefined;
      if (c === 0x3a && stringStart >= 0) {
        const set = keys[keys.length - 1];
        if (set) {
          const raw = text.slice(stringStart, stringEnd);
          const name = stringEscaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
          if (set.has(name)) return undefined;
          set.add(name);
        }
      } else if (c === 0x7b) keys.push(new Set());
      else if (c === 0x5b) keys.push(null);
      else if (c === 0x7d || c === 0x5d) {
        if (pendingComma >= 0) blanks.push(pendingComma, pendingComma + 1);
        keys.pop();
      }
      pendingComma = c === 0x2c ? i : -1;
      stringStart = -1;
      previous = c;
      i++;
    }
  }
  if (blanks.length === 0) return text;
  // a trailing comma is only known to be one at the closing bracket, after the comments that follow it
  const ranges: [number, number][] = [];
  for (let k = 0; k < blanks.length; k += 2) ranges.push([blanks[k], blanks[k + 1]]);
  ranges.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    parts.push(text.slice(at, start), text.slice(start, end).replace(/[^\n]/g, ' '));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function lineEnd(text: string, from: number): number {
  const j = text.indexOf('\n', from);
  return j < 0 ? text.length : j;
}
