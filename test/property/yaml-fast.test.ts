import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYaml, printSimpleYaml, printWithLibrary } from '../../src/core/canonical/yaml';

/**
 * The Document-free printer is a shortcut, not a second dialect: wherever it answers, it must give the yaml
 * library's bytes to the letter, and it must answer for the common shapes (so the shortcut is really taken).
 */
const word = fc.stringMatching(/^[A-Za-z0-9_./@%+=,:~[\]{}!&*# -]{0,12}$/);
const tricky = fc.constantFrom(
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  'null',
  'Null',
  '~',
  'true',
  'False',
  '0755',
  '0o17',
  '0x1F',
  '1e3',
  '1_000',
  '12:30',
  '1:2:3',
  '.5',
  '+1',
  '-1',
  '.inf',
  '.NaN',
  '2001-12-14',
  'a:b',
  'http://x.example/p',
  'foo:',
  '-foo',
  '.hidden',
  'v1.90.0',
  'tailscale/tailscale:v1.90.0',
  '@scope',
  '%x',
  '=',
  ',',
  'a,b',
  '<<',
  '',
);
const scalar = fc.oneof(word, tricky, fc.boolean(), fc.integer({ min: -1e9, max: 1e9 }));
const key = fc.oneof(
  word.filter((w) => w.length > 0),
  tricky.filter((t) => t.length > 0),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  seq: fc.array(tie('node'), { maxLength: 4 }),
})).node;

describe('plain scalars that start with a letter, `_` or `/`', () => {
  it('read back as the same string under YAML 1.1 and 1.2, whatever the casing of a schema word', () => {
    const casings = fc
      .constantFrom('y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', 'nan', 'inf', 'x', 'e')
      .chain((w) =>
        fc
          .array(fc.boolean(), { minLength: w.length, maxLength: w.length })
          .map((up) => [...w].map((c, i) => (up[i] ? c.toUpperCase() : c)).join('')),
      );
    const letterFirst = fc.oneof(fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9_./@%+=-]{0,10}$/), casings);
    fc.assert(
      fc.property(letterFirst, (s) => {
        for (const print of [printSimpleYaml, printWithLibrary]) {
          const text = print({ k: s })!;
          expect(parse(text, { version: '1.1' })).toEqual({ k: s });
          expect(parse(text, { version: '1.2' })).toEqual({ k: s });
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('Document-free YAML printing', () => {
  it('prints exactly what the yaml library prints, whenever it prints at all', () => {
    let answered = 0;
    fc.assert(
      fc.property(value, (v) => {
        const fast = printSimpleYaml(v);
        if (fast === undefined) return;
        answered++;
        expect(fast).toBe(printWithLibrary(v));
        expect(parseYaml(fast)).toEqual(v);
      }),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(500);
  });

  it('takes the shortcut for a typical manifest', () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'web' } },
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [
              {
                name: 'tailscale',
                image: 'tailscale/tailscale:v1.90.0',
                env: [{ name: 'TS_USERSPACE', value: 'true' }],
              },
            ],
          },
        },
      },
    };
    expect(printSimpleYaml(manifest)).toBeDefined();
    expect(printSimpleYaml(manifest)).toBe(printWithLibrary(manifest));
  });
});
