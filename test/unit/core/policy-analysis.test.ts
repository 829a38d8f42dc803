import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStack, generateModel, SIZES } from '../../../bench/stack-generator';
import { ANY, Autogroup, Grant, Ip, Tag, TailnetApp } from '../../../src';
import { BlockingWorker } from '../../../src/core/blocking-worker';
import {
  analysisWorker,
  policyAnalyzer,
  WORKER_THRESHOLD_CONSTRUCTS,
  workerAnalyzer,
} from '../../../src/core/policy-analysis';
import { type SynthesizedPolicy, synthesizedPolicy } from '../../../src/emit/policy/check';
import { REPORT_FILE, reportEmitter } from '../../../src/emit/report';
import { analyzeStackPolicy, type PolicyAnalysis } from '../../../src/emit/report/analysis';
import { newStack, tmpDir } from '../../helpers';

/** A generated tailnet of bench size S, emitted up to the files the analysis reads. */
function benchInput(): SynthesizedPolicy {
  const app = new TailnetApp({ outdir: tmpDir('analysis'), cdktfOutdir: tmpDir('analysis-cdktf') });
  buildStack(app, generateModel(SIZES.S));
  const [result] = app.synthesize({ policyAnalysis: 'inline' });
  return synthesizedPolicy(result.ir, result.files)!;
}

const input = benchInput();

afterAll(async () => {
  await analysisWorker().stop();
});

describe('the policy analysis of a stack', () => {
  it('is plain data, and the worker thread answers it with exactly what the calling thread computes', () => {
    const here = analyzeStackPolicy(input);
    expect(structuredClone(here)).toEqual(here);
    // straight from the worker, without the fallback to this thread
    const there: PolicyAnalysis = analysisWorker().call(input).wait();
    expect(there).toEqual(here);
    expect(here.report.sections.join('\n')).toContain('<svg');
  });

  it('falls back to the calling thread when the worker fails (auto), and fails with the worker otherwise', () => {
    const broken = new BlockingWorker<SynthesizedPolicy, PolicyAnalysis>({
      label: 'broken analysis',
      handler: "throw new Error('cannot load the engine');",
      timeoutMs: 10_000,
    });
    try {
      expect(workerAnalyzer(broken, { fallback: true }).analyze(input).wait()).toEqual(analyzeStackPolicy(input));
      const strict = workerAnalyzer(broken, { fallback: false }).analyze(input);
      expect(() => strict.wait()).toThrow('broken analysis: cannot load the engine');
    } finally {
      void broken.stop();
    }
  });

  it('runs on a worker only for a large tailnet, unless asked, and never with TAILNET_CDK_WORKERS=0', () => {
    expect(policyAnalyzer('auto', 50).mode).toBe('inline');
    expect(policyAnalyzer('inline', 1_000_000).mode).toBe('inline');
    expect(policyAnalyzer('worker', 50).mode).toBe('worker');
    const twoCores = availableParallelism() >= 2;
    expect(policyAnalyzer('auto', WORKER_THRESHOLD_CONSTRUCTS).mode).toBe(twoCores ? 'worker' : 'inline');
    process.env.TAILNET_CDK_WORKERS = '0';
    try {
      expect(policyAnalyzer('worker', 1_000_000).mode).toBe('inline');
    } finally {
      delete process.env.TAILNET_CDK_WORKERS;
    }
  });
});

describe('the report emitter on its own', () => {
  it('runs the same analysis and writes the report synth writes', () => {
    const app = new TailnetApp({ outdir: tmpDir('analysis'), cdktfOutdir: tmpDir('analysis-cdktf') });
    buildStack(app, generateModel(SIZES.S));
    const [result] = app.synthesize({ policyAnalysis: 'inline' });
    const others = new Map([...result.files].filter(([file]) => file !== REPORT_FILE));
    expect(reportEmitter.emit(result.ir, others)).toEqual([
      { path: REPORT_FILE, content: result.files.get(REPORT_FILE) },
    ]);
  });
});

describe('synth of a generated tailnet', () => {
  it('writes the same files and findings with the analysis inline and on a worker thread', () => {
    const synth = (policyAnalysis: 'inline' | 'worker') => {
      const app = new TailnetApp({ outdir: tmpDir('analysis'), cdktfOutdir: tmpDir('analysis-cdktf') });
      buildStack(app, generateModel(SIZES.S));
      return app.synthesize({ policyAnalysis }).map((r) => ({ files: [...r.files], diagnostics: r.diagnostics }));
    };
    expect(synth('worker')).toEqual(synth('inline'));
  });
});

describe('synth with the analysis on a worker thread', () => {
  it('fails as inline does when a policy test fails, in a stack that declares no device', () => {
    const failing = (policyAnalysis: 'inline' | 'worker') => {
      const { app, stack } = newStack();
      const server = new Tag(stack, 'Server', { owners: [Autogroup.ADMIN] });
      const client = new Tag(stack, 'Client', { owners: [Autogroup.ADMIN] });
      new Grant(stack, 'ClientsEverything', { src: [client], dst: [ANY], ip: [Ip.ALL] });
      stack.expect(client).cannotReach(server, 22);
      try {
        app.synthesize({ policyAnalysis });
      } catch (e) {
        return (e as Error).message;
      }
      return 'synth succeeded';
    };
    const message = failing('worker');
    expect(message).toMatch(/TN5060/);
    expect(message).toBe(failing('inline'));
  });
});
