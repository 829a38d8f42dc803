import {
  type ApiDevice,
  checkValue,
  type DeviceList,
  DeviceListSchema,
  errorMessage,
  OAuthTokenSchema,
  parseAnswer,
} from './api-schemas';
import { IMPORT_CODES } from './codes';
import type { Credentials } from './credentials';
import type { DeviceCache } from './device-cache';
import { ImportFailure, redact, Secret } from './failure';
import {
  type Clock,
  DEFAULT_RETRY,
  type HttpAnswer,
  type HttpDeps,
  type RetryPolicy,
  SYSTEM_CLOCK,
  send,
} from './http';

/**
 * The few Tailscale API v2 endpoints import and drift need (facts/tailscale-api.md §2), on Node's fetch.
 * Every answer is checked before use; every failure becomes a diagnostic that says what to do about it.
 */
export const DEFAULT_BASE_URL = 'https://api.tailscale.com';

export interface ApiClientOptions {
  readonly credentials: Credentials;
  /** @default - `TAILSCALE_BASE_URL`'s value is passed by the CLI, else https://api.tailscale.com */
  readonly baseUrl?: string;
  /** Tailnet ID, organization name, or `-` for the credential's own tailnet. @default '-' */
  readonly tailnet?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Retry and cache notices. @default - stderr */
  readonly notify?: (message: string) => void;
  readonly fetch?: typeof fetch;
  /** Device-list cache; `false` turns it off. @default false */
  readonly cache?: DeviceCache | false;
}

export interface LivePolicy {
  /** The policy as stored, HuJSON with its comments. */
  readonly text: string;
  /** The ETag without its quotes: sha256 of hujson.Format of the stored policy (facts §2.2). */
  readonly etag: string;
}

export interface DeviceListAnswer {
  readonly list: DeviceList;
  /** Set when the answer came from the cache. */
  readonly cachedAgeMs?: number;
}

export class TailscaleApi {
  readonly baseUrl: string;
  readonly tailnet: string;
  private readonly deps: HttpDeps;
  private token?: { readonly value: Secret; readonly expiresAt: number };

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    this.tailnet = options.tailnet?.trim() || '-';
    this.deps = {
      retry: { ...DEFAULT_RETRY, ...options.retry },
      clock: options.clock ?? SYSTEM_CLOCK,
      random: options.random ?? Math.random,
      notify: (m) => (options.notify ?? ((t: string) => process.stderr.write(`${t}\n`)))(redact(m)),
      fetch: options.fetch ?? fetch,
    };
  }

  /** `GET /tailnet/{t}/devices?fields=…`, from the cache while it is fresh unless `fresh` is set. */
  async listDevices(options: { fields?: 'all' | 'default'; fresh?: boolean } = {}): Promise<DeviceListAnswer> {
    const fields = options.fields ?? 'all';
    const path = `${this.tailnetPath()}/devices?fields=${fields}`;
    const key = { baseUrl: this.baseUrl, tailnet: this.tailnet, fields };
    const cache = this.options.cache || undefined;
    const cached = options.fresh ? undefined : cache?.read(key);
    if (cached) {
      const list = checkValue(DeviceListSchema, cached.body, `cache ${cache!.fileFor(key)}`);
      return { list, cachedAgeMs: cached.ageMs };
    }
    const answer = await this.call('GET', path, { accept: 'application/json' });
    const list = parseAnswer(DeviceListSchema, answer.text, `GET ${path}`);
    cache?.write(key, JSON.parse(answer.text));
    return { list };
  }

  /** `GET /tailnet/{t}/acl` as HuJSON (comments kept) with its ETag. */
  async getPolicy(): Promise<LivePolicy> {
    const path = `${this.tailnetPath()}/acl`;
    const answer = await this.call('GET', path, { accept: 'application/hujson' });
    return { text: answer.text, etag: unquoteEtag(answer.headers.get('etag')) };
  }

  /**
   * `POST /tailnet/{t}/acl` with `If-Match` set to the ETag read before (gitops-pusher's apply), so a policy edited
   * in the meantime is never overwritten: the server answers 412 and nothing changes.
   */
  async setPolicy(text: string, ifMatch: string): Promise<LivePolicy> {
    const path = `${this.tailnetPath()}/acl`;
    const answer = await this.call('POST', path, {
      accept: 'application/hujson',
      contentType: 'application/hujson',
      body: text,
      ifMatch: `"${unquoteEtag(ifMatch)}"`,
    });
    return { text: answer.text, etag: unquoteEtag(answer.headers.get('etag')) };
  }

  private tailnetPath(): string {
    return `/api/v2/tailnet/${pathEscape(this.tailnet)}`;
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    options: { accept: string; contentType?: string; body?: string; ifMatch?: string },
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      Accept: options.accept,
      Authorization: await this.authorization(),
      'User-Agent': 'tailnet-cdk',
      ...(options.contentType ? { 'Content-Type': options.contentType } : {}),
      ...(options.ifMatch ? { 'If-Match': options.ifMatch } : {}),
    };
    const label = `${method} ${path}`;
    const answer = await send({ method, url: `${this.baseUrl}${path}`, headers, body: options.body, label }, this.deps);
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw statusFailure(answer, label, this.tailnet);
  }

  /** API keys go as a Bearer token; an OAuth client is first exchanged for a one-hour access token. */
  private async authorization(): Promise<string> {
    const c = this.options.credentials;
    if (c.kind === 'apiKey') return `Bearer ${c.key.reveal()}`;
    const now = this.deps.clock.now();
    if (!this.token || this.token.expiresAt <= now) this.token = await this.exchange(c, now);
    return `Bearer ${this.token.value.reveal()}`;
  }

  private async exchange(c: Extract<Credentials, { kind: 'oauth' }>, now: number) {
    const path = '/api/v2/oauth/token';
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret.reveal(),
    }).toString();
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
    const label = `POST ${path}`;
    const answer = await send({ method: 'POST', url: `${this.baseUrl}${path}`, headers, body, label }, this.deps);
    if (answer.status !== 200) {
      throw ImportFailure.of(
        IMPORT_CODES.oauthFailed,
        label,
        `the OAuth client "${c.clientId}" was refused (${answer.status}): ${redact(errorMessage(answer.text))}`,
        'check TAILSCALE_OAUTH_CLIENT_ID and the secret; the client may have been deleted in the admin console',
      );
    }
    const token = parseAnswer(OAuthTokenSchema, answer.text, label);
    // Renew a minute early so a long run never sends a token that expires in flight.
    const lifetimeMs = (token.expires_in ?? 3600) * 1000;
    return { value: new Secret(token.access_token), expiresAt: now + Math.max(0, lifetimeMs - 60_000) };
  }
}

