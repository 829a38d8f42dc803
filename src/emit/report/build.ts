import type { PendingCall } from '../../core/blocking-worker';
import type { Diagnostic } from '../../core/diagnostics';
import type { PolicyCheck } from '../../policy';
import { buildAccessMap, focusAccessMap, loadTailnet, startDrawingSvg, type TailnetSources } from '../graph';
import type { Artifact, ReportInput } from './html';

/** Edges drawn in the report's map; a larger map is drawn in part (`focusAccessMap`), the matrix lists them all. */
export const REPORT_MAP_EDGES = 150;

/**
 * Everything the report shows, computed by the engine from a policy and an inventory: the access map (and its SVG),
 * the policy tests, the lint findings, plus what the caller knows (the stack's artifacts).
 */
export interface ReportSources extends TailnetSources {
  readonly title: string;
  /** List each node's devices. @default false */
  readonly expand?: boolean;
  /** Replaces the engine's own lint findings (a caller that linted with other options). */
  readonly lint?: readonly Diagnostic[];
  readonly artifacts?: readonly Artifact[];
}

/** `checked`: synth's check of the same files, reused (see `loadTailnet`). */
export function buildReport(sources: ReportSources, checked?: PolicyCheck): ReportInput {
  const { svg, ...report } = startReport(sources, checked);
  return { ...report, ...(svg ? { svg: svg.wait() } : {}) };
}

/** `buildReport` with the map's SVG still being laid out by Graphviz. */
export function startReport(sources: ReportSources, checked?: PolicyCheck): PendingReport {
  const loaded = loadTailnet(sources, checked);
  const lint = sources.lint ?? loaded.lint;
  const mapOptions = {
    expand: sources.expand ?? false,
    ...(loaded.realDevices !== undefined ? { realDevices: loaded.realDevices } : {}),
  };
  const map = loaded.compiled ? buildAccessMap(loaded.compiled, mapOptions) : undefined;
  const drawn = map ? focusAccessMap(map, REPORT_MAP_EDGES) : undefined;
  return {
    title: sources.title,
    ...(map ? { map } : {}),
    ...(drawn && drawn.edges.length > 0 ? { svg: startDrawingSvg(drawn) } : {}),
    ...(map && drawn && drawn.edges.length < map.edges.length ? { drawnEdges: drawn.edges.length } : {}),
    tests: loaded.tests,
    diagnostics: loaded.diagnostics,
    ...(lint ? { lint } : {}),
    ...(sources.artifacts ? { artifacts: sources.artifacts } : {}),
  };
}

export type PendingReport = Omit<ReportInput, 'svg'> & { readonly svg?: PendingCall<string> };
