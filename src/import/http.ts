import { diag } from '../core/errors';
import { IMPORT_CODES } from './codes';
import { ImportFailure, redact } from './failure';

/**
 * One HTTP exchange with bounded retries. Tailscale publishes no rate limits and no official client retries
 * (facts/tailscale-api.md §3), so this follows the usual practice: retry network errors, timeouts and 5xx with
 * exponential backoff and jitter, honour `Retry-After` on 429 (seconds or an HTTP date, capped), and say so on
 * stderr each time, so a slow run is never a silent one. Time is injected: tests run the whole schedule at once.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RetryPolicy {
  /** Per attempt, covering the whole answer including its body. @default 10 000 */
  readonly timeoutMs: number;
  /** Attempts in all, the first included. @default 5 */
  readonly maxAttempts: number;
  /** First backoff; doubles each retry. @default 500 */
  readonly baseDelayMs: number;
  /** @default 8 000 */
  readonly maxDelayMs: number;
  /** A longer `Retry-After` is cut to this, so a confused server cannot park the command for hours. @default 60 000 */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

export interface HttpDeps {
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  /** [0, 1), for jitter. */
  readonly random: () => number;
  /** Progress and retry notices (stderr in the CLI). */
  readonly notify: (message: string) => void;
  readonly fetch: typeof fetch;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** `GET /api/v2/tailnet/example.com/devices`: how the request is named in messages (never holds a secret). */
  readonly label: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

type Outcome = { readonly answer: HttpAnswer } | { readonly failure: string };

/** Sends `request`, retrying what is worth retrying; returns the first final answer (any non-retried status). */
export async function send(request: HttpRequest, deps: HttpDeps): Promise<HttpAnswer> {
  const { maxAttempts } = deps.retry;
  for (let attempt = 1; ; attempt++) {
    const retry = decide(await attemptOnce(request, deps), attempt, deps);
    if ('final' in retry) return retry.final;
    if (attempt >= maxAttempts) throw failureAfterRetries(request, retry.reason, maxAttempts, retry.status);
    deps.notify(
      `${request.label}: ${retry.reason}; retrying in ${seconds(retry.delayMs)} (attempt ${attempt + 1} of ${maxAttempts})`,
    );
    await deps.clock.sleep(retry.delayMs);
  }
}

interface Retry {
  readonly reason: string;
  readonly delayMs: number;
  readonly status?: number;
}

/** A final answer, or why and how long to wait before the next attempt. */
function decide(outcome: Outcome, attempt: number, deps: HttpDeps): { readonly final: HttpAnswer } | Retry {
  if ('failure' in outcome) return { reason: outcome.failure, delayMs: backoff(attempt, deps) };
  const { status, headers } = outcome.answer;
  if (status === 429) {
    const wait = retryAfter(headers.get('retry-after'), deps);
    const reason =
      wait === undefined ? 'rate limited (429)' : `rate limited (429), the server asks to wait ${seconds(wait)}`;
    return { reason, delayMs: wait ?? backoff(attempt, deps), status };
  }
  // 501 (e.g. deleting an external device) is a final answer, not a passing fault.
  if (status >= 500 && status !== 501) {
    return { reason: `server error (${status})`, delayMs: backoff(attempt, deps), status };
  }
  return { final: outcome.answer };
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries of many clients spread out. */
export function backoff(attempt: number, deps: Pick<HttpDeps, 'retry' | 'random'>): number {
  const ceiling = Math.min(deps.retry.maxDelayMs, deps.retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + deps.random() * (ceiling / 2));
}

/** `Retry-After: 7` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` → milliseconds (capped), else undefined. */
export function retryAfter(value: string | null, deps: Pick<HttpDeps, 'retry' | 'clock'>): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - deps.clock.now());
  }
  return Math.min(ms, deps.retry.maxRetryAfterMs);
}

async function attemptOnce(request: HttpRequest, deps: HttpDeps): Promise<Outcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, deps.retry.timeoutMs);
  try {
    // Redirects are not followed: an Authorization header must never travel to another host.
    const response = await deps.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: controller.signal,
      redirect: 'manual',
    });
    const text = await response.text();
    return { answer: { status: response.status, headers: response.headers, text } };
  } catch (e) {
    if (timedOut) return { failure: `no answer within ${seconds(deps.retry.timeoutMs)}` };
    return { failure: `network error (${networkReason(e)})` };
  } finally {
    clearTimeout(timer);
  }
}

function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return redact(cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)));
}

function failureAfterRetries(request: HttpRequest, reason: string, attempts: number, status?: number): ImportFailure {
  const info =
    status === 429
      ? IMPORT_CODES.rateLimited
      : status !== undefined
        ? IMPORT_CODES.serverError
        : IMPORT_CODES.networkError;
  const hint =
    status === 429
      ? 'the tailnet is being rate limited; wait a minute and run the command again'
      : status !== undefined
        ? 'the Tailscale API is having trouble; try again later (see https://status.tailscale.com)'
        : 'check the network and the API address (--api-url / TAILSCALE_BASE_URL)';
  return new ImportFailure([diag(info, request.label, `${reason}, giving up after ${attempts} attempts`, hint)]);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
