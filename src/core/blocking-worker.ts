import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * A worker thread that synchronous code can call: `call` posts a request and returns at once, `wait` blocks on
 * `Atomics.wait` until the worker has answered through a MessageChannel, read back with `receiveMessageOnPort`.
 * Emitters are synchronous pure functions and `synthesize()` stays synchronous for its many callers, so this is how
 * work moves to a second core (the policy analysis, Graphviz in wasm) without making the pipeline async.
 *
 * The worker is `unref()`ed and never keeps the process alive. Node has no library for a synchronous call into a
 * worker (synckit is one such, but it blocks at once and cannot overlap the call with other work), hence this file.
 */
export interface WorkerSpec {
  /**
   * The body of a CommonJS function run once in the worker (it sees `require` and `workerData`) that returns the
   * handler: `(request) => response`, or a promise of it. If the body throws, every call gets that error.
   */
  readonly handler: string;
  readonly workerData?: Record<string, unknown>;
  /** A hung worker must not hang synth forever. */
  readonly timeoutMs: number;
  /** Names the worker in error messages ("graphviz (wasm)", "policy analysis"). */
  readonly label: string;
}

export interface PendingCall<T> {
  /** Blocks until the answer arrives; throws a WorkerCallError when there is none. */
  wait(): T;
}

/**
 * Why a call has no answer: the handler threw (`handler`), the handler could not be loaded (`load`), the worker
 * stopped before answering (`stopped`: it exited or crashed), or it did not answer in time (`timeout`).
 */
export type WorkerFailure = 'handler' | 'load' | 'stopped' | 'timeout';

export class WorkerCallError extends Error {
  constructor(
    message: string,
    readonly reason: WorkerFailure,
    /** The error's stack inside the worker, when it threw. */
    readonly workerStack?: string,
  ) {
    super(message);
  }
}

// Every call is released, answered or not: after its reply, or when the worker exits (process.exit, an uncaught
// error) with calls still open, so that a caller blocked in Atomics.wait never waits out the timeout for a dead
// worker. A reply that cannot be copied to the calling thread becomes an error reply.
const MESSAGE_LOOP = `
const open = new Set();
const release = (flag) => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
process.on('exit', () => { for (const flag of open) release(flag); });
const describe = (e) => String((e && e.message) || e);
parentPort.on('message', async ({ request, port, signal }) => {
  const flag = new Int32Array(signal);
  open.add(flag);
  try {
    let reply;
    if (loadError !== undefined) {
      reply = { error: describe(loadError), stack: loadError && loadError.stack, reason: 'load' };
    } else {
      try {
        reply = { value: await handle(request) };
      } catch (e) {
        reply = { error: describe(e), stack: e && e.stack, reason: 'handler' };
      }
    }
    try {
      port.postMessage(reply);
    } catch (e) {
      port.postMessage({ error: 'its answer cannot be sent to the calling thread: ' + describe(e), reason: 'handler' });
    }
  } finally {
    port.close();
    open.delete(flag);
    release(flag);
  }
});
`;

export class BlockingWorker<Request, Response> {
  private worker: Worker | undefined;

  constructor(private readonly spec: WorkerSpec) {}

  /** Starts the thread (idempotent), so its start-up overlaps whatever the caller does before the first call. */
  start(): void {
    if (this.worker) return;
    const source = `const { parentPort, workerData } = require('node:worker_threads');
let handle;
let loadError;
try {
  handle = (() => {\n${this.spec.handler}\n})();
} catch (e) {
  loadError = e;
}
${MESSAGE_LOOP}`;
    const w = new Worker(source, { eval: true, workerData: this.spec.workerData ?? {} });
    w.unref();
    // A crashed worker is replaced on the next call instead of failing every later one.
    w.on('error', () => this.forget(w));
    w.on('exit', () => this.forget(w));
    this.worker = w;
  }

  call(request: Request): PendingCall<Response> {
    this.start();
    const worker = this.worker!;
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ request, port: port2, signal }, [port2]);
    return {
      wait: () => {
        const waited = Atomics.wait(new Int32Array(signal), 0, 0, this.spec.timeoutMs);
        const message = receiveMessageOnPort(port1)?.message as
          | { value: Response; error?: undefined }
          | { error: string; stack?: string; reason: WorkerFailure }
          | undefined;
        port1.close();
        if (waited === 'timed-out') {
          void worker.terminate();
          this.forget(worker);
          throw new WorkerCallError(
            `${this.spec.label} did not answer within ${this.spec.timeoutMs / 1000}s`,
            'timeout',
          );
        }
        if (!message) {
          this.forget(worker);
          throw new WorkerCallError(`${this.spec.label} stopped before answering`, 'stopped');
        }
        if (message.error !== undefined)
          throw new WorkerCallError(`${this.spec.label}: ${message.error}`, message.reason, message.stack);
        return message.value;
      },
    };
  }

  /** Ends the thread now (tests; the process never waits for it anyway). */
  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private forget(w: Worker): void {
    if (this.worker === w) this.worker = undefined;
  }
}

/**
 * Handler source that loads `exportName` of one of our modules in the worker, after calling its `prepareName`
 * export if given (to start work the first call will need). From the TypeScript sources (tests, an app run through
 * tsx) the worker registers tsx first, unless it inherited tsx's hooks through `execArgv`.
 */
export function moduleHandler(modulePath: string, exportName: string, prepareName?: string): string {
  const tsx = path.extname(modulePath) === '.ts' ? require.resolve('tsx/cjs/api') : undefined;
  const register = tsx
    ? `if (!require('node:module')._extensions['.ts']) require(${JSON.stringify(tsx)}).register();`
    : '';
  return `${register}
const loaded = require(${JSON.stringify(modulePath)});
${prepareName ? `loaded[${JSON.stringify(prepareName)}]();` : ''}
const handle = loaded[${JSON.stringify(exportName)}];
if (typeof handle !== 'function') throw new Error(${JSON.stringify(`${modulePath} exports no function ${exportName}`)});
return handle;`;
}
