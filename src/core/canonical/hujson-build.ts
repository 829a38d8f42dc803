/**
 * A small builder for emitters that produce HuJSON with comments, printed in the layout of Go's hujson.Format:
 * tabs, trailing commas in expanded composites only, aligned values, one final newline. `printHujson` writes that
 * layout directly; `printHujsonByFormat` gets it the long way (rough HuJSON text through formatHujson) and is the
 * oracle that test/property/hujson-print.test.ts holds the direct printer to, byte for byte.
 */
import { utf8Length } from './hujson-ast';
import { formatHujson, normalizeStringLiteral } from './hujson-format';

export type HuNode = HuLiteral | HuObject | HuArray;

export interface HuLiteral {
  kind: 'literal';
  value: string | number | boolean | null;
  comments?: string[];
}

export interface HuMember {
  key: string;
  value: HuNode;
  comments?: string[];
}

export interface HuObject {
  kind: 'object';
  members: HuMember[];
  /** Put every member on its own line even when the object would fit in 80 columns. */
  expand?: boolean;
  comments?: string[];
}

export interface HuArray {
  kind: 'array';
  elements: HuNode[];
  /** Put every element on its own line even when the array would fit in 80 columns. */
  expand?: boolean;
  comments?: string[];
}

export interface HuCompositeOptions {
  expand?: boolean;
  comments?: string[];
}

export const hu = {
  lit(value: string | number | boolean | null, options: { comments?: string[] } = {}): HuLiteral {
    return withComments({ kind: 'literal', value }, options.comments);
  },
  obj(members: HuMember[], options: HuCompositeOptions = {}): HuObject {
    const node: HuObject = { kind: 'object', members };
    if (options.expand !== undefined) node.expand = options.expand;
    return withComments(node, options.comments);
  },
  arr(elements: HuNode[], options: HuCompositeOptions = {}): HuArray {
    const node: HuArray = { kind: 'array', elements };
    if (options.expand !== undefined) node.expand = options.expand;
    return withComments(node, options.comments);
  },
  /** Plain JSON value → nodes; composites inline (Format still expands what passes 80 columns). */
  from(value: unknown): HuNode {
    return fromValue(value, '$');
  },
};

function withComments<T extends HuNode>(node: T, comments: string[] | undefined): T {
  if (comments !== undefined && comments.length > 0) node.comments = comments;
  return node;
}

function fromValue(value: unknown, where: string): HuNode {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return hu.lit(value);
  if (typeof value === 'number') return hu.lit(checkNumber(value, where));
  if (Array.isArray(value)) return hu.arr(value.map((element, i) => fromValue(element, `${where}[${i}]`)));
  if (typeof value === 'object') {
    const members = Object.keys(value).map((key) => ({
      key,
      value: fromValue((value as Record<string, unknown>)[key], `${where}.${key}`),
    }));
    return hu.obj(members);
  }
  throw new TypeError(`hu.from: ${where} is ${typeof value}, which JSON cannot represent`);
}

function checkNumber(value: number, where: string): number {
  if (!Number.isFinite(value)) throw new TypeError(`hujson: ${where} is ${value}, which JSON cannot represent`);
  return value;
}

/**
 * Prints nodes as hujson.Format lays them out. Comments become `//` lines before their member/element (for object
 * members, comments of the member and of its value node both go before the name); a commented member after the
 * first gets a blank line before it; `leadingComments` (then the root node's comments) go before the top-level
 * value. Throws TypeError on a non-finite number.
 *
 * Why not rough text through formatHujson (`printHujsonByFormat`): parsing back and formatting the text we just
 * wrote was most of the policy emitter at 10,000 devices. Format's rules, for the shapes this builder makes:
 * - a composite is expanded (one item per line) when asked, when an item has comments, or when a line of it
 *   printed inline would pass 80 columns; lines are measured without indentation, in UTF-8 bytes, counting `, `
 *   after every item (the last too) and an expanded child as the lines `{` … `}`;
 * - expanded items are indented one tab deeper than the closing bracket and all end with a comma;
 * - in an expanded object, runs of members on one line each get their values aligned; a comment or a member that
 *   spans lines ends a run.
 */
export function printHujson(root: HuNode, leadingComments: readonly string[] = []): string {
  const out: string[] = [];
  writeComments(out, [...leadingComments, ...(root.comments ?? [])], '');
  const layout = new Map<HuNode, Layout>();
  measure(root, layout);
  printNode(out, root, 0, layout);
  out.push('\n');
  return out.join('');
}

