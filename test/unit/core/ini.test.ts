import { describe, expect, it } from 'vitest';
import { printIni } from '../../../src/core/canonical/ini';

describe('printIni (wg-quick files)', () => {
  it('prints header comments, sections with their comments, repeated keys in order, one blank line between', () => {
    const text = printIni(
      [
        {
          name: 'Interface',
          entries: [
            ['PostUp', 'a'],
            ['PostUp', 'b'],
            ['ListenPort', 51820],
          ],
        },
        { name: 'Peer', comment: ['peer one'], entries: [['PublicKey', 'k']] },
      ],
      ['generated', ''],
    );
    expect(text).toBe(
      '# generated\n#\n\n[Interface]\nPostUp = a\nPostUp = b\nListenPort = 51820\n\n# peer one\n[Peer]\nPublicKey = k\n',
    );
  });

  it('refuses a value that would start a new line (a generated value never should)', () => {
    expect(() => printIni([{ name: 'Interface', entries: [['PostUp', 'a\n[Peer]']] }])).toThrow(/cannot be printed/);
  });
});
