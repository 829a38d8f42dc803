import { z } from 'zod';
import { diag } from '../core/errors';
import { IMPORT_CODES } from './codes';
import { ImportFailure } from './failure';

/**
 * Shapes of the API answers we read (facts/tailscale-api.md §2.1, schema `Device`). What a command relies on is
 * required; everything else is optional but type-checked, and unknown fields pass through untouched, so the
 * inventory we write keeps every field the API sent. Real answers omit `tags` on untagged devices and `lastSeen`
 * on connected ones, send `created: ""` for external devices and Go's zero time as `expires`: all accepted.
 */
const strings = z.array(z.string());

const ClientConnectivitySchema = z.looseObject({
  endpoints: strings.optional(),
  mappingVariesByDestIP: z.boolean().nullish(),
  latency: z.record(z.string(), z.looseObject({ latencyMs: z.number(), preferred: z.boolean().optional() })).optional(),
  clientSupports: z.record(z.string(), z.boolean().nullable()).optional(),
});

export const ApiDeviceSchema = z.looseObject({
  /** Always sent by the API; optional so the declared inventory synth writes (devices.json) reads too. */
  id: z.string().optional(),
  nodeId: z.string().optional(),
  name: z.string().min(1),
  hostname: z.string(),
  addresses: strings,
  user: z.string(),
  os: z.string(),
  clientVersion: z.string().optional(),
  updateAvailable: z.boolean().optional(),
  created: z.string().optional(),
  connectedToControl: z.boolean().optional(),
  lastSeen: z.string().optional(),
  keyExpiryDisabled: z.boolean().optional(),
  expires: z.string().optional(),
  authorized: z.boolean().optional(),
  isExternal: z.boolean().optional(),
  isEphemeral: z.boolean().optional(),
  multipleConnections: z.boolean().optional(),
  machineKey: z.string().optional(),
  nodeKey: z.string().optional(),
  blocksIncomingConnections: z.boolean().optional(),
  tags: strings.optional(),
  advertisedRoutes: strings.optional(),
  enabledRoutes: strings.optional(),
  clientConnectivity: ClientConnectivitySchema.optional(),
  tailnetLockKey: z.string().optional(),
  tailnetLockError: z.string().optional(),
  sshEnabled: z.boolean().optional(),
  postureIdentity: z.looseObject({}).optional(),
  distro: z.looseObject({ name: z.string().optional(), version: z.string().optional() }).optional(),
});

export const DeviceListSchema = z.looseObject({ devices: z.array(ApiDeviceSchema) });

export type ApiDevice = z.infer<typeof ApiDeviceSchema>;
export type DeviceList = z.infer<typeof DeviceListSchema>;

export const OAuthTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive().optional(),
});

/** Error bodies carry `message` (and `data` on policy endpoints); anything else is shown as text. */
export function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body?.message === 'string' && body.message.trim() !== '') return body.message.trim();
  } catch {
    // not JSON: fall through to the raw text
  }
  const raw = text.trim();
  return raw === '' ? 'no message' : raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
}

/**
 * Parses JSON text with a schema; every problem is reported with its JSON path, e.g.
 * `devices[2].addresses: expected array, received string`.
 */
export function parseAnswer<T extends z.ZodType>(schema: T, text: string, where: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw ImportFailure.of(
      IMPORT_CODES.malformedAnswer,
      where,
      `answer is not JSON: ${(e as Error).message}`,
      'check that --api-url points at the Tailscale API',
    );
  }
  return checkValue(schema, value, where);
}

/**
 * Checks a value against a schema. On success the value itself is returned, not zod's copy: the schemas only
 * check (no defaults, no transforms), and the original keeps the API's field order in the inventories we write.
 */
export function checkValue<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return value as z.infer<T>;
  const diagnostics = parsed.error.issues
    .slice(0, 20)
    .map((issue) =>
      diag(
        IMPORT_CODES.malformedAnswer,
        where,
        `${jsonPath(issue.path) || '(top level)'}: ${issueText(issue)}`,
        'the answer does not have the shape the Tailscale API documents for this endpoint',
      ),
    );
  throw new ImportFailure(diagnostics);
}

function issueText(issue: z.core.$ZodIssue): string {
  const text = issue.message.replace(/^Invalid input: /, '');
  return text.endsWith('received undefined') ? `${text.replace(/, received undefined$/, '')}, but it is missing` : text;
}

export function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}
