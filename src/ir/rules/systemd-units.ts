import { NIXOS_CODES } from '../../constructs/nixos/codes';
import type { Diagnostic } from '../../core/diagnostics';
import { diag } from '../../core/errors';
import type { StackIr } from '../types';

/**
 * One construct per service unit of a host: two would write one drop-in file (plain Linux) or merge their
 * environments into one `systemd.services.<unit>` (NixOS), and one program cannot be two services.
 */
export function systemdUnitConflicts(ir: StackIr): Diagnostic[] {
  const first = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const u of ir.systemdUnits) {
    const key = `${u.host}\u0000${u.unit}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, u.source.path);
      continue;
    }
    out.push({
      ...diag(
        NIXOS_CODES.unitConflict,
        u.source.path,
        `${u.unit}.service on host "${u.host}" is already configured by ${earlier}`,
        'give this one its own unit name (the unit prop), or run it on another host',
      ),
      related: [{ path: earlier, message: `configures ${u.unit}.service on "${u.host}"` }],
    });
  }
  return out;
}