/** What Format's expandComposites computes for a node: its first/last line lengths as printed, and expansion. */
interface Layout {
  readonly first: number;
  readonly last: number;
  readonly multiline: boolean;
  readonly expanded: boolean;
  /** Some composite inside (or this one) is expanded: the node spans lines. */
  readonly spans: boolean;
  /** Printed once, used by measure and print alike: a literal's JSON text, or an object's member names. */
  readonly texts: readonly string[];
}

const PUNCH_CARD_WIDTH = 80;

function measure(node: HuNode, layout: Map<HuNode, Layout>): Layout {
  let result: Layout;
  if (node.kind === 'literal') {
    const text = literalJson(node.value);
    const length = utf8Length(text);
    result = { first: length, last: length, multiline: false, expanded: false, spans: false, texts: [text] };
  } else {
    const items = node.kind === 'object' ? node.members.map((m) => m.value) : node.elements;
    const texts = node.kind === 'object' ? node.members.map((m) => keyJson(m.key)) : [];
    const commented =
      node.kind === 'object'
        ? node.members.some((m) => memberComments(m).length > 0)
        : node.elements.some((e) => (e.comments?.length ?? 0) > 0);
    const finished: number[] = [];
    let current = 1; // '{' or '['
    let spans = false;
    let tooLong = false;
    items.forEach((item, i) => {
      if (node.kind === 'object') current += utf8Length(texts[i]) + 2; // '"k": '
      const inner = measure(item, layout);
      spans ||= inner.spans;
      current += inner.first;
      if (inner.multiline) {
        finished.push(current);
        current = inner.last;
      }
      current += 2; // ', '
    });
    current += 1; // '}' or ']'
    finished.push(current);
    for (const length of finished) tooLong ||= length > PUNCH_CARD_WIDTH;
    const expanded = items.length > 0 && (node.expand === true || commented || tooLong);
    result = expanded
      ? { first: 1, last: 1, multiline: true, expanded, spans: true, texts }
      : {
          first: finished[0],
          last: finished[finished.length - 1],
          multiline: finished.length > 1,
          expanded,
          spans,
          texts,
        };
  }
  layout.set(node, result);
  return result;
}

function printNode(out: string[], node: HuNode, depth: number, layout: Map<HuNode, Layout>): void {
  const { expanded, texts } = layout.get(node)!;
  if (node.kind === 'literal') {
    out.push(texts[0]);
    return;
  }
  const open = node.kind === 'object' ? '{' : '[';
  const close = node.kind === 'object' ? '}' : ']';
  if (!expanded) {
    out.push(open);
    if (node.kind === 'object') {
      node.members.forEach((m, i) => {
        if (i > 0) out.push(', ');
        out.push(texts[i], ': ');
        printNode(out, m.value, depth, layout);
      });
    } else {
      node.elements.forEach((e, i) => {
        if (i > 0) out.push(', ');
        printNode(out, e, depth, layout);
      });
    }
    out.push(close);
    return;
  }
  const indent = '\t'.repeat(depth + 1);
  out.push(open);
  if (node.kind === 'object') {
    const padding = alignment(node, texts, layout);
    node.members.forEach((m, i) => {
      const comments = memberComments(m);
      out.push(i > 0 && comments.length > 0 ? '\n\n' : '\n');
      writeComments(out, comments, indent);
      out.push(indent, texts[i], ': ', padding[i]);
      printNode(out, m.value, depth + 1, layout);
      out.push(',');
    });
  } else {
    node.elements.forEach((e, i) => {
      const comments = e.comments ?? NO_COMMENTS;
      out.push(i > 0 && comments.length > 0 ? '\n\n' : '\n');
      writeComments(out, comments, indent);
      out.push(indent);
      printNode(out, e, depth + 1, layout);
      out.push(',');
    });
  }
  out.push('\n', '\t'.repeat(depth), close);
}