/** Maps a final non-2xx answer to a diagnostic with a fix (401/403/404/412 have their own, facts §3). */
export function statusFailure(answer: HttpAnswer, label: string, tailnet: string): ImportFailure {
  const said = redact(errorMessage(answer.text));
  const fail = (info: (typeof IMPORT_CODES)[keyof typeof IMPORT_CODES], message: string, hint: string) =>
    ImportFailure.of(info, label, message, hint);
  switch (answer.status) {
    case 401:
      return fail(
        IMPORT_CODES.unauthorized,
        `the Tailscale API rejected the credentials (401: ${said})`,
        'API keys expire after 1-90 days: create a new one in the admin console (Settings > Keys), or use an OAuth client',
      );
    case 403:
      return fail(
        IMPORT_CODES.forbidden,
        `access denied for tailnet "${tailnet}" (403: ${said})`,
        `the tailnet must be the credential's own (use --tailnet - for it), and an OAuth client needs the scopes devices:core:read and policy_file:read`,
      );
    case 404:
      return fail(
        IMPORT_CODES.tailnetNotFound,
        `tailnet "${tailnet}" not found (404: ${said})`,
        'give the tailnet ID from Settings > General (e.g. T1234CNTRL), the organization name, or - for the default tailnet',
      );
    case 412:
      return fail(
        IMPORT_CODES.preconditionFailed,
        `the policy was changed since it was read (412: ${said}); nothing was overwritten`,
        'read the live policy again (tailnet-cdk drift shows what changed), then retry',
      );
    default:
      return fail(
        IMPORT_CODES.apiError,
        `unexpected answer ${answer.status}: ${said}`,
        answer.status >= 300 && answer.status < 400
          ? 'the API address redirects; give the final https address with --api-url'
          : 'see the message; the request itself may be malformed',
      );
  }
}

/**
 * `https://api.tailscale.com`, `https://api.tailscale.com/api/v2/` → `https://api.tailscale.com`. Plain http is
 * refused except to the loopback interface (the local test server): credentials never cross a network unencrypted.
 */
export function normalizeBaseUrl(raw: string): string {
  const fail = (message: string, hint: string) =>
    ImportFailure.of(IMPORT_CODES.invalidApiUrl, 'api-url', message, hint);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw fail(`"${redact(raw)}" is not a URL`, 'e.g. https://api.tailscale.com');
  }
  // Checked first, so the URL (which would then hold a password) is never echoed.
  if (url.username || url.password || url.search) {
    throw fail('the API URL may not carry a user, password or query', 'give only scheme, host and port');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw fail(
      `"${raw}" is not an https URL; credentials are only sent over https (plain http only to 127.0.0.1)`,
      'use https://…',
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/v2$/, '')}`;
}

/** Go's url.PathEscape: `@` and `:` stay literal, as the official clients send them (facts §1). */
function pathEscape(segment: string): string {
  return encodeURIComponent(segment).replace(/%40/g, '@').replace(/%3A/gi, ':');
}

function unquoteEtag(value: string | null): string {
  return (value ?? '')
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

export type { ApiDevice, DeviceList };
