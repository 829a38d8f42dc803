import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHujson, hu, parseHujson, printHujson } from '../../src/core/canonical/hujson';

/** The repository's copy of shared/facts/tailscale-api-fixtures.json (test/unit/vendored-fixtures.test.ts). */
const FIXTURES = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/import/tailscale-api-fixtures.json'), 'utf8'),
) as Record<string, { body: unknown; headers: { ETag: string } }>;

const POLICY_KEYS = ['getPolicy_hujson', 'getPolicy_afterConsoleEdit_hujson'] as const;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const etagOf = (key: string) => FIXTURES[key].headers.ETag.replace(/^"|"$/g, '');

/** Applies `edit` to every line that is not a comment, leaving comment text untouched. */
const onCodeLines = (text: string, edit: (line: string) => string) =>
  text
    .split('\n')
    .map((line) => (line.trimStart().startsWith('//') ? line : edit(line)))
    .join('\n');

/** Layout damage that Format must undo; each keeps the newlines that decide inline vs expanded. */
const DAMAGE: Record<string, (text: string) => string> = {
  'CRLF line endings': (t) => t.replaceAll('\n', '\r\n'),
  'spaces instead of tabs': (t) => t.replace(/^\t+/gm, (tabs) => '    '.repeat(tabs.length)),
  'no indentation at all': (t) => t.replace(/^\t+/gm, ''),
  'collapsed whitespace between tokens': (t) =>
    onCodeLines(t, (line) => line.trimStart().replaceAll('": ', '":').replace(/", "/g, '","').replace(/ +/g, ' ')),
  'extra blank lines': (t) =>
    t
      .replaceAll('\n\n', '\n\n\n\n')
      .replace(/([{[])\n/g, '$1\n\n\n')
      .replace(/\n(\t*[}\]])/g, '\n\n\n$1'),
  'misaligned values': (t) =>
    onCodeLines(t, (line) =>
      line.replace(/^(\s*"[^"]*":)\s+/, (_, name: string) => name + ' '.repeat((name.length * 7) % 5)),
    ),
  'trailing commas moved': (t) => t.replace(/,\n(\t*[}\]])/g, '\n$1').replace(/"\]/g, '",]'),
  'indentation by a stray mix of tabs and spaces, trailing spaces': (t) =>
    t.replace(/^\t+/gm, (tabs) => ' \t'.repeat(tabs.length)).replace(/\n/g, '   \n'),
};

const policyText = (key: string) => FIXTURES[key].body as string;

describe.each(POLICY_KEYS)('fixture %s', (key) => {
  const body = policyText(key);

  it('is already in hujson.Format form: formatHujson(body) === body', () => {
    expect(formatHujson(body)).toBe(body);
  });

  it('hashes to the policy ETag (sha256 of the formatted text)', () => {
    expect(sha256(formatHujson(body))).toBe(etagOf(key));
    expect(sha256(body)).toBe(etagOf(key));
  });

  it.each(Object.keys(DAMAGE))('restores the original bytes after %s', (damage) => {
    const damaged = DAMAGE[damage](body);
    expect(damaged).not.toBe(body);
    expect(formatHujson(damaged)).toBe(body);
  });

  it('restores the original bytes after all the damage at once', () => {
    const damaged = Object.values(DAMAGE).reduce((text, damage) => damage(text), body);
    expect(formatHujson(damaged)).toBe(body);
    expect(sha256(formatHujson(damaged))).toBe(etagOf(key));
  });

  it('parses to a value with the comments available for import', () => {
    const doc = parseHujson(body);
    if (key === 'getPolicy_hujson') expect(doc.value).toEqual(FIXTURES.getPolicy_json.body);
    expect(doc.commentsBefore(['groups'])).toEqual(['Static groups of users.']);
  });
});

it('the two fixture policies differ, and so do their hashes (drift detection)', () => {
  const [before, after] = POLICY_KEYS.map(policyText);
  expect(before).not.toBe(after);
  expect(sha256(formatHujson(before))).not.toBe(sha256(formatHujson(after)));
});

describe('a large policy (its speed is measured by the bench)', () => {
  it('parses and formats a ~2 MB policy, positions intact', () => {
    const text = largePolicy();
    expect(text.length).toBeGreaterThan(2_000_000);
    const doc = parseHujson(text, 'large.hujson');
    const formatted = formatHujson(text, 'large.hujson');
    expect(formatted).toBe(text); // printHujson output is already formatted
    expect(doc.locate(['grants', 1999, 'dst', 1]).line).toBeGreaterThan(1);
  });
});

/** 10,000 hosts, 2,000 commented grants, 400 groups of 90: the shape of a large real policy. */
function largePolicy(): string {
  const hosts = Array.from({ length: 10_000 }, (_, i) => ({
    key: `device-${i}.example-tailnet.ts.net`,
    value: hu.lit(`100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`),
  }));
  const groups = Array.from({ length: 400 }, (_, g) => ({
    key: `group:team-${g}`,
    value: hu.from(Array.from({ length: 90 }, (_, u) => `user-${g}-${u}@example.com`)),
  }));
  const grants = Array.from({ length: 2_000 }, (_, i) =>
    hu.obj(
      [
        { key: 'src', value: hu.from([`group:team-${i % 400}`, `tag:client-${i % 97}`]) },
        { key: 'dst', value: hu.from([`tag:server-${i % 300}`, `device-${i}.example-tailnet.ts.net`]) },
        { key: 'ip', value: hu.from(['tcp:22', 'tcp:443', `tcp:${8000 + (i % 1000)}`, 'udp:53']) },
      ],
      { expand: true, comments: [`stack/Grants/Rule${i}: generated rule number ${i}`] },
    ),
  );
  const root = hu.obj(
    [
      { key: 'groups', value: hu.obj(groups, { expand: true }), comments: ['Groups of users.'] },
      { key: 'hosts', value: hu.obj(hosts, { expand: true }), comments: ['Named hosts.'] },
      { key: 'grants', value: hu.arr(grants, { expand: true }), comments: ['Access rules.'] },
    ],
    { expand: true },
  );
  return printHujson(root, ['Large generated policy.']);
}
