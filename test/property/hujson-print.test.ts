import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HuNode, hu, printHujson, printHujsonByFormat } from '../../src/core/canonical/hujson-build';

/**
 * The direct printer is a shortcut, not a second layout: for every tree the builder can make it prints what the
 * rough text through formatHujson (Go's hujson.Format, ported) prints, byte for byte.
 */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) }, // lone surrogates, control characters
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'tag:server',
      'group:eng',
      'autogroup:member',
      'a/b',
      'x\\y',
      '"q"',
      'lone \ud800',
      '\udc00x',
      'é→𝄞',
      '\u0007',
    ),
  },
);
const comment = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '  indented', 'two\nlines', 'crlf\r\nend', 'trailing   ', 'tag/*x*/', '// nested'),
);
const comments = fc.option(fc.array(comment, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 3 });
const literal = fc.oneof(
  text,
  fc.integer({ min: -1e6, max: 1e12 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const expand = fc.option(fc.boolean(), { nil: undefined, freq: 2 });

const tree = fc.letrec<{ node: HuNode; obj: HuNode; arr: HuNode; lit: HuNode }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('lit'), tie('obj'), tie('arr')),
  lit: fc.record({ value: literal, comments }).map(({ value, comments: c }) => hu.lit(value, c ? { comments: c } : {})),
  obj: fc
    .record({
      members: fc.array(
        fc
          .record({ key: text, value: tie('node'), comments })
          .map((m) => (m.comments ? m : { key: m.key, value: m.value })),
        { maxLength: 6 },
      ),
      expand,
      comments,
    })
    .map(({ members, expand: e, comments: c }) =>
      hu.obj(members, { ...(e !== undefined ? { expand: e } : {}), ...(c ? { comments: c } : {}) }),
    ),
  arr: fc
    .record({ elements: fc.array(tie('node'), { maxLength: 8 }), expand, comments })
    .map(({ elements, expand: e, comments: c }) =>
      hu.arr(elements, { ...(e !== undefined ? { expand: e } : {}), ...(c ? { comments: c } : {}) }),
    ),
})).node;

/** Long inline runs, so that the 80-column rule and nested expansion inside inline parents come up often. */
const wide = fc
  .array(
    fc.tuple(fc.string({ minLength: 3, maxLength: 14 }), fc.array(fc.string({ maxLength: 16 }), { maxLength: 6 })),
    {
      maxLength: 8,
    },
  )
  .map((rows) =>
    hu.obj(
      rows.map(([key, values]) => ({
        key,
        value: hu.arr([hu.obj([{ key, value: hu.from(values) }]), hu.from(values)]),
      })),
      { expand: true },
    ),
  );

describe('direct HuJSON printing', () => {
  it('prints what the rough text through hujson.Format prints, for any tree and leading comments', () => {
    fc.assert(
      fc.property(fc.oneof(tree, wide), fc.array(comment, { maxLength: 2 }), (root, leading) => {
        expect(printHujson(root, leading)).toBe(printHujsonByFormat(root, leading));
      }),
      { numRuns: 3000 },
    );
  });
});
