import { describe, expect, it } from 'vitest';
import { formatHujson, HujsonSyntaxError, parseHujson } from '../../src/core/canonical/hujson';

/** Lines joined with '\n' plus the final newline Format always writes; tabs spelled out as \t. */
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

describe('formatHujson: inline or expanded', () => {
  it('keeps a composite without newlines inline, one space after colons and commas', () => {
    expect(formatHujson('{"a":1,"b":[1,2],"c":{}}')).toBe('{"a": 1, "b": [1, 2], "c": {}}\n');
  });

  it('expands when a newline follows "{" / "[" / "," or precedes "}" / "]"', () => {
    const expanded = lines('{', '\t"a": 1,', '\t"b": 2', '}');
    expect(formatHujson('{\n"a":1,"b":2}')).toBe(expanded);
    expect(formatHujson('{"a":1,\n"b":2}')).toBe(expanded);
    expect(formatHujson('{"a":1,"b":2\n}')).toBe(expanded);
    expect(formatHujson('[1,\n2]')).toBe(lines('[', '\t1,', '\t2', ']'));
  });

  it('expands only the composite whose own separators hold the newline', () => {
    // Go decides per composite: the outer object has no newline of its own and stays inline.
    expect(formatHujson('{"a": [1,\n2]}')).toBe(lines('{"a": [', '\t1,', '\t2', ']}'));
  });

  it('expands a composite whose inline line would pass 80 columns (Go counts a ", " after every item)', () => {
    const fits = `"${'x'.repeat(74)}"`; // 1 + 76 + 2 + 1 = 80 columns
    const tooLong = `"${'x'.repeat(75)}"`; // 81 columns
    expect(formatHujson(`[${fits}]`)).toBe(`[${fits}]\n`);
    expect(formatHujson(`[${tooLong}]`)).toBe(lines('[', `\t${tooLong}`, ']'));
  });

  it('measures the 80 columns in UTF-8 bytes, as Go does', () => {
    const accented = `"${'é'.repeat(38)}"`; // 40 UTF-16 units but 78 bytes: 1 + 78 + 2 + 1 = 82
    expect(formatHujson(`[${accented}]`)).toBe(lines('[', `\t${accented}`, ']'));
  });

  it('does not count indentation towards the 80 columns', () => {
    const inner = `["${'y'.repeat(70)}"]`; // 76 columns inline, whatever its depth
    const text = formatHujson(`{\n"a": {\n"b": {\n"c": ${inner}}}}`);
    expect(text).toContain(`\t\t\t"c": ${inner}\n`);
  });

  it('counts comments towards the 80 columns', () => {
    const comment = `/* ${'c'.repeat(70)} */`;
    expect(formatHujson(`[1, ${comment} 2]`)).toBe(lines('[', '\t1,', `\t${comment} 2,`, ']'));
  });

  it('formats empty objects and arrays as {} and [] unless they hold a comment', () => {
    expect(formatHujson('{"a": { \n }, "b": [\n\n]}')).toBe('{"a": {}, "b": []}\n');
    expect(formatHujson('{"a": [ /* none */ ]}')).toBe('{"a": [ /* none */ ]}\n');
  });
});

describe('formatHujson: trailing commas and standard JSON', () => {
  it('keeps standard JSON standard: no trailing commas are added', () => {
    const out = formatHujson('{\n  "a": [\n    1,\n    2\n  ],\n  "b": {"c": true}\n}');
    expect(out).toBe(lines('{', '\t"a": [', '\t\t1,', '\t\t2', '\t],', '\t"b": {"c": true}', '}'));
    expect(JSON.parse(out)).toEqual({ a: [1, 2], b: { c: true } });
  });

  it('adds trailing commas to every expanded composite once the text is HuJSON (a comment)', () => {
    const out = formatHujson('// policy\n{\n  "a": [\n    1,\n    2\n  ],\n  "b": {"c": true}\n}');
    expect(out).toBe(lines('// policy', '{', '\t"a": [', '\t\t1,', '\t\t2,', '\t],', '\t"b": {"c": true},', '}'));
  });

  it('adds trailing commas once the text is HuJSON (a trailing comma), and drops them from inline composites', () => {
    expect(formatHujson('{"x": [1, 2,],\n"y": 3}')).toBe(lines('{', '\t"x": [1, 2],', '\t"y": 3,', '}'));
  });

  it('keeps a trailing comma with comments on both sides in an inline composite', () => {
    expect(formatHujson('[1 /*a*/ , /*b*/ ]')).toBe('[1 /*a*/ , /*b*/ ]\n');
  });
});

