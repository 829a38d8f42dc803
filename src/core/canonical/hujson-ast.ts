/**
 * HuJSON syntax tree shared by the parser, the formatter and the document API.
 *
 * The tree mirrors the one of Tailscale's Go package github.com/tailscale/hujson, because `formatHujson` must
 * reproduce that package's `Format` byte for byte: every value keeps the whitespace and comments ("extras")
 * before and after it, so packing an untouched tree gives back the input exactly.
 *
 * Offsets and columns count UTF-16 code units (JavaScript string indices), not UTF-8 bytes as in Go. Where Go's
 * formatting decisions depend on byte lengths (the 80-column rule, value alignment), `utf8Length` is used.
 */

/** A 1-based line and column plus a 0-based offset; `col` and `offset` count UTF-16 code units. */
export interface Position {
  line: number;
  col: number;
  offset: number;
}

export interface AstLiteral {
  readonly kind: 'literal';
  /** Source text of a null, boolean, number or (double-quoted) string; numbers keep their exact spelling. */
  text: string;
}

export interface AstMember {
  /** A string literal; its `after` holds the extra between the name and the colon. */
  name: AstValue;
  value: AstValue;
}

export interface AstObject {
  readonly kind: 'object';
  members: AstMember[];
  /** Extra after the last comma (or the brace of an empty object) and before the closing brace. */
  after: string;
}

export interface AstArray {
  readonly kind: 'array';
  elements: AstValue[];
  /** Extra after the last comma (or the bracket of an empty array) and before the closing bracket. */
  after: string;
}

export type AstComposite = AstObject | AstArray;
export type AstNode = AstLiteral | AstComposite;

export interface AstValue {
  /** Extra after the preceding `{`, `[`, `:`, `,` or start of input. */
  before: string;
  /** Offset of the first character of the value itself. */
  start: number;
  node: AstNode;
  /** Offset just past the value. */
  end: number;
  /**
   * Extra before the following `:`, `,` or end of input. `null` stands for Go's nil Extra: on the last
   * member/element of a composite, a non-null `after` is what marks a trailing comma.
   */
  after: string | null;
}

/** A syntax error with its place in the file; the message reads `file:line:col: reason`. */
export class HujsonSyntaxError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly offset: number;
  readonly reason: string;

  constructor(file: string, position: Position, reason: string) {
    super(`${file}:${position.line}:${position.col}: ${reason}`);
    this.name = 'HujsonSyntaxError';
    this.file = file;
    this.line = position.line;
    this.col = position.col;
    this.offset = position.offset;
    this.reason = reason;
  }
}

/** Maps offsets to lines and columns; built once per text, lookups by binary search. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: offset - this.lineStarts[low] + 1, offset };
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** JSON whitespace (what Go's consumeWhitespace skips): space, tab, CR, LF. */
export function isJsonSpace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}

/** Index of the first non-whitespace character at or after `from` (bounded by `to`). */
export function skipWhitespace(s: string, from = 0, to = s.length): number {
  let i = from;
  while (i < to && isJsonSpace(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Length of the comment starting at `at`: 0 when there is none, -1 when it is unterminated. As in Go, a line
 * comment includes its terminating newline and must have one.
 */
export function commentLength(s: string, at: number, to = s.length): number {
  if (s.charCodeAt(at) !== 0x2f || at + 1 >= to) return 0;
  const second = s.charCodeAt(at + 1);
  if (second !== 0x2f && second !== 0x2a) return 0;
  const terminator = second === 0x2f ? '\n' : '*/';
  const end = s.indexOf(terminator, at + 2);
  if (end < 0 || end + terminator.length > to) return -1;
  return end + terminator.length - at;
}

/** True when the extra holds anything but whitespace, i.e. a comment (Go's Extra.hasComment). */
export function hasComment(extra: string | null): boolean {
  return extra !== null && skipWhitespace(extra) < extra.length;
}

export function hasNewline(extra: string | null): boolean {
  return extra?.includes('\n') === true;
}

/** Go's unicode.IsSpace, used where Go trims with bytes.TrimRightFunc(…, unicode.IsSpace). */
export function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === SPACE || (c >= TAB && c <= CR) || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

export function trimRightGoSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isGoSpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** UTF-8 length of `s[from:to]` without allocating; lone surrogates count as U+FFFD (3 bytes). */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let bytes = to - from;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to && isLowSurrogate(s.charCodeAt(i + 1))) {
      bytes += 2; // two code units, four bytes
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

export function lastValueOf(comp: AstComposite): AstValue | undefined {
  if (comp.kind === 'object') return comp.members[comp.members.length - 1]?.value;
  return comp.elements[comp.elements.length - 1];
}

export function childCount(comp: AstComposite): number {
  return comp.kind === 'object' ? comp.members.length : comp.elements.length;
}

/** Extra before the first member name / element, or before the closing bracket when empty (Go's beforeExtraAt(0)). */
export function firstBeforeExtra(comp: AstComposite): string {
  if (comp.kind === 'object') return comp.members.length > 0 ? comp.members[0].name.before : comp.after;
  return comp.elements.length > 0 ? comp.elements[0].before : comp.after;
}

/** Visits member names and values (interleaved) or elements, like Go's composite.rangeValues; stops on false. */
export function everyChild(comp: AstComposite, visit: (child: AstValue) => boolean): boolean {
  if (comp.kind === 'array') {
    for (const element of comp.elements) if (!visit(element)) return false;
    return true;
  }
  for (const member of comp.members) {
    if (!visit(member.name) || !visit(member.value)) return false;
  }
  return true;
}

/** Go's setTrailingComma: a trailing comma exists iff the last value's `after` is non-null. */
export function setTrailingComma(comp: AstComposite, wanted: boolean): void {
  const last = lastValueOf(comp);
  if (!last) return;
  if (wanted && last.after === null) {
    last.after = '';
  } else if (!wanted && last.after !== null) {
    comp.after = last.after + comp.after;
    last.after = null;
  }
}

/** Serializes the tree (Go's Value.Pack); chunks are collected and joined once. */
export function packAst(root: AstValue): string {
  const chunks: string[] = [];
  appendValue(chunks, root);
  return chunks.join('');
}

function appendValue(chunks: string[], v: AstValue): void {
  if (v.before !== '') chunks.push(v.before);
  const node = v.node;
  if (node.kind === 'literal') {
    chunks.push(node.text);
  } else if (node.kind === 'object') {
    chunks.push('{');
    const { members } = node;
    for (let i = 0; i < members.length; i++) {
      appendValue(chunks, members[i].name);
      chunks.push(':');
      appendValue(chunks, members[i].value);
      if (i < members.length - 1 || members[i].value.after !== null) chunks.push(',');
    }
    chunks.push(node.after === '' ? '}' : `${node.after}}`);
  } else {
    chunks.push('[');
    const { elements } = node;
    for (let i = 0; i < elements.length; i++) {
      appendValue(chunks, elements[i]);
      if (i < elements.length - 1 || elements[i].after !== null) chunks.push(',');
    }
    chunks.push(node.after === '' ? ']' : `${node.after}]`);
  }
  if (v.after) chunks.push(v.after);
}
