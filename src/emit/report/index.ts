import type { PendingCall } from '../../core/blocking-worker';
import type { Diagnostic } from '../../core/diagnostics';
import { sha256 } from '../../core/writer';
import type { StackIr } from '../../ir/types';
import type { PolicyCheck } from '../../policy';
import type { EmittedFile, SummaryContext, SummaryEmitter } from '../emitter';
import { buildAccessMap, focusAccessMap, loadTailnet, startDrawingSvg, type TailnetSources } from '../graph';
import { INVENTORY_FILE } from '../inventory';
import { type Artifact, completeReport, type ReportInput, renderReportHtml } from './html';

export {
  type AccessChange,
  type AccessDiff,
  type DiffHtmlInput,
  diffAccessMaps,
  renderDiffHtml,
  renderPlanHtml,
} from './diff';
export {
  type Artifact,
  completeReport,
  type ReportBody,
  type ReportInput,
  renderReportBody,
  renderReportHtml,
} from './html';

export const REPORT_FILE = 'report.html';

/** Edges drawn in the report's map; a larger map is drawn in part (`focusAccessMap`), the matrix lists them all. */
export const REPORT_MAP_EDGES = 150;

/**
 * `report.html`: the access report of the stack, computed from the files synth is about to write (policy.hujson and
 * devices.json, read back by the engine exactly as `tailnet-cdk graph --stack` reads them), so it shows what is
 * deployed, not what the constructs meant. The map is rendered to SVG here, in the emitter, and inlined: the file
 * stays small (tens of kB, against 1.3 MB for shipping Graphviz to the browser) and needs no script to show it.
 */
export const reportEmitter: SummaryEmitter = {
  name: 'report',
  emit(ir: StackIr, files: ReadonlyMap<string, string>, context: SummaryContext = {}): EmittedFile[] {
    if (context.policyReport) {
      return [{ path: REPORT_FILE, content: completeReport(context.policyReport, artifactsOf(files)) }];
    }
    const policy = files.get('policy.hujson');
    if (policy === undefined) return [];
    const devices = files.get(INVENTORY_FILE);
    const report = buildReport({
      title: ir.name,
      policy: { text: policy, file: 'policy.hujson' },
      ...(devices !== undefined ? { devices: { text: devices, file: INVENTORY_FILE } } : {}),
      validate: { dialect: 'tailscale', ...(ir.tailnetDomain ? { tailnetDomains: [ir.tailnetDomain] } : {}) },
      artifacts: artifactsOf(files),
    });
    return [{ path: REPORT_FILE, content: renderReportHtml(report) }];
  },
};

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

/** Path, size and sha256 of files (the same digest as manifest.json), sorted by path. */
export function artifactsOf(files: ReadonlyMap<string, string>): Artifact[] {
  return [...files.keys()].sort().map((path) => {
    const content = files.get(path)!;
    return { path, sha256: sha256(content), bytes: Buffer.byteLength(content) };
  });
}