describe('formatHujson: alignment of object values', () => {
  it('aligns consecutive single-line members', () => {
    expect(formatHujson('{\n"a": 1,\n"abc": 2,\n"ab": 3\n}')).toBe(
      lines('{', '\t"a":   1,', '\t"abc": 2,', '\t"ab":  3', '}'),
    );
  });

  it('starts a new block after a blank line or a comment line', () => {
    const out = formatHujson('{\n"a": 1,\n"abcdef": 2,\n\n"b": 3,\n"bc": 4,\n// note\n"c": 5,\n"cdefgh": 6\n}');
    expect(out).toBe(
      lines(
        '{',
        '\t"a":      1,',
        '\t"abcdef": 2,',
        '',
        '\t"b":  3,',
        '\t"bc": 4,',
        '\t// note',
        '\t"c":      5,',
        '\t"cdefgh": 6,',
        '}',
      ),
    );
  });

  it('ends a block at a member spanning several lines', () => {
    const out = formatHujson('{\n"a": 1,\n"bbbb": {\n"x": 1\n},\n"cc": 2,\n"d": 3\n}');
    expect(out).toBe(lines('{', '\t"a": 1,', '\t"bbbb": {', '\t\t"x": 1', '\t},', '\t"cc": 2,', '\t"d":  3', '}'));
  });

  it('measures names in UTF-8 bytes (Go aligns by bytes, so non-ASCII names look off)', () => {
    expect(formatHujson('{\n"éé": 1,\n"abc": 2\n}')).toBe(lines('{', '\t"éé": 1,', '\t"abc":  2', '}'));
  });

  it('re-aligns values that were aligned wrongly', () => {
    expect(formatHujson('{\n"a":          1,\n"abc":2\n}')).toBe(lines('{', '\t"a":   1,', '\t"abc": 2', '}'));
  });
});

describe('formatHujson: comments, blank lines, line endings', () => {
  it('re-indents a block comment with aligned stars to the depth of the member', () => {
    const input = '{\n  "a": {\n        /*\n         * hello\n         */\n        "b": 1\n  }\n}';
    expect(formatHujson(input)).toBe(
      lines('{', '\t"a": {', '\t\t/*', '\t\t * hello', '\t\t */', '\t\t"b": 1,', '\t},', '}'),
    );
  });

  it('re-indents a block comment by the common indentation of its lines', () => {
    const input = '[\n    /* first\n       second\n         third\n    */\n    1\n]';
    expect(formatHujson(input)).toBe(lines('[', '\t/* first', '\tsecond', '\t  third', '\t*/', '\t1,', ']'));
  });

  it('trims trailing spaces of comments and keeps their text', () => {
    expect(formatHujson('// a comment   \n[1]')).toBe('// a comment\n[1]\n');
  });

  it('keeps at most one blank line, none after "{" or before "}"', () => {
    const out = formatHujson('{\n\n\n"a": 1,\n\n\n\n"b": 2\n\n\n}');
    expect(out).toBe(lines('{', '\t"a": 1,', '', '\t"b": 2', '}'));
  });

  it('turns CRLF into LF, also inside comments', () => {
    const out = formatHujson('// head\r\n{\r\n\t"a": 1, // one\r\n\t"b": 2\r\n}\r\n');
    expect(out).toBe(lines('// head', '{', '\t"a": 1, // one', '\t"b": 2,', '}'));
  });

  it('drops whitespace before the value, ends with exactly one newline', () => {
    expect(formatHujson('\n\n  [1]\n\n\n')).toBe('[1]\n');
    expect(formatHujson('[1] // end\n\n')).toBe('[1] // end\n');
  });
});

describe('formatHujson: literals', () => {
  it('re-encodes strings with escapes as Go does (short escapes, lower-case \\u00xx, nothing else escaped)', () => {
    const input = String.raw`["\u0041\/\u00e9", "\u001F\u0008\u000c", "\u2028<\u003e", "plain\\"]`;
    expect(formatHujson(input)).toBe(
      String.raw`["A/é", "\u001f\b\f", "` + '\u2028<>' + String.raw`", "plain\\"]` + '\n',
    );
  });

  it('turns an escaped lone surrogate into U+FFFD, as Go decoding does', () => {
    expect(formatHujson(String.raw`["\ud800x", "\ud83d\ude00"]`)).toBe('["\ufffdx", "😀"]\n');
  });

  it('normalizes object names too', () => {
    expect(formatHujson(String.raw`{"\u0061": 1}`)).toBe('{"a": 1}\n');
  });

  it('leaves strings without a backslash and the spelling of numbers untouched', () => {
    expect(formatHujson('["é\u007f", 1.50, 1e3, -0, 1E+400, 0.1e-2]')).toBe(
      '["é\u007f", 1.50, 1e3, -0, 1E+400, 0.1e-2]\n',
    );
  });
});

describe('formatHujson: errors and duplicates', () => {
  it('throws HujsonSyntaxError on malformed input (Go returns an error)', () => {
    expect(() => formatHujson('[null,false,true,invalid]', 'p.hujson')).toThrow(HujsonSyntaxError);
    expect(() => formatHujson('[null,false,true,invalid]', 'p.hujson')).toThrow(
      /^p\.hujson:1:18: invalid literal invalid/,
    );
  });

  it('formats duplicate names like Go, while parseHujson rejects them', () => {
    expect(formatHujson('{"a":1,"a":2}')).toBe('{"a": 1, "a": 2}\n');
    expect(() => parseHujson('{"a":1,"a":2}')).toThrow(/duplicate name "a"/);
  });
});
