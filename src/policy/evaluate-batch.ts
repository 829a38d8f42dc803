import { type CompiledPolicy, ENTRY_V4, ENTRY_V6, type NetUnit } from './compile';
import { postureOk, protocolMatches, sameOwner } from './evaluate';
import type { RuleRef } from './model';

/**
 * Many sources against many destination devices at once, for `tests` (§11): "which of these source devices reach
 * at least one of these destination devices?". The units that apply at the destinations are marked once (per
 * family, cached per destination identity), then each source walks only the units that list it as a source, and
 * sources that every rule treats alike (one user's devices) are answered once. An assertion costs
 * O(Σ units per destination + Σ units per source class), never O(sources × destinations × rules), and the loops
 * touch only typed arrays. Same answers as pairwise canReach (checked by the property test).
 */
export interface BatchReach {
  /** allowed[i] answers for sources[i]. */
  readonly allowed: readonly boolean[];
  /** Rules that let at least one of the sources through. */
  readonly rules: readonly RuleRef[];
}

// Local copies: imported bindings can compile to property getters, which the hot loops below should not call.
const V4 = ENTRY_V4;
const V6 = ENTRY_V6;

interface Scratch {
  epoch: number;
  /** Per source class: epoch when answered, and the answer. */
  readonly classEpoch: Int32Array;
  readonly classAllowed: Uint8Array;
}

const SCRATCH = new WeakMap<CompiledPolicy, Scratch>();

function scratchFor(compiled: CompiledPolicy): Scratch {
  let s = SCRATCH.get(compiled);
  if (!s) {
    const classes = compiled.sourceClass.reduce((m, c) => Math.max(m, c + 1), 0);
    s = {
      epoch: 0,
      classEpoch: new Int32Array(classes),
      classAllowed: new Uint8Array(classes),
    };
    SCRATCH.set(compiled, s);
  }
  s.epoch++;
  return s;
}

const DESTINATION_MASKS = new WeakMap<CompiledPolicy, Map<string, Uint8Array>>();

/**
 * Per unit, whether it delivers to some of the destinations over IPv4 (bit V4) or IPv6 (bit V6). With a
 * `cacheKey` (the destination identity, e.g. `tag:db`) the mask is computed once per key.
 */
function destinationMask(
  compiled: CompiledPolicy,
  destinations: readonly number[],
  cacheKey: string | undefined,
): Uint8Array {
  const cache = DESTINATION_MASKS.get(compiled) ?? new Map<string, Uint8Array>();
  DESTINATION_MASKS.set(compiled, cache);
  const cached = cacheKey === undefined ? undefined : cache.get(cacheKey);
  if (cached) return cached;
  const mask = new Uint8Array(compiled.units.length);
  for (let k = 0; k < destinations.length; k++) {
    const entries = compiled.destinationEntries[destinations[k]];
    for (let j = 0; j < entries.length; j++) mask[entries[j] >> 2] |= entries[j] & (V4 | V6);
  }
  if (cacheKey !== undefined) cache.set(cacheKey, mask);
  return mask;
}

export function reachableSources(
  compiled: CompiledPolicy,
  sources: readonly number[],
  destinations: readonly number[],
  protos: readonly number[],
  port: number,
  destinationKey?: string,
): BatchReach {
  const { epoch, classEpoch, classAllowed } = scratchFor(compiled);
  const mask = destinationMask(compiled, destinations, destinationKey);
  const rules = new Map<string, RuleRef>();
  const allowed: boolean[] = new Array(sources.length);
  for (let k = 0; k < sources.length; k++) {
    const s = sources[k];
    const cls = compiled.sourceClass[s];
    if (classEpoch[cls] === epoch) {
      allowed[k] = classAllowed[cls] === 1;
      continue;
    }
    const entries = compiled.sourceEntries[s];
    let ok = false;
    for (let j = 0; j < entries.length; j++) {
      const e = entries[j];
      const i = e >> 2;
      // Cheap rejection first: most units a source appears in do not reach these destinations.
      const hit = (e & mask[i] & (V4 | V6)) !== 0;
      const u = compiled.units[i];
      if (!hit && !(u.dstSelf && selfReaches(compiled, e, s, destinations))) continue;
      if (!protos.some((p) => protocolMatches(u, p, port))) continue;
      if (!postureOk(u.postures, compiled.devices[s].postureAttrs)) continue;
      ok = true;
      noteRule(rules, u);
    }
    allowed[k] = ok;
    classEpoch[cls] = epoch;
    classAllowed[cls] = ok ? 1 : 0;
  }
  return { allowed, rules: [...rules.values()] };
}

function noteRule(rules: Map<string, RuleRef>, u: NetUnit): void {
  if (u.ref.index >= 0) rules.set(`${u.ref.section}:${u.ref.index}`, u.ref);
}

/** §14.4: an autogroup:self unit reaches the source's own devices, over a family both ends have. */
function selfReaches(compiled: CompiledPolicy, entry: number, s: number, destinations: readonly number[]): boolean {
  const v4 = (entry & V4) !== 0;
  const v6 = (entry & V6) !== 0;
  return destinations.some(
    (d) => sameOwner(compiled, s, d) && ((v4 && compiled.hasV4.has(d)) || (v6 && compiled.hasV6.has(d))),
  );
}
