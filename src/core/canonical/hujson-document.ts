/**
 * `parseHujson`: a parsed policy file with positions and comments, for diagnostics (`file:line:col`) and for
 * `import policy`, which carries the comments over into TypeScript.
 */
import { type AstMember, type AstObject, type AstValue, LineIndex, type Position } from './hujson-ast';
import { DEFAULT_FILE_NAME, decodeString, parseAst, toPlainValue } from './hujson-parse';

export type JsonPath = readonly (string | number)[];

export interface HujsonDocument {
  /** Plain JS value: objects with keys in source order, arrays, strings, numbers, booleans, null. */
  readonly value: unknown;
  /**
   * Position of the value at a JSON path, e.g. ['grants', 3, 'src', 0]; for an object member path, the
   * position of the member *name*; falls back to the nearest existing ancestor.
   */
  locate(path: JsonPath): Position;
  /**
   * Comments standing directly before the value at that path, as text without the `//` or `/* *\/` markers,
   * trimmed. "Directly before" means on their own lines between the previous token and the member (or
   * element): a comment trailing the previous member on its line is left out. Comments between the colon and
   * the value are included too. [] when the path does not exist.
   */
  commentsBefore(path: JsonPath): string[];
}

/** Parses HuJSON; rejects what Go's hujson rejects, and also duplicate object names. Throws HujsonSyntaxError. */
export function parseHujson(text: string, file: string = DEFAULT_FILE_NAME): HujsonDocument {
  const root = parseAst(text, { file, rejectDuplicateNames: true });
  return new ParsedHujsonDocument(text, root, toPlainValue(root.node));
}

interface Resolved {
  /** Offset of the value (or member name) the path leads to, or of its nearest existing ancestor. */
  readonly offset: number;
  /** Extras that may hold the comments before it; undefined when the path does not fully resolve. */
  readonly leadingExtras?: readonly string[];
}

class ParsedHujsonDocument implements HujsonDocument {
  private lineIndex: LineIndex | undefined;
  private readonly memberIndex = new WeakMap<AstObject, Map<string, AstMember>>();

  constructor(
    private readonly text: string,
    private readonly root: AstValue,
    readonly value: unknown,
  ) {}

  locate(path: JsonPath): Position {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex.position(this.resolve(path).offset);
  }

  commentsBefore(path: JsonPath): string[] {
    const extras = this.resolve(path).leadingExtras;
    if (!extras) return [];
    return extras.flatMap((extra, i) => extractComments(extra, path.length > 0 && i === 0));
  }

  private resolve(path: JsonPath): Resolved {
    let current = this.root;
    let resolved: Resolved = { offset: current.start, leadingExtras: [current.before] };
    for (const segment of path) {
      const node = current.node;
      if (node.kind === 'object' && typeof segment === 'string') {
        const member = this.members(node).get(segment);
        if (!member) return { offset: resolved.offset };
        resolved = { offset: member.name.start, leadingExtras: [member.name.before, member.value.before] };
        current = member.value;
      } else if (node.kind === 'array' && isIndex(segment, node.elements.length)) {
        current = node.elements[Number(segment)];
        resolved = { offset: current.start, leadingExtras: [current.before] };
      } else {
        return { offset: resolved.offset };
      }
    }
    return resolved;
  }

  /** Name → member, built once per object so repeated look-ups in large files stay cheap. */
  private members(object: AstObject): Map<string, AstMember> {
    let index = this.memberIndex.get(object);
    if (!index) {
      index = new Map();
      for (const member of object.members) {
        if (member.name.node.kind === 'literal') index.set(decodeString(member.name.node.text), member);
      }
      this.memberIndex.set(object, index);
    }
    return index;
  }
}

function isIndex(segment: string | number, length: number): boolean {
  const index = typeof segment === 'number' ? segment : /^(?:0|[1-9]\d*)$/.test(segment) ? Number(segment) : -1;
  return Number.isInteger(index) && index >= 0 && index < length;
}

/**
 * Comment texts of one extra. With `skipSameLine`, comments before the extra's first newline are left out:
 * they trail the token before (e.g. `"a": 1, // about a`).
 */
export function extractComments(extra: string, skipSameLine: boolean): string[] {
  const firstNewline = extra.indexOf('\n');
  let i = skipSameLine && firstNewline >= 0 ? firstNewline : 0;
  const comments: string[] = [];
  while (i < extra.length) {
    if (extra.startsWith('//', i)) {
      const end = extra.indexOf('\n', i);
      comments.push(extra.slice(i + 2, end < 0 ? extra.length : end).trim());
      i = end < 0 ? extra.length : end;
    } else if (extra.startsWith('/*', i)) {
      const end = extra.indexOf('*/', i + 2);
      comments.push(blockCommentText(extra.slice(i + 2, end < 0 ? extra.length : end)));
      i = end < 0 ? extra.length : end + 2;
    } else {
      i++;
    }
  }
  return comments;
}

/** Text of a block comment: lines trimmed, a leading `*` decoration removed, blank edge lines dropped. */
function blockCommentText(body: string): string {
  const lines = body.split(/\r?\n/).map((line) => line.trim().replace(/^\*(?: |$)/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
