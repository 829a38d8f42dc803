import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatHujson,
  hu,
  parseHujson,
  printHujson,
  standardizeHujson,
  standardizeHujsonFast,
} from '../../src/core/canonical/hujson';

const RUNS = { numRuns: 200 };

/** Well-formed strings (lone surrogates become U+FFFD on formatting, as in Go, so they cannot round-trip). */
const wellFormedJson = fc.jsonValue({ maxDepth: 4, stringUnit: 'grapheme' });
/** Any UTF-16 content, lone surrogates included. */
const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });
const noiseStream = fc.infiniteStream(fc.nat(10_000));

/** What the value looks like after a trip through JSON text (-0 becomes 0). */
const throughJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** Whitespace and comments that may sit between any two tokens; line comments end with their newline. */
const GAPS = [
  '',
  '',
  ' ',
  '\n',
  '\t',
  '\r\n',
  '\n\n\n',
  '\r',
  ' // note\n',
  '/* c */',
  '/* two\n   lines */',
  '\n\t// own line\n',
];

/** Equivalent spellings of one string: as is, `\/`, every non-ASCII character as upper-case `\uXXXX`. */
const STRING_SPELLINGS: ((s: string) => string)[] = [
  (s) => JSON.stringify(s),
  (s) => JSON.stringify(s).replaceAll('/', '\\/'),
  (s) =>
    JSON.stringify(s).replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    ),
];

/** Prints a JSON value as HuJSON with random whitespace, comments, trailing commas and string escapes. */
function printNoisy(value: unknown, noise: Iterator<number>): string {
  const pick = <T>(options: readonly T[]): T => options[(noise.next().value as number) % options.length];
  const gap = () => pick(GAPS) + pick(GAPS);
  const print = (v: unknown): string => {
    if (typeof v === 'string') return pick(STRING_SPELLINGS)(v);
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const items = Array.isArray(v)
      ? v.map((element) => gap() + print(element) + gap())
      : Object.entries(v).map(
          ([key, element]) => `${gap()}${pick(STRING_SPELLINGS)(key)}${gap()}:${gap()}${print(element)}${gap()}`,
        );
    const trailing = items.length > 0 && pick([true, false]) ? `,${gap()}` : gap();
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    return `${open}${items.join(',')}${trailing}${close}`;
  };
  return `${gap()}${print(value)}${gap()}\n`;
}

describe('formatHujson properties', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(anyJson, noiseStream, (value, noise) => {
        const once = formatHujson(printNoisy(value, noise[Symbol.iterator]()));
        expect(formatHujson(once)).toBe(once);
      }),
      RUNS,
    );
  });

  it('keeps the value, and writes LF only with exactly one final newline', () => {
    fc.assert(
      fc.property(wellFormedJson, noiseStream, (value, noise) => {
        const text = printNoisy(value, noise[Symbol.iterator]());
        const formatted = formatHujson(text);
        expect(parseHujson(formatted).value).toEqual(parseHujson(text).value);
        expect(parseHujson(text).value).toEqual(throughJson(value));
        expect(formatted).not.toContain('\r');
        expect(formatted.endsWith('\n') && !formatted.endsWith('\n\n')).toBe(true);
      }),
      RUNS,
    );
  });

  it('keeps standard JSON standard, whatever its indentation', () => {
    fc.assert(
      fc.property(anyJson, fc.constantFrom(0, 1, 2, 4, '\t'), (value, indent) => {
        const formatted = formatHujson(JSON.stringify(value, null, indent));
        expect(JSON.parse(formatted)).toEqual(throughJson(value));
      }),
      RUNS,
    );
  });
});

describe('printHujson properties', () => {
  it('parses back to the value it was built from', () => {
    fc.assert(
      fc.property(wellFormedJson, (value) => {
        const text = printHujson(hu.from(value));
        expect(parseHujson(text).value).toEqual(throughJson(value));
        expect(formatHujson(text)).toBe(text);
      }),
      RUNS,
    );
  });

  it('parses back with comments on every member and expansion everywhere', () => {
    const commentedEverywhere = (node: ReturnType<typeof hu.from>): ReturnType<typeof hu.from> => {
      if (node.kind === 'literal') return { ...node, comments: ['a literal'] };
      if (node.kind === 'array')
        return hu.arr(node.elements.map(commentedEverywhere), { expand: true, comments: ['an array'] });
      const members = node.members.map((m) => ({
        key: m.key,
        value: commentedEverywhere(m.value),
        comments: [`member ${m.key}`],
      }));
      return hu.obj(members, { expand: true, comments: ['an object'] });
    };
    fc.assert(
      fc.property(wellFormedJson, (value) => {
        const text = printHujson(commentedEverywhere(hu.from(value)), ['header']);
        expect(parseHujson(text).value).toEqual(throughJson(value));
      }),
      RUNS,
    );
  });
});

describe('standardizeHujson properties', () => {
  it('gives JSON that JSON.parse reads as the same value, with offsets and lines preserved', () => {
    fc.assert(
      fc.property(anyJson, noiseStream, (value, noise) => {
        const text = printNoisy(value, noise[Symbol.iterator]());
        const standard = standardizeHujson(text);
        expect(JSON.parse(standard)).toEqual(parseHujson(text).value);
        expect(standard).toHaveLength(text.length);
        const lineLengths = (t: string) => t.split('\n').map((line) => line.length);
        expect(lineLengths(standard)).toEqual(lineLengths(text));
      }),
      RUNS,
    );
  });

  it('has a one-pass twin that gives the same text (or leaves the decision to the parser)', () => {
    let answered = 0;
    fc.assert(
      fc.property(anyJson, noiseStream, (value, noise) => {
        const text = printNoisy(value, noise[Symbol.iterator]());
        const fast = standardizeHujsonFast(text);
        if (fast === undefined) {
          // only for what parseHujson rejects: here, an object naming a member twice
          expect(() => parseHujson(text)).toThrow(/duplicate name/);
          return;
        }
        answered++;
        expect(fast).toBe(standardizeHujson(text));
      }),
      RUNS,
    );
    expect(answered).toBeGreaterThan(0);
    expect(standardizeHujsonFast('{"a": 1, // x\n "a": 2}')).toBeUndefined();
    expect(standardizeHujsonFast('{"a": "/*"} /* unterminated')).toBeUndefined();
    for (const bad of ['[,]', '{,}', '[1,,]', '{"a":,}']) expect(standardizeHujsonFast(bad), bad).toBeUndefined();
    expect(standardizeHujsonFast('{"a": [1, 2, /* c */ ], }')).toBe('{"a": [1, 2          ]  }');
  });
});
