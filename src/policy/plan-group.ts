/**
 * Groups the per-pair differences of `plan` into lines a reviewer reads: pairs with the same change (direction,
 * ports or SSH logins, family, and the rules that caused it) are collected, then cut into rectangles — a set of
 * sources × a set of destinations that all changed the same way. A rule added or edited therefore reads as one
 * line "these sources → these destinations: +tcp:8443", unless other rules already granted part of it.
 */
export interface Rectangle {
  /** Source endpoint ids, ascending. */
  readonly srcs: readonly number[];
  /** Destination endpoint ids, ascending. */
  readonly dsts: readonly number[];
}

export interface Group<M> {
  readonly meta: M;
  readonly rectangles: readonly Rectangle[];
}

export class PairGrouper<M> {
  private readonly groups = new Map<string, { meta: M; pairs: Map<number, number[]> }>();

  /** `meta` is called only for the first pair of a group: most pairs join an existing one. */
  add(key: string, meta: () => M, src: number, dst: number): void {
    let g = this.groups.get(key);
    if (!g) {
      g = { meta: meta(), pairs: new Map() };
      this.groups.set(key, g);
    }
    const list = g.pairs.get(src);
    if (list) list.push(dst);
    else g.pairs.set(src, [dst]);
  }

  get size(): number {
    return this.groups.size;
  }

  /** Groups in key order (keys are built to sort meaningfully), each cut into rectangles. */
  result(): Group<M>[] {
    return [...this.groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, g]) => ({ meta: g.meta, rectangles: rectangles(g.pairs) }));
  }
}

/** Sources with the same destination set share a rectangle; rectangles come in order of their first source. */
function rectangles(pairs: ReadonlyMap<number, number[]>): Rectangle[] {
  const bySet = new Map<string, { srcs: number[]; dsts: number[] }>();
  for (const src of [...pairs.keys()].sort((a, b) => a - b)) {
    const dsts = [...new Set(pairs.get(src))].sort((a, b) => a - b);
    const key = dsts.join(',');
    const r = bySet.get(key);
    if (r) r.srcs.push(src);
    else bySet.set(key, { srcs: [src], dsts });
  }
  return [...bySet.values()];
}
