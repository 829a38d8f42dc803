import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { formatHujson } from '../../src/core/canonical/hujson';

/**
 * A local Tailscale API v2 that answers as facts/tailscale-api.md documents, with bodies from
 * tailscale-api-fixtures.json (copied to test/fixtures/import/). Listens on 127.0.0.1, port chosen by the OS.
 * Faults are scripted per route and consumed one per request: a status (429 with or without Retry-After, 5xx), a
 * delay past the client's timeout, or a dropped connection.
 */
export const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'import');

export interface Fixture {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
}

export const API_FIXTURES = JSON.parse(
  fs.readFileSync(path.join(FIXTURES_DIR, 'tailscale-api-fixtures.json'), 'utf8'),
) as Record<string, Fixture>;

export type Route = 'devices' | 'acl' | 'token';

export type Fault =
  | { readonly status: number; readonly retryAfter?: string; readonly body?: unknown }
  | { readonly delayMs: number }
  | { readonly drop: true };

export interface MockOptions {
  readonly apiKey: string;
  readonly oauth?: { readonly clientId: string; readonly clientSecret: string; readonly accessToken: string };
  /** Device list body for fields=all. @default the listDevices_fieldsAll fixture */
  readonly devices?: unknown;
  /** Raw text served as the devices answer, for malformed-answer tests. */
  readonly devicesText?: string;
}

export interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly ifMatch?: string;
}

/** Tailnets the credential belongs to: `-`, the organization name and the tailnet ID (facts §1). */
const OWN_TAILNETS = new Set(['-', 'example.com', 'T1234CNTRL']);

export class MockTailscaleApi {
  readonly requests: LoggedRequest[] = [];
  policy = {
    text: API_FIXTURES.getPolicy_hujson.body as string,
    etag: API_FIXTURES.getPolicy_hujson.headers!.ETag.replace(/"/g, ''),
  };
  private readonly faults = new Map<Route, Fault[]>();
  private readonly server: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly options: MockOptions) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => json(res, 500, { message: String(e) }));
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues faults for the next requests to a route, in order. */
  script(route: Route, ...faults: Fault[]): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
  }

  /** Replaces the stored policy, as an edit in the admin console would. */
  setPolicy(text: string): void {
    this.policy = { text, etag: sha256(formatHujson(text)) };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    this.requests.push({
      method: req.method ?? '',
      url: url.pathname + url.search,
      authorization: req.headers.authorization,
      ifMatch: req.headers['if-match'] as string | undefined,
    });
    if (req.method === 'POST' && url.pathname === '/api/v2/oauth/token') return this.token(body, res);
    const m = /^\/api\/v2\/tailnet\/([^/]+)\/(devices|acl)$/.exec(url.pathname);
    if (!m) return json(res, 404, { message: 'not found' });
    const route = m[2] as Route;
    if (await this.fault(route, res)) return;
    if (!this.authorized(req.headers.authorization)) return json(res, 401, { message: 'API token invalid' });
    const tailnet = decodeURIComponent(m[1]);
    if (!OWN_TAILNETS.has(tailnet)) {
      if (tailnet.startsWith('T')) return json(res, 404, { message: 'Tailnet not found' });
      return json(res, 403, API_FIXTURES.error_wrongTailnet.body);
    }
    if (route === 'devices') return this.devices(url, res);
    if (req.method === 'POST') return this.postPolicy(req, body, res);
    return this.getPolicy(req, res);
  }

  private devices(url: URL, res: http.ServerResponse): void {
    if (this.options.devicesText !== undefined) {
      text(res, 200, this.options.devicesText, 'application/json');
      return;
    }
    const all = url.searchParams.get('fields') === 'all';
    const body = all
      ? (this.options.devices ?? API_FIXTURES.listDevices_fieldsAll.body)
      : API_FIXTURES.listDevices_fieldsDefault.body;
    json(res, 200, body);
  }

  private getPolicy(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.setHeader('ETag', `"${this.policy.etag}"`);
    if (req.headers.accept === 'application/json') json(res, 200, API_FIXTURES.getPolicy_json.body);
    else text(res, 200, this.policy.text, 'application/hujson');
  }

  private postPolicy(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && ifMatch !== `"${this.policy.etag}"`) {
      json(res, 412, API_FIXTURES.setPolicy_preconditionFailed.body);
      return;
    }
    this.setPolicy(body);
    res.setHeader('ETag', `"${this.policy.etag}"`);
    text(res, 200, this.policy.text, 'application/hujson');
  }

  private token(body: string, res: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    const o = this.options.oauth;
    const ok =
      o &&
      form.get('grant_type') === 'client_credentials' &&
      form.get('client_id') === o.clientId &&
      form.get('client_secret') === o.clientSecret;
    if (ok) json(res, 200, { ...(API_FIXTURES.oauthToken.body as object), access_token: o.accessToken });
    else json(res, 401, { message: 'invalid client credentials' });
  }

  /** Bearer or HTTP Basic with the token as user name and an empty password: both are documented. */
  private authorized(header: string | undefined): boolean {
    const valid = [this.options.apiKey, this.options.oauth?.accessToken].filter(Boolean);
    const bearer = /^Bearer (.+)$/.exec(header ?? '');
    if (bearer) return valid.includes(bearer[1]);
    const basic = /^Basic (.+)$/.exec(header ?? '');
    if (!basic) return false;
    const [user, password] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return password === '' && valid.includes(user);
  }

  private async fault(route: Route, res: http.ServerResponse): Promise<boolean> {
    const fault = this.faults.get(route)?.shift();
    if (!fault) return false;
    if ('drop' in fault) {
      res.socket?.destroy();
      return true;
    }
    if ('delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      return false;
    }
    if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
    const message =
      fault.status === 429 ? 'rate limit exceeded' : 'Request took too long to process, please try again later.';
    json(res, fault.status, fault.body ?? { message });
    return true;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  text(res, status, JSON.stringify(body), 'application/json');
}

function text(res: http.ServerResponse, status: number, body: string, contentType: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.end(body);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