/** Format's alignObjectValues for an expanded object: the spaces after each member's `: `. */
function alignment(node: HuObject, keys: readonly string[], layout: Map<HuNode, Layout>): string[] {
  const padding: string[] = node.members.map(() => '');
  let run: { index: number; width: number }[] = [];
  const alignRun = () => {
    let widest = 0;
    for (const row of run) widest = Math.max(widest, row.width);
    for (const row of run) padding[row.index] = ' '.repeat(widest - row.width);
    run = [];
  };
  node.members.forEach((m, i) => {
    if (layout.get(m.value)!.spans) {
      alignRun();
      return;
    }
    if (memberComments(m).length > 0) alignRun(); // a comment line (or the blank line before it) ends a run
    run.push({ index: i, width: utf8Length(keys[i]) });
  });
  alignRun();
  return padding;
}

/** A key as Format leaves it: JSON.stringify's escapes, re-encoded the way Go's hujson does where they differ. */
function keyJson(key: string): string {
  const text = JSON.stringify(key);
  return text.includes('\\') ? normalizeStringLiteral(text) : text;
}

function literalJson(value: string | number | boolean | null): string {
  const text = literalText(value);
  return typeof value === 'string' && text.includes('\\') ? normalizeStringLiteral(text) : text;
}

/** The long way, kept as the oracle of `printHujson`: rough HuJSON text, then formatHujson. */
export function printHujsonByFormat(root: HuNode, leadingComments: readonly string[] = []): string {
  const chunks: string[] = [];
  writeComments(chunks, [...leadingComments, ...(root.comments ?? [])], '');
  writeNode(chunks, root, 0);
  chunks.push('\n');
  return formatHujson(chunks.join(''));
}

function writeNode(chunks: string[], node: HuNode, depth: number): void {
  if (node.kind === 'literal') chunks.push(literalText(node.value));
  else if (node.kind === 'object') writeObject(chunks, node, depth);
  else writeArray(chunks, node, depth);
}

/** Every member gets a comma; Format drops it again in inline objects. */
function writeObject(chunks: string[], node: HuObject, depth: number): void {
  const expanded = node.expand === true || node.members.some((member) => memberComments(member).length > 0);
  chunks.push('{');
  node.members.forEach((member, i) => {
    startItem(chunks, i, memberComments(member), expanded, depth);
    chunks.push(JSON.stringify(member.key), ': ');
    writeNode(chunks, member.value, depth + 1);
    chunks.push(',');
  });
  endComposite(chunks, '}', expanded, depth);
}

function writeArray(chunks: string[], node: HuArray, depth: number): void {
  const expanded = node.expand === true || node.elements.some((element) => (element.comments?.length ?? 0) > 0);
  chunks.push('[');
  node.elements.forEach((element, i) => {
    startItem(chunks, i, element.comments ?? NO_COMMENTS, expanded, depth);
    writeNode(chunks, element, depth + 1);
    chunks.push(',');
  });
  endComposite(chunks, ']', expanded, depth);
}

const NO_COMMENTS: readonly string[] = [];

/** For object members, comments of the member and of its value both go before the name. */
function memberComments(member: HuMember): readonly string[] {
  const own = member.comments ?? NO_COMMENTS;
  const ofValue = member.value.comments ?? NO_COMMENTS;
  return ofValue.length === 0 ? own : [...own, ...ofValue];
}

/**
 * Expanded (asked for, or forced by a comment): each item on its own line, a blank line before a commented
 * item that is not the first. Inline: items separated by a space.
 */
function startItem(
  chunks: string[],
  index: number,
  comments: readonly string[],
  expanded: boolean,
  depth: number,
): void {
  if (!expanded) {
    if (index > 0) chunks.push(' ');
    return;
  }
  const indent = '\t'.repeat(depth + 1);
  chunks.push(index > 0 && comments.length > 0 ? '\n\n' : '\n');
  writeComments(chunks, comments, indent);
  chunks.push(indent);
}

function endComposite(chunks: string[], close: string, expanded: boolean, depth: number): void {
  if (expanded) chunks.push('\n', '\t'.repeat(depth));
  chunks.push(close);
}

/** One `// text` line per comment line; `\r` and newlines inside a comment start new comment lines. */
function writeComments(chunks: string[], comments: readonly string[], indent: string): void {
  for (const comment of comments) {
    for (const line of comment.split(/\r\n|\r|\n/)) {
      const text = line.trimEnd();
      chunks.push(indent, text === '' ? '//' : `// ${text}`, '\n');
    }
  }
}

function literalText(value: string | number | boolean | null): string {
  if (typeof value === 'number') return String(JSON.stringify(checkNumber(value, 'literal')));
  return JSON.stringify(value);
}
