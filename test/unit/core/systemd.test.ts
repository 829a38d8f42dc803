import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSystemdUnit, printSystemdUnit, systemdEnvironment } from '../../../src/core/canonical/systemd';
import { tmpDir } from '../../helpers';
import { hasTool } from '../../integration/tools';

describe('canonical systemd printer', () => {
  it('prints sections in order, keeps repeated keys, comments above lines, one final newline', () => {
    const text = printSystemdUnit(
      [
        { name: 'Unit', lines: [{ key: 'After', value: 'a.service b.service' }] },
        { name: 'Install', lines: [] },
        {
          name: 'Service',
          lines: [
            { key: 'Environment', value: systemdEnvironment('A', '1') },
            { key: 'Environment', value: systemdEnvironment('B', '2'), comment: ['why'] },
          ],
        },
      ],
      ['header'],
    );
    expect(text).toBe(
      '# header\n\n[Unit]\nAfter=a.service b.service\n\n[Service]\nEnvironment="A=1"\n# why\nEnvironment="B=2"\n',
    );
    expect(parseSystemdUnit(text).map((l) => `${l.section}.${l.key}`)).toEqual([
      'Unit.After',
      'Service.Environment',
      'Service.Environment',
    ]);
  });

  it('quotes and escapes Environment= values (spaces, quotes, backslashes, % specifiers)', () => {
    expect(systemdEnvironment('X', 'a b "c" \\ 50%')).toBe('"X=a b \\"c\\" \\\\ 50%%"');
    expect(() => printSystemdUnit([{ name: 'S', lines: [{ key: 'K', value: 'a\nb' }] }])).toThrow(/spans lines/);
  });

  it.skipIf(!hasTool('systemd-analyze'))('systemd reads the escaped value back unchanged', () => {
    const dir = tmpDir('sd-env');
    const unit = path.join(dir, 'x.service');
    const value = 'a b "c" \\ 50% $HOME';
    fs.writeFileSync(unit, `[Service]\nExecStart=/bin/true\nEnvironment=${systemdEnvironment('X', value)}\n`);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    // at debug level verify dumps the loaded unit, environment as parsed
    const debug = spawnSync('systemd-analyze', ['verify', '--man=no', unit], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_LOG_LEVEL: 'debug' },
    });
    expect(`${debug.stdout}${debug.stderr}`).toContain(`\tEnvironment: X=${value}\n`);
  });
});
