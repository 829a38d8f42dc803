import { describe, expect, it } from 'vitest';
import { HujsonSyntaxError, parseHujson, standardizeHujson } from '../../src/core/canonical/hujson';

/** Parses and returns the thrown HujsonSyntaxError (fails the test when nothing is thrown). */
function syntaxError(text: string, file = 'policy.hujson'): HujsonSyntaxError {
  try {
    parseHujson(text, file);
  } catch (e) {
    if (e instanceof HujsonSyntaxError) return e;
    throw e;
  }
  throw new Error(`no syntax error for ${JSON.stringify(text)}`);
}

describe('parseHujson: syntax errors name file, line, column and the problem in plain words', () => {
  it.each([
    [
      'unterminated string',
      '{\n  "groups": {\n    "group:eng": ["alice@example.com]\n  }\n}',
      3,
      19,
      'unterminated string',
    ],
    ['unterminated string at end of input', '{"a": "abc', 1, 7, 'unterminated string'],
    [
      'missing comma',
      '{\n  "a": 1\n  "b": 2\n}',
      3,
      3,
      `invalid character '"' after object value (expecting ',' or '}')`,
    ],
    ['missing comma in an array', '["a" "b"]', 1, 6, `invalid character '"' after array value (expecting ',' or ']')`],
    [
      'unquoted key',
      '{\n  groups: {}\n}',
      2,
      3,
      `invalid character 'g' looking for beginning of object name (names must be double-quoted)`,
    ],
    [
      'single-quoted string',
      `{"a": 'x'}`,
      1,
      7,
      `invalid character '\\'' looking for beginning of value (strings use double quotes)`,
    ],
    [
      'single-quoted key',
      `{'a': 1}`,
      1,
      2,
      `invalid character '\\'' looking for beginning of object name (names use double quotes)`,
    ],
    ['NaN', '{"a": NaN}', 1, 7, 'invalid literal NaN (JSON has no NaN or Infinity)'],
    ['-Infinity', '[-Infinity]', 1, 2, 'invalid literal -Infinity (JSON has no NaN or Infinity)'],
    ['hex number', '{"port": 0x1F}', 1, 10, 'invalid number 0x1F (hexadecimal numbers are not JSON)'],
    ['leading plus', '[+1]', 1, 2, "invalid number +1 (JSON numbers have no leading '+')"],
    ['leading zero', '[01]', 1, 2, 'invalid number 01'],
    ['bare word', '{"a": yes}', 1, 7, 'invalid literal yes (strings must be double-quoted)'],
    ['trailing garbage', '{"a": 1}\n}', 2, 1, "invalid character '}' after top-level value"],
    ['two top-level values', '{} {}', 1, 4, "invalid character '{' after top-level value"],
    ['unterminated block comment', '{\n  /* note\n  "a": 1\n}', 2, 3, 'unterminated block comment'],
    [
      'line comment without final newline',
      '{"a": 1} // end',
      1,
      10,
      'line comment at end of input must end with a newline',
    ],
    ['duplicate key', '{\n  "groups": {},\n  "hosts": {},\n  "groups": {}\n}', 4, 3, 'duplicate name "groups"'],
    ['duplicate key spelled with an escape', '{"ab": 1, "a\\u0062": 2}', 1, 11, 'duplicate name "ab"'],
    ['missing colon', '{"a" 1}', 1, 6, "invalid character '1' after object name (expecting ':')"],
    ['missing value', '{"a": }', 1, 7, "invalid character '}' looking for beginning of value"],
    ['double comma', '[1,,2]', 1, 4, "invalid character ',' looking for beginning of value"],
    ['empty input', '  // nothing\n', 2, 1, 'unexpected end of input'],
    ['unclosed object', '{"a": 1', 1, 8, 'unexpected end of input'],
    ['unclosed array', '[1, 2,', 1, 7, 'unexpected end of input'],
    ['invalid escape', '["a\\qb"]', 1, 4, "invalid escape '\\q' in string"],
    ['short \\u escape', '["\\u12"]', 1, 3, 'invalid \\u escape in string (expecting 4 hex digits)'],
    ['raw tab in a string', '["a\tb"]', 1, 4, "invalid control character '\\t' in string (write it as an escape)"],
    ['byte order mark', '\ufeff{}', 1, 1, "invalid character '\\ufeff' looking for beginning of value"],
  ])('%s', (_, text, line, col, reason) => {
    const error = syntaxError(text);
    expect({ line: error.line, col: error.col, reason: error.reason }).toEqual({ line, col, reason });
    expect(error.message).toBe(`policy.hujson:${line}:${col}: ${reason}`);
    expect(error.file).toBe('policy.hujson');
    expect(text.slice(0, error.offset).split('\n')).toHaveLength(line);
  });

  it('names the default file <input> when none is given', () => {
    expect(() => parseHujson('[')).toThrow('<input>:1:2: unexpected end of input');
  });

  it('counts columns in UTF-16 code units, 1-based', () => {
    expect(syntaxError('["😀", x]').col).toBe(8);
  });

  it('refuses absurd nesting with an error instead of a stack overflow', () => {
    expect(syntaxError(`${'['.repeat(5000)}${']'.repeat(5000)}`).reason).toBe('nesting deeper than 1000 levels');
  });
});

