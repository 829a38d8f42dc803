import { afterEach, describe, expect, it } from 'vitest';
import { BlockingWorker, WorkerCallError } from '../../../src/core/blocking-worker';

const started: BlockingWorker<unknown, unknown>[] = [];

function worker<Req, Res>(handler: string, timeoutMs = 20_000): BlockingWorker<Req, Res> {
  const w = new BlockingWorker<Req, Res>({ label: 'test worker', handler, timeoutMs });
  started.push(w as BlockingWorker<unknown, unknown>);
  return w;
}

function failure(call: () => unknown): string | undefined {
  try {
    call();
  } catch (e) {
    return e instanceof WorkerCallError ? e.reason : `not a WorkerCallError: ${e}`;
  }
  return undefined;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop()));
});

describe('BlockingWorker', () => {
  it('answers synchronous and asynchronous handlers, several calls in flight, each with its own answer', () => {
    const w = worker<number, number>(
      'return async (n) => { await new Promise((r) => setTimeout(r, 5 * (3 - n))); return n * n; };',
    );
    const calls = [1, 2, 3].map((n) => w.call(n));
    // waited in the reverse order of posting: each call has its own channel
    expect(calls.reverse().map((c) => c.wait())).toEqual([9, 4, 1]);
    const sync = worker<string, string>('return (s) => s.toUpperCase();');
    expect(sync.call('abc').wait()).toBe('ABC');
  });

  it('lets the caller work while the worker computes, and passes structured data both ways', () => {
    const w = worker<{ items: number[] }, { sum: number; seen: Map<string, number> }>(
      "return ({ items }) => ({ sum: items.reduce((a, b) => a + b, 0), seen: new Map([['n', items.length]]) });",
    );
    const pending = w.call({ items: [1, 2, 3, 4] });
    let here = 0;
    for (let i = 0; i < 1000; i++) here += i;
    expect(here).toBe(499500);
    expect(pending.wait()).toEqual({ sum: 10, seen: new Map([['n', 4]]) });
  });

  it("rethrows the handler's error with its message and the stack from the worker", () => {
    const w = worker<number, number>("return (n) => { if (n < 0) throw new RangeError('negative: ' + n); return n; };");
    let error: unknown;
    try {
      w.call(-2).wait();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkerCallError);
    expect((error as WorkerCallError).message).toBe('test worker: negative: -2');
    expect((error as WorkerCallError).reason).toBe('handler');
    expect((error as WorkerCallError).workerStack).toMatch(/RangeError: negative: -2/);
    // the worker survives a failed call
    expect(w.call(5).wait()).toBe(5);
  });

  it('reports a handler that cannot load on every call instead of hanging', () => {
    const w = worker<number, number>("require('no-such-module-anywhere'); return (n) => n;");
    expect(() => w.call(1).wait()).toThrow(/test worker: Cannot find module 'no-such-module-anywhere'/);
    expect(failure(() => w.call(2).wait())).toBe('load');
  });

  it('releases the caller at once when the worker exits or crashes with calls open, and starts afresh', () => {
    const w = worker<string, string>(
      "return (how) => { if (how === 'exit') process.exit(3); if (how === 'crash') setTimeout(() => { throw new Error('boom'); }); return new Promise(() => {}); };",
      20_000,
    );
    for (const how of ['exit', 'crash']) {
      const started = Date.now();
      expect(failure(() => w.call(how).wait())).toBe('stopped');
      expect(Date.now() - started).toBeLessThan(10_000); // not the 20 s timeout
    }
    const fresh = worker<number, number>('return (n) => n + 1;');
    expect(fresh.call(1).wait()).toBe(2);
  });

  it('turns an answer that cannot be copied to the calling thread into an error', () => {
    const w = worker<number, unknown>('return () => () => 1;');
    expect(() => w.call(0).wait()).toThrow(/test worker: its answer cannot be sent to the calling thread/);
  });

  it('gives up on a worker that does not answer in time, and starts a fresh one for the next call', () => {
    const w = worker<number, number>(
      'return (n) => { if (n === 0) { const end = Date.now() + 2000; while (Date.now() < end); } return n; };',
      300,
    );
    expect(() => w.call(0).wait()).toThrow('test worker did not answer within 0.3s');
    expect(failure(() => w.call(0).wait())).toBe('timeout');
    expect(w.call(7).wait()).toBe(7);
  });
});
