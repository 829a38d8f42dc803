import type { CompiledPolicy } from './compile';
import type { DeviceClasses } from './plan-classes';
import { type PortSet, portSetRanges } from './plan-ports';
import { AccessOracle } from './plan-relation';

export { type PortSet, type ProtoRange, portSetRanges } from './plan-ports';

/**
 * Everything each device may send to each other device, per address family: the access `plan` computes, but for
 * single devices rather than classes (every device is its own class). WireGuard mode turns this into nftables rules
 * (src/emit/wireguard): the policy decides, WireGuard only carries.
 */
export class DeviceAccess {
  private readonly oracle: AccessOracle;
  private entered = -1;

  constructor(private readonly compiled: CompiledPolicy) {
    const classes: DeviceClasses = {
      classOf: Int32Array.from(compiled.devices, (_, i) => i),
      members: compiled.devices.map((_, i) => [i]),
    };
    this.oracle = new AccessOracle(compiled, classes);
  }

  /** Ports `src` may reach on `dst` (device names as in the inventory), or undefined for an unknown device. */
  between(src: string, dst: string, family: 4 | 6 = 4): PortSet | undefined {
    const s = this.compiled.deviceByName.get(src);
    const d = this.compiled.deviceByName.get(dst);
    if (s === undefined || d === undefined) return undefined;
    if (this.entered !== s) {
      this.oracle.enterClass(s);
      this.entered = s;
    }
    return this.oracle.toClass(d).ports[family === 4 ? 0 : 1];
  }

  /** The same as protocol/port ranges. */
  rangesBetween(src: string, dst: string, family: 4 | 6 = 4) {
    const set = this.between(src, dst, family);
    return set === undefined ? undefined : portSetRanges(set);
  }
}
