import type { CompiledPolicy, NetUnit } from './compile';
import { candidateUnits, type Enforcer, enforcersFor, postureOk, sameOwner } from './evaluate';
import type { Atom, DeviceClasses } from './plan-classes';
import { appendProtoPorts, normalizePorts, type PortSet } from './plan-ports';

/**
 * The access one policy version gives between two endpoints, answered the way evaluatePacket decides a packet
 * (§14), but for a whole class pair and every proto/port at once. Endpoints are device classes or address atoms.
 * A source is "entered" once (its units stamped), then each destination walks only the units that deliver to it:
 * the cost of a pair is the number of rules touching its destination, never rules × devices.
 */
export interface PairAccess {
  /** Ports per address family: [IPv4, IPv6]. */
  readonly ports: readonly [PortSet, PortSet];
  /** Units that matched, as `unitIndex << 2 | familyMask`. */
  readonly units: readonly number[];
}

const NONE: PairAccess = { ports: [[], []], units: [] };

export class AccessOracle {
  private epoch = 0;
  private readonly stamp: Int32Array;
  private readonly srcMask: Uint8Array;
  private source: { kind: 'device'; device: number } | { kind: 'atom'; atom: Atom } = { kind: 'device', device: -1 };
  private exitCache = new Map<number, boolean>();
  private readonly atomUnits = new Map<Atom, { enforcer: Enforcer; units: number[] }[]>();

  constructor(
    private readonly compiled: CompiledPolicy,
    private readonly classes: DeviceClasses,
  ) {
    this.stamp = new Int32Array(compiled.units.length);
    this.srcMask = new Uint8Array(compiled.units.length);
  }

  /** Stamps the units a device class is a source of (posture applied: a class shares posture attributes). */
  enterClass(cls: number): void {
    const s = this.classes.members[cls][0];
    this.epoch++;
    this.exitCache = new Map();
    this.source = { kind: 'device', device: s };
    const attrs = this.compiled.devices[s].postureAttrs;
    for (const e of this.compiled.sourceEntries[s]) {
      const i = e >> 2;
      if (!postureOk(this.compiled.units[i].postures, attrs)) continue;
      this.stamp[i] = this.epoch;
      this.srcMask[i] = e & 3;
    }
  }

  enterAtom(atom: Atom): void {
    this.epoch++;
    this.exitCache = new Map();
    this.source = { kind: 'atom', atom };
  }

  /** Family mask (1 = IPv4, 2 = IPv6) with which the current source is a source of unit i. */
  private sourceMask(i: number): number {
    const u = this.compiled.units[i];
    if (this.source.kind === 'atom') {
      const { atom } = this.source;
      return u.srcAddresses.has(atom.family, atom.first) ? (atom.family === 4 ? 1 : 2) : 0;
    }
    // via units are not in the source index (they never apply to device destinations); check them directly.
    if (u.via) return this.viaSourceMask(u);
    return this.stamp[i] === this.epoch ? this.srcMask[i] : 0;
  }

  private viaSourceMask(u: NetUnit): number {
    if (this.source.kind !== 'device') return 0;
    const s = this.source.device;
    const d = this.compiled.devices[s];
    if (!postureOk(u.postures, d.postureAttrs)) return 0;
    return (u.srcV4.has(s) && d.ipv4 ? 1 : 0) | (u.srcV6.has(s) && d.ipv6 ? 2 : 0);
  }

  toClass(cls: number): PairAccess {
    const d = this.classes.members[cls][0];
    const device = this.compiled.devices[d];
    const own = (device.ipv4 ? 1 : 0) | (device.ipv6 ? 2 : 0);
    const acc: [number[], number[]] = [[], []];
    const units: number[] = [];
    const s = this.source.kind === 'device' ? this.source.device : undefined;
    for (const e of this.compiled.destinationEntries[d]) {
      const i = e >> 2;
      const sm =
        this.source.kind === 'device' ? (this.stamp[i] === this.epoch ? this.srcMask[i] : 0) : this.sourceMask(i);
      if (sm === 0) continue;
      const u = this.compiled.units[i];
      // §14.4: autogroup:self reaches the same user's devices over every family they have.
      const dm = (e & 3) | (u.dstSelf && sameOwner(this.compiled, s, d) ? own : 0);
      const m = sm & dm;
      if (m !== 0) add(acc, units, u, i, m);
    }
    return units.length === 0 ? NONE : finish(acc, units);
  }

  toAtom(atom: Atom): PairAccess {
    if (this.source.kind === 'atom') return NONE; // address to address: not part of the plan (see docs)
    const bit = atom.family === 4 ? 1 : 2;
    const acc: [number[], number[]] = [[], []];
    const units: number[] = [];
    for (const { enforcer, units: covering } of this.unitsAt(atom)) {
      if (enforcer.mode === 'exit' && !this.exitAllowed(enforcer)) continue;
      for (const i of covering) {
        if ((this.sourceMask(i) & bit) !== 0) add(acc, units, this.compiled.units[i], i, bit);
      }
    }
    return units.length === 0 ? NONE : finish(acc, units);
  }

  /** Per enforcer of the atom (owner router(s) or exit nodes), the candidate units whose dst covers it. */
  private unitsAt(atom: Atom): { enforcer: Enforcer; units: number[] }[] {
    let cached = this.atomUnits.get(atom);
    if (!cached) {
      const ip = { family: atom.family, value: atom.first };
      cached = enforcersFor(this.compiled, ip).map((enforcer) => ({
        enforcer,
        units: [...candidateUnits(this.compiled, enforcer)].filter((i) =>
          this.compiled.units[i].dstAddresses.has(atom.family, atom.first),
        ),
      }));
      this.atomUnits.set(atom, cached);
    }
    return cached;
  }

  /** evaluatePacket's exit rule: a candidate at this exit node with `*`/autogroup:internet as dst has the source. */
  private exitAllowed(enforcer: Enforcer): boolean {
    let ok = this.exitCache.get(enforcer.device);
    if (ok === undefined) {
      ok = [...candidateUnits(this.compiled, enforcer)].some(
        (i) => this.compiled.units[i].usesExit && this.sourceMask(i) !== 0,
      );
      this.exitCache.set(enforcer.device, ok);
    }
    return ok;
  }
}

function add(acc: [number[], number[]], units: number[], u: NetUnit, i: number, mask: number): void {
  units.push((i << 2) | mask);
  for (const pp of u.protoPorts) {
    if (mask & 1) appendProtoPorts(acc[0], pp);
    if (mask & 2) appendProtoPorts(acc[1], pp);
  }
}

function finish(acc: [number[], number[]], units: number[]): PairAccess {
  return { ports: [normalizePorts(acc[0]), normalizePorts(acc[1])], units };
}

/** The ports one unit grants, cached per unit (for attributing a change to the rules that made it). */
export function unitPorts(compiled: CompiledPolicy): (i: number) => PortSet {
  const cache = new Map<number, PortSet>();
  return (i) => {
    let p = cache.get(i);
    if (!p) {
      const acc: number[] = [];
      for (const pp of compiled.units[i].protoPorts) appendProtoPorts(acc, pp);
      p = normalizePorts(acc);
      cache.set(i, p);
    }
    return p;
  };
}
