import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYaml, printYaml, printYamlStream } from '../../../src/core/canonical/yaml';

describe('canonical YAML printer', () => {
  it('prints a "<<" map key as a string, not YAML 1.1\'s merge key (found by the round-trip property)', () => {
    const text = printYaml({ labels: { '<<': 'x' } });
    expect(text).toBe('labels:\n  !!str "<<": x\n');
    expect(parseYaml(text)).toEqual({ labels: { '<<': 'x' } });
  });

  it('quotes every string YAML 1.1 or 1.2 would read as something else', () => {
    const ambiguous = [
      'yes',
      'no',
      'on',
      'off',
      'y',
      'n',
      'true',
      'null',
      '~',
      '0755',
      '1.0',
      '1_000',
      '12:30',
      '2024-01-01',
      '0o17',
      '1e3',
      '.inf',
      '',
    ];
    const value = Object.fromEntries(ambiguous.map((v, i) => [`k${i}`, v]));
    const text = printYaml(value);
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual(value);
  });

  it('quotes keys that would not read back as strings', () => {
    expect(printYaml({ on: 1, yes: 2 }, { keys: 'given' })).toBe('"on": 1\n"yes": 2\n');
  });

  it('leaves plain strings plain and never folds long lines', () => {
    const long = `--login-server=https://headscale.example.com ${'--flag '.repeat(30).trim()}`;
    const text = printYaml({ a: long, b: 'tag:a,tag:b' });
    expect(text).toBe(`a: ${long}\nb: tag:a,tag:b\n`);
  });

  it('sorts keys with apiVersion, kind, metadata and name first', () => {
    const text = printYaml({
      spec: { z: 1, name: 'x', a: 2 },
      metadata: { namespace: 'ns', name: 'm' },
      kind: 'K',
      apiVersion: 'v1',
    });
    expect(text).toBe(
      'apiVersion: v1\nkind: K\nmetadata:\n  name: m\n  namespace: ns\nspec:\n  name: x\n  a: 2\n  z: 1\n',
    );
  });

  it('keeps the given order when asked, drops null members, writes block scalars for multi-line strings', () => {
    const text = printYaml({ b: 1, a: null, c: 'x\ny\n' }, { keys: 'given', header: ['head'] });
    expect(text).toBe('# head\nb: 1\nc: |\n  x\n  y\n');
  });

  it('separates documents of a stream with ---', () => {
    const text = printYamlStream([{ a: 1 }, { b: 2 }], { header: ['h'] });
    expect(text).toBe('# h\na: 1\n---\nb: 2\n');
    expect(parseYaml('a: "on"')).toEqual({ a: 'on' });
  });
});
