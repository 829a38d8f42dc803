/**
 * Access map of a policy: the model (selectors resolved by the engine), and its renderers (DOT, Mermaid, SVG through
 * Graphviz in wasm). Used by `tailnet-cdk graph`, the report emitter and the HTML access diff.
 */
export { compactAccess, EDGE_COLORS, edgeLabel, edgeTooltip, LEGEND, normalizeAccess } from './labels';
export {
  type AccessEdge,
  type AccessMap,
  type AccessMapOptions,
  type AccessNode,
  type BundledMap,
  type BundledNode,
  buildAccessMap,
  bundleAccessMap,
  compareRules,
  type EdgeKind,
  EMPTY_INVENTORY,
  focusAccessMap,
  type LoadedTailnet,
  loadTailnet,
  type NodeKind,
  nodeId,
  type Side,
  type TailnetSources,
} from './model';
export { type DotOptions, type EdgeStyle, FONT, renderDot, renderMermaid, renderSvg, startGraphviz } from './render';
export { ALLOW_ALL_RULE } from './resolve';

import type { PendingCall } from '../../core/blocking-worker';
import type { AccessMap } from './model';
import { bundleAccessMap } from './model';
import { renderDot, renderMermaid, startSvg } from './render';

export type MapFormat = 'svg' | 'dot' | 'mermaid';

/** The map as drawn everywhere (CLI, report, README picture): bundled, then DOT, Mermaid, or SVG via Graphviz. */
export function drawAccessMap(map: AccessMap, format: MapFormat, title?: string): string {
  if (format === 'svg') return startDrawingSvg(map, title).wait();
  const drawn = bundleAccessMap(map);
  return format === 'mermaid' ? renderMermaid(drawn) : renderDot(drawn, title ? { title } : {});
}

/** The map's SVG as `drawAccessMap` draws it, laid out by Graphviz while the caller does other work. */
export function startDrawingSvg(map: AccessMap, title?: string): PendingCall<string> {
  return startSvg(renderDot(bundleAccessMap(map), title ? { title } : {}));
}
