import type { Bitset } from './bitset';
import { LINT_CODES } from './codes';
import type { CompiledPolicy, NetUnit } from './compile';
import { ruleSelectors } from './explain-reasons';
import type { Inventory } from './inventory';
import type { LintReport } from './lint';
import { appendProtoPorts, normalizePorts, type PortSet, subtractPorts } from './plan-ports';
import { classifySelector, type Dialect, tagKey } from './selectors';
import type { JsonPath } from './source';

/**
 * Rules made redundant by broader rules. Access is a union (§14.1), so a rule adds nothing when every (source,
 * destination, proto/port) it allows is also allowed by another rule. With an inventory this is judged on the
 * device and address sets the rules resolve to; without one, on the selectors as written (`*` covers every
 * identity, otherwise the same selector text is needed). Two rules that allow exactly the same thing are reported
 * once, on the later one, as a duplicate (info): harmless, but one of them can go.
 */
interface UnitView {
  readonly unit: NetUnit;
  readonly key: string;
  readonly src: readonly string[];
  readonly dst: readonly string[];
  readonly ports: PortSet;
  readonly postures: string;
}

export function lintRedundancy(
  compiled: CompiledPolicy,
  options: { readonly dialect: Dialect; readonly inventory?: Inventory },
  report: LintReport,
  at: (path: JsonPath) => string,
): void {
  const views = unitViews(compiled, options.dialect);
  const byRule = groupByRule(views);
  const coveredBy = coverIndex(compiled, views, byRule, options.inventory !== undefined);
  for (const [rule, units] of byRule) {
    if (options.inventory && units.every(isEmpty)) continue; // reported as matching no device
    if (units.every(onlyInternet)) continue; // the deliberate exit-node grant TN6021 asks for beside a dst "*" rule
    const whole = [...coveredBy(rule)].filter(([, n]) => n === units.length).map(([k]) => k);
    if (whole.length === 0) continue;
    const twin = whole.find((k) => coveredBy(k).get(rule) === byRule.get(k)?.length);
    if (twin !== undefined && order(twin) > order(rule)) continue; // of two twins, the later one is reported
    reportRedundant(rule, twin, whole[0], report, at);
  }
}

function onlyInternet(u: UnitView): boolean {
  return u.dst.length > 0 && u.dst.every((d) => d === 'autogroup:internet');
}

/**
 * rule → (other rule → how many of the rule's units it covers). A rule is redundant when one other rule covers all
 * of its units; checking per rule, not per unit set, keeps the message to one broader rule a reader can look at.
 */