describe('parseHujson: value', () => {
  it('gives plain JS values, object keys in source order', () => {
    const doc = parseHujson('// c\n{"b": [1, 2.5, -3e2, true, false, null, "x\\n\\u00e9"], "a": {},}\n');
    expect(doc.value).toEqual({ b: [1, 2.5, -300, true, false, null, 'x\né'], a: {} });
    expect(Object.keys(doc.value as object)).toEqual(['b', 'a']);
  });

  it('keeps "__proto__" as an own key, as JSON.parse does', () => {
    const value = parseHujson('{"__proto__": {"x": 1}}').value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value).toEqual(JSON.parse('{"__proto__": {"x": 1}}'));
  });
});

const POLICY = [
  '// Header line one.',
  '/* Header block. */',
  '{',
  '\t// Static groups.',
  '\t"groups": {',
  '\t\t"group:eng": ["alice@example.com", "bob@example.com"], // trailing note',
  '\t\t// ops people',
  '\t\t"group:ops": ["carol@example.com"],',
  '\t},',
  '',
  '\t/*',
  '\t * Access rules.',
  '\t * Keep them short.',
  '\t */',
  '\t"grants": [',
  '\t\t// Engineers to servers.',
  '\t\t{"src": ["group:eng"], "dst": ["tag:server"], "ip": ["22"]},',
  '\t\t{',
  '\t\t\t"src": ["group:ops"],',
  '\t\t\t"dst": [/* everything */ "*"],',
  '\t\t},',
  '\t],',
  '}',
  '',
].join('\n');

describe('parseHujson: locate', () => {
  const doc = parseHujson(POLICY, 'policy.hujson');

  it.each([
    [[], 3, 1],
    [['groups'], 5, 2],
    [['groups', 'group:eng'], 6, 3],
    [['groups', 'group:eng', 1], 6, 38],
    [['groups', 'group:ops', 0], 8, 17],
    [['grants'], 15, 2],
    [['grants', 0], 17, 3],
    [['grants', 0, 'ip'], 17, 49],
    [['grants', 1, 'dst', 0], 20, 29],
    [['grants', '1', 'src'], 19, 4],
  ] as const)('%j is at %i:%i', (path, line, col) => {
    expect(doc.locate(path)).toMatchObject({ line, col });
  });

  it('gives an offset that points at the name or value', () => {
    expect(POLICY.slice(doc.locate(['grants', 1, 'dst']).offset)).toMatch(/^"dst"/);
    expect(POLICY.slice(doc.locate(['groups', 'group:ops', 0]).offset)).toMatch(/^"carol@/);
  });

  it('falls back to the nearest existing ancestor', () => {
    expect(doc.locate(['grants', 1, 'users', 0])).toEqual(doc.locate(['grants', 1]));
    expect(doc.locate(['grants', 7])).toEqual(doc.locate(['grants']));
    expect(doc.locate(['groups', 0])).toEqual(doc.locate(['groups']));
    expect(doc.locate(['nothing'])).toEqual(doc.locate([]));
  });
});

describe('parseHujson: commentsBefore', () => {
  const doc = parseHujson(POLICY);

  it('returns the header comments for the top-level value', () => {
    expect(doc.commentsBefore([])).toEqual(['Header line one.', 'Header block.']);
  });

  it('returns line comments on their own lines before a member', () => {
    expect(doc.commentsBefore(['groups'])).toEqual(['Static groups.']);
    expect(doc.commentsBefore(['grants', 0])).toEqual(['Engineers to servers.']);
  });

  it('leaves out a comment trailing the previous member on its line', () => {
    expect(doc.commentsBefore(['groups', 'group:ops'])).toEqual(['ops people']);
  });

  it('strips block comment markers and star decoration, across a blank line', () => {
    expect(doc.commentsBefore(['grants'])).toEqual(['Access rules.\nKeep them short.']);
  });

  it('includes an inline block comment before an element', () => {
    expect(doc.commentsBefore(['grants', 1, 'dst', 0])).toEqual(['everything']);
  });

  it('returns [] for uncommented values and for paths that do not exist', () => {
    expect(doc.commentsBefore(['groups', 'group:eng'])).toEqual([]);
    expect(doc.commentsBefore(['grants', 1])).toEqual([]);
    expect(doc.commentsBefore(['grants', 9])).toEqual([]);
  });
});

describe('standardizeHujson', () => {
  it('replaces comments and trailing commas by spaces, keeping offsets and lines', () => {
    const text = '// c\n{"a": [1, 2,], /* x */ "b": 3,}\n';
    const standard = standardizeHujson(text);
    expect(standard).toBe('    \n{"a": [1, 2 ],         "b": 3 }\n');
    expect(standard).toHaveLength(text.length);
    expect(JSON.parse(standard)).toEqual({ a: [1, 2], b: 3 });
  });

  it('keeps the position of a trailing comma that has comments around it', () => {
    expect(standardizeHujson('[1 /*a*/ , /*b*/ ]')).toBe(`[1${' '.repeat(15)}]`);
  });

  it('leaves standard JSON unchanged and throws on invalid input', () => {
    expect(standardizeHujson('{"a": [1, 2]}')).toBe('{"a": [1, 2]}');
    expect(() => standardizeHujson('{"a": }')).toThrow(HujsonSyntaxError);
  });
});
