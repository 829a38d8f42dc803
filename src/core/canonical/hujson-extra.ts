/**
 * Formatting of "extras" (the whitespace and comments between tokens), ported from the behaviour of
 * Extra.format and Extra.lineStats in Tailscale's Go hujson package (format.go). Byte-for-byte fidelity to
 * Go's Format is the point, so the quirks are kept on purpose and marked where they are not obvious.
 */
import { commentLength, skipWhitespace, trimRightGoSpace, utf8Length } from './hujson-ast';

export interface ExtraFormatOptions {
  /** Start with a newline (expanded composites put each member on its own line). */
  readonly ensureLeadingNewline?: boolean;
  /** End with a newline (before the closing bracket of an expanded composite). */
  readonly ensureTrailingNewline?: boolean;
  readonly removeLeadingEmptyLines?: boolean;
  readonly removeTrailingEmptyLines?: boolean;
  /** Indent the final line one level less (the closing bracket sits at its parent's depth). */
  readonly unindentLastLine?: boolean;
  /** Never leave the extra empty: a single space (after `:` and between inline members). */
  readonly appendSpaceIfEmpty?: boolean;
}

export const NO_OPTIONS: ExtraFormatOptions = {};

/**
 * Re-indents comments at `depth` tabs, keeps at most one blank line, trims trailing spaces of comments and
 * pads comments that share a line with code with one space.
 */
export function formatExtra(extra: string, depth: number, options: ExtraFormatOptions): string {
  if (!extra.includes('/')) return formatWhitespaceOnly(extra, depth, options);
  const input = normalizeLineEndings(extra);
  let out = options.ensureLeadingNewline && !input.includes('\n') ? '\n' : '';
  let i = 0;
  while (i < input.length) {
    const afterSpace = skipWhitespace(input, i);
    if (afterSpace > i) {
      out += '\n'.repeat(Math.min(countNewlines(input, i, afterSpace), 2)); // at most one blank line
      i = afterSpace;
      continue;
    }
    const length = commentLength(input, i);
    if (length <= 0) return input; // not reachable for parsed input; Go leaves the extra as is
    out += out.endsWith('\n') ? tabs(depth) : ' ';
    const comment = input.slice(i, i + length);
    const isLineComment = comment.startsWith('//');
    if (isLineComment || !comment.includes('\n')) {
      out += trimRightGoSpace(comment);
      i += isLineComment ? length - 1 : length; // the newline ending a line comment is handled as whitespace
    } else {
      out += reindentBlockComment(comment, depth);
      i += length;
    }
  }
  return finishExtra(out, depth, options);
}

/**
 * The common case, an extra without comments, in one step: the same result as the loop in formatExtra (line
 * ending normalization never adds or removes a '\n', so counting them in the raw text is enough).
 */
function formatWhitespaceOnly(extra: string, depth: number, options: ExtraFormatOptions): string {
  const newlines = extra === '' ? 0 : countNewlines(extra, 0, extra.length);
  const leading = options.ensureLeadingNewline && newlines === 0 ? 1 : 0;
  return finishExtra(NEWLINES[leading + Math.min(newlines, 2)], depth, options);
}

const NEWLINES = ['', '\n', '\n\n'];

function finishExtra(formatted: string, depth: number, options: ExtraFormatOptions): string {
  let out = formatted;
  if (options.ensureTrailingNewline && !out.endsWith('\n')) out += '\n';
  if (options.removeLeadingEmptyLines) while (out.startsWith('\n\n')) out = out.slice(1);
  if (options.removeTrailingEmptyLines) while (out.endsWith('\n\n')) out = out.slice(0, -1);
  if (out.endsWith('\n')) out += tabs(options.unindentLastLine ? depth - 1 : depth);
  else if (out.length > 0) out += ' ';
  if (options.appendSpaceIfEmpty && out.length === 0) out = ' ';
  return out;
}

/** CRLF and LFCR become LF, a lone CR becomes a space (in that order, as Go does). */
function normalizeLineEndings(extra: string): string {
  if (!extra.includes('\r')) return extra;
  return extra.replaceAll('\r\n', '\n').replaceAll('\n\r', '\n').replaceAll('\r', ' ');
}

/**
 * A block comment spanning lines: the common leading whitespace of its lines (from the second on) is replaced
 * by the indentation; when every line starts with `*`, the stars are aligned one space in, Javadoc style. A
 * last line holding only `*\/` takes the common indentation instead of its own.
 */
function reindentBlockComment(comment: string, depth: number): string {
  const lines = comment.split('\n').map(trimRightGoSpace);
  const firstLine = lines.find((line, i) => i > 0 && line !== '') ?? '';
  const hasEmptyLine = lines.includes('');
  let prefix = firstLine;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    if (line.endsWith('*/') && skipWhitespace(line) + 2 === line.length) {
      lines[i] = prefix.slice(0, skipWhitespace(prefix)) + '*/';
      break;
    }
    prefix = prefix.slice(0, commonPrefixLength(prefix, line));
  }
  const prefixLength = skipWhitespace(prefix);
  const starAligned = !hasEmptyLine && prefix.length > prefixLength && prefix[prefixLength] === '*';
  const indent = tabs(depth) + (starAligned ? ' ' : '');
  const out: string[] = [lines[0]];
  for (let i = 1; i < lines.length; i++) out.push(lines[i] === '' ? '' : indent + lines[i].slice(prefixLength));
  return out.join('\n');
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function countNewlines(s: string, from: number, to: number): number {
  let count = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) count++;
  return count;
}

const TAB_CACHE: string[] = [];

export function tabs(depth: number): string {
  if (depth <= 0) return '';
  TAB_CACHE[depth] ??= '\t'.repeat(depth);
  return TAB_CACHE[depth];
}

/** Lengths (in UTF-8 bytes, as Go counts) of the first and last line a run of tokens occupies. */
export interface LineStats {
  readonly firstLength: number;
  readonly lastLength: number;
  /** false implies firstLength === lastLength */
  readonly multiline: boolean;
}

export const SINGLE_EMPTY_LINE: LineStats = { firstLength: 0, lastLength: 0, multiline: false };

/** Go's Extra.lineStats: what the comments of an extra add to the first and last line. */
export function extraLineStats(extra: string | null): LineStats {
  if (extra === null || extra === '') return SINGLE_EMPTY_LINE;
  const firstNewline = extra.indexOf('\n');
  if (firstNewline < 0) {
    const length = commentsLength(extra, 0, extra.length);
    return { firstLength: length, lastLength: length, multiline: false };
  }
  return {
    firstLength: commentsLength(extra, 0, firstNewline),
    lastLength: commentsLength(extra, extra.lastIndexOf('\n') + 1, extra.length),
    multiline: true,
  };
}

/** Approximate printed length of the comments in `s[from:to]`, each preceded by one space. */
function commentsLength(s: string, from: number, to: number): number {
  let length = 0;
  let i = from;
  for (;;) {
    i = skipWhitespace(s, i, to);
    const isLine = s.startsWith('//', i) && i + 2 <= to;
    const isBlock = s.startsWith('/*', i) && i + 2 <= to;
    if (isLine) return length + 1 + utf8Length(s, i, to); // a line comment runs to the end
    if (!isBlock) return length > 0 ? length + 1 : length; // + the space padding after a block comment
    const blockLength = commentLength(s, i, to);
    if (blockLength <= 0) return length + 1 + utf8Length(s, i, to); // cut off by the line end
    length += 1 + utf8Length(s, i, i + blockLength);
    i += blockLength;
  }
}
