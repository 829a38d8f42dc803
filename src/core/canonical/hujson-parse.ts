/**
 * HuJSON parser: text → syntax tree (hujson-ast.ts) that keeps every comment and whitespace run.
 *
 * It follows the grammar and the tree shape of Tailscale's Go hujson.Parse (JSON plus `//` and `/* *\/`
 * comments plus trailing commas), so that the formatter can replay Go's Format on it. Differences, all on
 * inputs Go rejects as well or on plain-words wording:
 * - error reasons are written for people (`unterminated string` rather than `parsing string: unexpected EOF`);
 * - `rejectDuplicateNames` (used by parseHujson) refuses an object naming a member twice; Go's Parse and Format
 *   accept duplicates, so the formatter parses without it;
 * - nesting deeper than MAX_DEPTH is refused instead of exhausting the call stack.
 * One pass over the text; tokens are sliced out of the input, never built character by character.
 */
import {
  type AstArray,
  type AstLiteral,
  type AstMember,
  type AstNode,
  type AstObject,
  type AstValue,
  commentLength,
  HujsonSyntaxError,
  LineIndex,
  skipWhitespace,
} from './hujson-ast';

export interface ParseOptions {
  readonly file: string;
  readonly rejectDuplicateNames: boolean;
}

export const DEFAULT_FILE_NAME = '<input>';
const MAX_DEPTH = 1000;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ESCAPABLE = '"\\/bfnrtu';

/** Parses a complete HuJSON text; throws HujsonSyntaxError. */
export function parseAst(text: string, options: ParseOptions): AstValue {
  return new Parser(text, options).parseDocument();
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly options: ParseOptions,
  ) {}

  parseDocument(): AstValue {
    const root = this.parseValue();
    if (this.pos < this.text.length)
      this.fail(this.pos, `invalid character ${describeChar(this.text, this.pos)} after top-level value`);
    return root;
  }

  /** A value with the extras around it (Go's parseNext). */
  private parseValue(): AstValue {
    const before = this.readExtra();
    return this.parseValueAfter(before);
  }

  private parseValueAfter(before: string): AstValue {
    const start = this.pos;
    const node = this.parseNode();
    const end = this.pos;
    const after = this.readExtra();
    return { before, start, node, end, after: after === '' ? null : after };
  }

  /** Whitespace and comments from the current position on. */
  private readExtra(): string {
    const { text } = this;
    const from = this.pos;
    let i = from;
    for (;;) {
      i = skipWhitespace(text, i);
      const length = commentLength(text, i);
      if (length === 0) break;
      if (length < 0) this.fail(i, unterminatedCommentReason(text[i + 1]));
      i += length;
    }
    this.pos = i;
    return text.slice(from, i);
  }

  private parseNode(): AstNode {
    const c = this.text[this.pos];
    if (c === '"') return { kind: 'literal', text: this.scanString() };
    if (c !== '{' && c !== '[') return { kind: 'literal', text: this.scanBareLiteral() };
    if (++this.depth > MAX_DEPTH) this.fail(this.pos, `nesting deeper than ${MAX_DEPTH} levels`);
    const node = c === '{' ? this.parseObject() : this.parseArray();
    this.depth--;
    return node;
  }

  private parseObject(): AstObject {
    const object: AstObject = { kind: 'object', members: [], after: '' };
    const seen = this.options.rejectDuplicateNames ? new Set<string>() : undefined;
    this.pos++; // '{'
    for (;;) {
      const before = this.readExtra();
      if (this.text[this.pos] === '}') return this.close(object, object.members.at(-1)?.value, before);
      const member = this.parseMember(before, seen);
      object.members.push(member);
      if (this.afterItem('}', 'object value')) return this.close(object, member.value);
    }
  }

  private parseMember(before: string, seen: Set<string> | undefined): AstMember {
    if (this.text[this.pos] !== '"') this.failNameStart();
    const name = this.parseValueAfter(before);
    if (seen) {
      const decoded = decodeString((name.node as AstLiteral).text);
      if (seen.has(decoded)) this.fail(name.start, `duplicate name ${JSON.stringify(decoded)}`);
      seen.add(decoded);
    }
    if (this.pos >= this.text.length) this.fail(this.pos, 'unexpected end of input');
    if (this.text[this.pos] !== ':') {
      this.fail(this.pos, `invalid character ${describeChar(this.text, this.pos)} after object name (expecting ':')`);
    }
    this.pos++;
    return { name, value: this.parseValue() };
  }

  private parseArray(): AstArray {
    const array: AstArray = { kind: 'array', elements: [], after: '' };
    this.pos++; // '['
    for (;;) {
      const before = this.readExtra();
      if (this.text[this.pos] === ']') return this.close(array, array.elements.at(-1), before);
      const element = this.parseValueAfter(before);
      array.elements.push(element);
      if (this.afterItem(']', 'array value')) return this.close(array, element);
    }
  }

  /** After a member/element: consumes ',' (returns false) or sees the closing bracket (returns true). */
  private afterItem(closing: string, what: string): boolean {
    const c = this.text[this.pos];
    if (c === ',') {
      this.pos++;
      return false;
    }
    if (c === closing) return true;
    if (c === undefined) this.fail(this.pos, 'unexpected end of input');
    const expected = `expecting ',' or '${closing}'`;
    return this.fail(this.pos, `invalid character ${describeChar(this.text, this.pos)} after ${what} (${expected})`);
  }

  /**
   * Closes a composite. With `afterComma` set the closing bracket followed a comma: the last value keeps a
   * non-null `after` (trailing comma) and the extra goes to the composite. Otherwise the last value's extra
   * moves to the composite, as in Go.
   */
  private close<T extends AstObject | AstArray>(comp: T, last: AstValue | undefined, afterComma?: string): T {
    this.pos++;
    if (afterComma !== undefined) {
      if (last && last.after === null) last.after = '';
      comp.after = afterComma;
    } else if (last) {
      comp.after = last.after ?? '';
      last.after = null;
    }
    return comp;
  }

  private scanString(): string {
    const { text } = this;
    const start = this.pos;
    for (let i = start + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return text.slice(start, i + 1);
      }
      if (c === 0x5c) i = this.checkEscape(i);
      else if (c === 0x0a) this.fail(start, 'unterminated string');
      else if (c < 0x20)
        this.fail(i, `invalid control character ${describeChar(text, i)} in string (write it as an escape)`);
    }
    return this.fail(start, 'unterminated string');
  }

  /** Validates the escape at `i` (a backslash); returns the index of its last character. */
  private checkEscape(i: number): number {
    const next = this.text[i + 1];
    if (next === undefined) this.fail(i, 'unterminated string');
    if (!ESCAPABLE.includes(next)) this.fail(i, `invalid escape '\\${next}' in string`);
    if (next !== 'u') return i + 1;
    if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(i + 2, i + 6)))
      this.fail(i, 'invalid \\u escape in string (expecting 4 hex digits)');
    return i + 5;
  }

  /** null, true, false or a number; scans the same character class as Go, then validates. */
  private scanBareLiteral(): string {
    const { text } = this;
    const start = this.pos;
    let i = start;
    while (i < text.length && isBareLiteralChar(text.charCodeAt(i))) i++;
    const literal = text.slice(start, i);
    if (literal === '') {
      if (start >= text.length) this.fail(start, 'unexpected end of input');
      this.fail(
        start,
        `invalid character ${describeChar(text, start)} looking for beginning of value${startHint(text[start])}`,
      );
    }
    if (literal !== 'null' && literal !== 'true' && literal !== 'false' && !NUMBER.test(literal)) {
      this.fail(start, invalidLiteralReason(literal));
    }
    this.pos = i;
    return literal;
  }

  private failNameStart(): never {
    const { text, pos } = this;
    if (pos >= text.length) this.fail(pos, 'unexpected end of input');
    const hint =
      text[pos] === "'"
        ? ' (names use double quotes)'
        : /[A-Za-z_$]/.test(text[pos])
          ? ' (names must be double-quoted)'
          : '';
    return this.fail(pos, `invalid character ${describeChar(text, pos)} looking for beginning of object name${hint}`);
  }

  private fail(offset: number, reason: string): never {
    throw new HujsonSyntaxError(this.options.file, new LineIndex(this.text).position(offset), reason);
  }
}

