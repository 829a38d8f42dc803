import { sha256 } from '../../core/writer';
import type { StackIr } from '../../ir/types';
import type { EmittedFile, SummaryContext, SummaryEmitter } from '../emitter';
import { synthesizedPolicy } from '../policy/check';
import { analyzeStackPolicy } from './analysis';
import { type Artifact, completeReport } from './html';

export {
  buildReport,
  type PendingReport,
  REPORT_MAP_EDGES,
  type ReportSources,
  startReport,
} from './build';

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

/**
 * `report.html`: the access report of the stack, computed from the files synth is about to write (policy.hujson and
 * devices.json, read back by the engine exactly as `tailnet-cdk graph --stack` reads them), so it shows what is
 * deployed, not what the constructs meant. The map is rendered to SVG here, in the emitter, and inlined: the file
 * stays small (tens of kB, against 1.3 MB for shipping Graphviz to the browser) and needs no script to show it.
 */
export const reportEmitter: SummaryEmitter = {
  name: 'report',
  emit(ir: StackIr, files: ReadonlyMap<string, string>, context: SummaryContext = {}): EmittedFile[] {
    // synth hands over the body its policy analysis rendered; alone, the emitter runs the same analysis itself
    const input = context.policyReport ? undefined : synthesizedPolicy(ir, files);
    const body = context.policyReport ?? (input ? analyzeStackPolicy(input).report : undefined);
    return body ? [{ path: REPORT_FILE, content: completeReport(body, artifactsOf(files)) }] : [];
  },
};

/** Path, size and sha256 of files (the same digest as manifest.json), sorted by path. */
export function artifactsOf(files: ReadonlyMap<string, string>): Artifact[] {
  return [...files.keys()].sort().map((path) => {
    const content = files.get(path)!;
    return { path, sha256: sha256(content), bytes: Buffer.byteLength(content) };
  });
}