function coverIndex(
  compiled: CompiledPolicy,
  views: readonly UnitView[],
  byRule: ReadonlyMap<string, UnitView[]>,
  semantic: boolean,
): (rule: string) => Map<string, number> {
  const covers = semantic ? semanticCovers : syntacticCovers;
  const candidates = candidateIndex(compiled, views, semantic);
  const memo = new Map<string, Map<string, number>>();
  return (rule) => {
    let counts = memo.get(rule);
    if (!counts) {
      counts = new Map();
      for (const u of byRule.get(rule) ?? []) {
        const found = new Set(
          candidates(u)
            .filter((v) => v.key !== rule && covers(u, v))
            .map((v) => v.key),
        );
        for (const k of found) counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      memo.set(rule, counts);
    }
    return counts;
  };
}

function reportRedundant(
  rule: string,
  twin: string | undefined,
  broader: string,
  report: LintReport,
  at: (path: JsonPath) => string,
): void {
  if (twin !== undefined) {
    report(
      LINT_CODES.duplicateRule,
      parseKey(rule),
      `${label(rule)} allows exactly what ${label(twin)} (${at(parseKey(twin))}) allows`,
      'Tailscale unions all rules, so one of the two can go',
    );
    return;
  }
  report(
    LINT_CODES.redundantRule,
    parseKey(rule),
    `${label(rule)} is redundant: everything it allows is also allowed by ${label(broader)} (${at(parseKey(broader))})`,
    'remove it, or narrow the broader rule if that one allows too much',
  );
}

function unitViews(compiled: CompiledPolicy, dialect: Dialect): UnitView[] {
  const selectors = ruleSelectors(compiled);
  const norm = (s: string) => {
    const sel = classifySelector(s);
    return sel.kind === 'tag' ? tagKey(sel.name, dialect) : sel.text;
  };
  return compiled.units.flatMap((unit, i) => {
    if (unit.ref.index < 0) return [];
    const { src, dst } = selectors(i);
    const acc: number[] = [];
    for (const pp of unit.protoPorts) appendProtoPorts(acc, pp);
    return [
      {
        unit,
        key: `${unit.ref.section}:${unit.ref.index}`,
        src: src.map(norm),
        dst: dst.map(norm),
        ports: normalizePorts(acc),
        postures: JSON.stringify(unit.postures ?? null),
      },
    ];
  });
}

function groupByRule(views: readonly UnitView[]): Map<string, UnitView[]> {
  const byRule = new Map<string, UnitView[]>();
  for (const v of views) byRule.set(v.key, [...(byRule.get(v.key) ?? []), v]);
  return byRule;
}

/**
 * Units that could cover u, so the check is not quadratic on large policies: with devices, the units listing u's
 * first source device (via units are not in that index, so via units look at every unit); without, the units
 * sharing u's first source selector or having a wildcard source.
 */
function candidateIndex(
  compiled: CompiledPolicy,
  views: readonly UnitView[],
  semantic: boolean,
): (u: UnitView) => UnitView[] {
  const byUnit = new Map(views.map((v) => [v.unit, v]));
  if (semantic) {
    return (u) => {
      const [first] = u.unit.srcV4.clone().orWith(u.unit.srcV6);
      if (first === undefined || u.unit.via) return [...views];
      return [...compiled.unitsBySource[first]].map((i) => byUnit.get(compiled.units[i])!).filter(Boolean);
    };
  }
  const bySrc = new Map<string, UnitView[]>();
  const wildcard: UnitView[] = [];
  for (const v of views) {
    if (v.src.includes('*') || v.src.includes('autogroup:danger-all')) wildcard.push(v);
    for (const s of new Set(v.src)) bySrc.set(s, [...(bySrc.get(s) ?? []), v]);
  }
  return (u) => (u.src.length === 0 ? [...views] : [...(bySrc.get(u.src[0]) ?? []), ...wildcard]);
}

function commonCovers(u: UnitView, v: UnitView): boolean {
  if (subtractPorts(u.ports, v.ports).length > 0) return false;
  if (v.postures !== 'null' && v.postures !== u.postures) return false;
  // A via rule applies only at routers carrying the tag (§6): it covers only via rules with a subset of its tags.
  if (v.unit.via && !(u.unit.via && [...u.unit.via].every((t) => v.unit.via!.has(t)))) return false;
  return !u.unit.usesExit || v.unit.usesExit;
}

const IDENTITY_KINDS = new Set(['user', 'group', 'tag', 'domainUsers', 'autogroup']);

function syntacticCovers(u: UnitView, v: UnitView): boolean {
  if (!commonCovers(u, v)) return false;
  const srcOk =
    v.src.includes('autogroup:danger-all') ||
    u.src.every((s) => v.src.includes(s)) ||
    (v.src.includes('*') && u.src.every((s) => s === '*' || IDENTITY_KINDS.has(classifySelector(s).kind)));
  const dstOk = v.dst.includes('*') || u.dst.every((d) => v.dst.includes(d));
  return srcOk && dstOk && (!u.unit.dstSelf || v.unit.dstSelf || v.dst.includes('*'));
}

function semanticCovers(u: UnitView, v: UnitView): boolean {
  const a = u.unit;
  const b = v.unit;
  if (!commonCovers(u, v)) return false;
  if (!subset(a.srcV4, b.srcV4) || !subset(a.srcV6, b.srcV6)) return false;
  if (!subset(a.dstV4, b.dstV4) || !subset(a.dstV6, b.dstV6)) return false;
  if (a.dstSelf && !b.dstSelf) return false;
  return a.srcAddresses.subtract(b.srcAddresses).isEmpty && a.dstAddresses.subtract(b.dstAddresses).isEmpty;
}

function subset(a: Bitset, b: Bitset): boolean {
  for (let w = 0; w < a.words.length; w++) if ((a.words[w] & ~b.words[w]) !== 0) return false;
  return true;
}

function isEmpty(v: UnitView): boolean {
  const u = v.unit;
  return (
    (u.srcV4.isEmpty && u.srcV6.isEmpty && u.srcAddresses.isEmpty) ||
    (u.dstV4.isEmpty && u.dstV6.isEmpty && u.dstAddresses.isEmpty && !u.dstSelf)
  );
}

function parseKey(key: string): [string, number] {
  const [section, index] = key.split(':');
  return [section, Number(index)];
}

function label(key: string): string {
  const [section, index] = parseKey(key);
  return `${section}[${index}]`;
}

/** acls before grants, then by index: the file order. */
function order(key: string): number {
  const [section, index] = parseKey(key);
  return (section === 'acls' ? 0 : 1_000_000) + index;
}
