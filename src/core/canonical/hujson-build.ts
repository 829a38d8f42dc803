/**
 * A small builder for emitters that produce HuJSON with comments. Nodes are serialized to rough HuJSON text
 * (comments as `//` lines, a newline after `{`/`[` where expansion is wanted, trailing commas everywhere) and
 * then run through formatHujson, so the final layout is exactly Go's hujson.Format: tabs, trailing commas in
 * expanded composites only, aligned values, one final newline.
 */
import { formatHujson } from './hujson-format';

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
 * Serializes nodes and formats the result. Comments become `//` lines before their member/element (for object
 * members, comments of the member and of its value node both go before the name); a commented member after the
 * first gets a blank line before it; `leadingComments` (then the root node's comments) go before the top-level
 * value. Throws TypeError on a non-finite number.
 */
export function printHujson(root: HuNode, leadingComments: readonly string[] = []): string {
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
