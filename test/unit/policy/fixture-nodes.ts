import { type Inventory, makeDevice } from '../../../src/policy/inventory';
import type { PostureAttributes } from '../../../src/policy/model';

/** The node format of shared/fixtures/policy-doc-cases.json (facts §17), used by tests only. */
export interface FixtureNode {
  readonly name: string;
  readonly user: string | null;
  readonly tags: readonly string[];
  readonly ips: readonly string[];
  readonly advertisedRoutes?: readonly string[];
  readonly approvedRoutes?: readonly string[];
  readonly postureAttrs?: PostureAttributes;
}

export function inventoryFromNodes(nodes: readonly FixtureNode[]): Inventory {
  return {
    devices: nodes.map((n) =>
      makeDevice({
        name: n.name,
        user: n.user,
        tags: n.tags,
        addresses: n.ips,
        advertisedRoutes: n.advertisedRoutes ?? [],
        enabledRoutes: n.approvedRoutes ?? [],
        ...(n.postureAttrs ? { postureAttrs: n.postureAttrs } : {}),
      }),
    ),
  };
}
