import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Diagnostic, formatDiagnostic, hasErrors } from '../../core/diagnostics';
import { CORE_CODES, diag } from '../../core/errors';
import { MANIFEST } from '../../core/writer';
import { buildAccessMap, drawAccessMap, loadTailnet, type TailnetSources } from '../../emit/graph';
import { artifactsOf, buildReport, REPORT_FILE, renderReportHtml } from '../../emit/report';
import { EXIT, UsageError } from '../exit';
import { siblingServices } from '../policy-files';

/**
 * `tailnet-cdk graph [--stack <name> | <policy> --devices <file>] --format svg|html|mermaid|dot [--expand]
 * [--out <file>]`: the access map of a synthesized stack (its policy.hujson and devices.json under out/) or of any
 * policy file with an inventory. `html` is the stack's access report, the same page synth writes as report.html.
 */
export const GRAPH_FORMATS = ['svg', 'html', 'mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface GraphOptions {
  readonly stack?: string;
  readonly devices?: string;
  readonly format?: string;
  readonly expand?: boolean;
  readonly out?: string;
  /** Where synthesized stacks are. */
  readonly dir?: string;
}

interface GraphInput {
  readonly title: string;
  readonly policyFile: string;
  readonly devicesFile?: string;
  /**
   * How findings name the files: a stack's own names (`policy.hujson:25:3`, as in its report.html, with no
   * machine-specific folder), or the paths as given on the command line.
   */
  readonly labels?: { readonly policy: string; readonly devices: string };
  /** The stack's folder, for the report's artifact list. */
  readonly stackDir?: string;
}

export function run(policyFile: string | undefined, opts: GraphOptions): number {
  const format = parseFormat(opts.format);
  const input = resolveInput(policyFile, opts);
  const read = readSources(input);
  if ('diagnostics' in read) return report(read.diagnostics);
  const text = render(format, input, read.sources, opts.expand === true);
  if ('diagnostics' in text) return report(text.diagnostics);
  if (opts.out) {
    fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
    fs.writeFileSync(opts.out, text.output);
  } else {
    process.stdout.write(text.output);
  }
  return report(text.warnings);
}

function parseFormat(format = 'svg'): GraphFormat {
  if ((GRAPH_FORMATS as readonly string[]).includes(format)) return format as GraphFormat;
  throw new UsageError(`--format "${format}" is not one of ${GRAPH_FORMATS.join(', ')}`);
}

function resolveInput(policyFile: string | undefined, opts: GraphOptions): GraphInput {
  if (opts.stack && policyFile) throw new UsageError('give either --stack <name> or a policy file, not both');
  if (!opts.stack) {
    if (!policyFile) throw new UsageError('give --stack <name> or a policy file (with --devices <file>)');
    return { title: path.basename(policyFile), policyFile, ...(opts.devices ? { devicesFile: opts.devices } : {}) };
  }
  const root = opts.dir ?? 'out';
  const stackDir = path.join(root, opts.stack);
  if (!fs.existsSync(path.join(stackDir, 'policy.hujson'))) {
    const known = fs.existsSync(root)
      ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'policy.hujson')))
      : [];
    throw new UsageError(
      `no synthesized stack "${opts.stack}" in ${root}/ (found: ${known.sort().join(', ') || 'none'}); run \`tailnet-cdk synth\` first`,
    );
  }
  const devicesFile = opts.devices ?? path.join(stackDir, 'devices.json');
  return {
    title: opts.stack,
    policyFile: path.join(stackDir, 'policy.hujson'),
    ...(opts.devices || fs.existsSync(devicesFile) ? { devicesFile } : {}),
    stackDir,
    labels: { policy: 'policy.hujson', devices: opts.devices ?? 'devices.json' },
  };
}

function readFile(file: string, problems: Diagnostic[]): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    problems.push(diag(CORE_CODES.fileUnreadable, file, `cannot read ${file}: ${(e as Error).message}`));
    return undefined;
  }
}

function readSources(input: GraphInput): { sources: TailnetSources } | { diagnostics: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const policy = readFile(input.policyFile, problems);
  const devices = input.devicesFile === undefined ? undefined : readFile(input.devicesFile, problems);
  if (policy === undefined || problems.length > 0) return { diagnostics: problems };
  const services = siblingServices(input.policyFile);
  return {
    sources: {
      policy: { text: policy, file: input.labels?.policy ?? input.policyFile },
      ...(services ? { services } : {}),
      ...(devices !== undefined
        ? { devices: { text: devices, file: input.labels?.devices ?? input.devicesFile! } }
        : {}),
    },
  };
}

type Rendered = { output: string; warnings: readonly Diagnostic[] } | { diagnostics: readonly Diagnostic[] };

function render(format: GraphFormat, input: GraphInput, sources: TailnetSources, expand: boolean): Rendered {
  if (format === 'html') {
    const artifacts = input.stackDir ? stackArtifacts(input.stackDir) : undefined;
    const report = buildReport({ ...sources, title: input.title, expand, ...(artifacts ? { artifacts } : {}) });
    if (hasErrors(report.diagnostics)) return { diagnostics: report.diagnostics };
    return { output: renderReportHtml(report), warnings: report.diagnostics };
  }
  const loaded = loadTailnet(sources);
  if (!loaded.compiled) return { diagnostics: loaded.diagnostics };
  const map = buildAccessMap(loaded.compiled, { expand });
  return { output: drawAccessMap(map, format, `access map: ${input.title}`), warnings: loaded.diagnostics };
}

/** The files of the stack's manifest except the report itself: the list synth's report shows. */
function stackArtifacts(stackDir: string) {
  if (!fs.existsSync(path.join(stackDir, MANIFEST))) return undefined;
  const manifest = JSON.parse(fs.readFileSync(path.join(stackDir, MANIFEST), 'utf8')) as {
    files?: Record<string, string>;
  };
  const files = new Map<string, string>();
  for (const rel of Object.keys(manifest.files ?? {})) {
    if (rel !== REPORT_FILE) files.set(rel, fs.readFileSync(path.join(stackDir, rel), 'utf8'));
  }
  return artifactsOf(files);
}

function report(diagnostics: readonly Diagnostic[]): number {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  return hasErrors(diagnostics) ? EXIT.findings : EXIT.ok;
}