/** Go requires the newline that ends a line comment, even at the end of the file. */
function unterminatedCommentReason(secondChar: string): string {
  return secondChar === '*' ? 'unterminated block comment' : 'line comment at end of input must end with a newline';
}

function startHint(c: string): string {
  return c === "'" ? ' (strings use double quotes)' : '';
}

/** The characters Go's parser gathers into a null/boolean/number literal before validating it. */
function isBareLiteralChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d ||
    c === 0x2b ||
    c === 0x2e
  );
}

function invalidLiteralReason(literal: string): string {
  if (/^[+-]?(?:NaN|Infinity)$/.test(literal)) return `invalid literal ${literal} (JSON has no NaN or Infinity)`;
  if (/^[+-]?0[xX]/.test(literal)) return `invalid number ${literal} (hexadecimal numbers are not JSON)`;
  if (literal.startsWith('+')) return `invalid number ${literal} (JSON numbers have no leading '+')`;
  if (/^-?[0-9.]/.test(literal)) return `invalid number ${literal}`;
  return `invalid literal ${literal} (strings must be double-quoted)`;
}

/** Quotes the character at `i` for an error message, like Go's %q on a rune: 'x', '\'', '\n', '\u0000'. */
export function describeChar(text: string, i: number): string {
  const code = text.codePointAt(i) ?? 0;
  const named: Record<number, string> = { 39: "\\'", 92: '\\\\', 10: '\\n', 13: '\\r', 9: '\\t' };
  if (named[code]) return `'${named[code]}'`;
  if (code < 0x20 || code === 0x7f || code === 0xfeff) return `'\\u${code.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCodePoint(code)}'`;
}

/** Decodes a validated string literal; the common case without escapes is a plain slice. */
export function decodeString(literal: string): string {
  return literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
}

export function decodeLiteral(text: string): string | number | boolean | null {
  switch (text[0]) {
    case '"':
      return decodeString(text);
    case 't':
      return true;
    case 'f':
      return false;
    case 'n':
      return null;
    default:
      return Number(text);
  }
}

/** Plain JavaScript value of a tree: objects keep source order (as far as JS property order allows). */
export function toPlainValue(node: AstNode): unknown {
  if (node.kind === 'literal') return decodeLiteral(node.text);
  if (node.kind === 'array') return node.elements.map((element) => toPlainValue(element.node));
  const object: Record<string, unknown> = {};
  for (const member of node.members) {
    const key = decodeString((member.name.node as AstLiteral).text);
    const value = toPlainValue(member.value.node);
    // An own "__proto__" property, as JSON.parse makes, instead of changing the prototype.
    if (key === '__proto__')
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    else object[key] = value;
  }
  return object;
}
