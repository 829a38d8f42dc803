import { z } from 'zod';
import type { Diagnostic } from '../core/diagnostics';
import { diag } from '../core/errors';
import { POLICY_CODES } from './codes';
import { formatIp, type IpAddress, isExitRoute, parseIp, parsePrefix } from './ip';
import type { PostureAttributes } from './model';
import { describePath, type JsonPath, positionLabel, type ValueSource } from './source';
import { type PolicyInput, readPolicySource } from './validate';

/**
 * Device inventory: the body of `GET /api/v2/tailnet/{tailnet}/devices` (facts/tailscale-api.md §2.1).
 * Identity (§13): a device with tags is *tagged* and has no user identity, whatever its `user` field says
 * (the API still reports who registered it); a device without tags is owned by `user`.
 */
export interface Device {
  /** MagicDNS FQDN as the API gives it, e.g. `web-1.tail4a2b9c.ts.net`. */
  readonly name: string;
  /** First DNS label of the name: `web-1`. */
  readonly shortName: string;
  /** Owner login; undefined for tagged devices. */
  readonly user?: string;
  readonly tags: readonly string[];
  readonly addresses: readonly string[];
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly advertisedRoutes: readonly string[];
  /** Routes an admin or an auto-approver enabled (the API's enabledRoutes). */
  readonly enabledRoutes: readonly string[];
  /** Enabled routes that are also advertised: the routes the device actually serves. */
  readonly approvedRoutes: readonly string[];
  /** An approved 0.0.0.0/0 or ::/0. */
  readonly isExitNode: boolean;
  /** Shared in from another tailnet (API `isExternal`). */
  readonly isExternal: boolean;
  readonly postureAttrs?: PostureAttributes;
}

export interface Inventory {
  readonly devices: readonly Device[];
}

export interface DeviceParts {
  readonly name: string;
  readonly user?: string | null;
  readonly tags?: readonly string[] | null;
  readonly addresses: readonly string[];
  readonly advertisedRoutes?: readonly string[] | null;
  readonly enabledRoutes?: readonly string[] | null;
  readonly isExternal?: boolean;
  readonly postureAttrs?: PostureAttributes;
}

/** Builds a Device, applying the identity rule and route approval. Addresses must already be valid. */
export function makeDevice(parts: DeviceParts, parsedAddresses?: readonly IpAddress[]): Device {
  const tags = [...(parts.tags ?? [])];
  // Parsed once: canonical text and family (this runs per device of 10,000-device inventories).
  const parsed = parts.addresses.map((a, i) => {
    const ip = parsedAddresses?.[i] ?? parseIp(a);
    return { text: ip ? formatIp(ip) : a, family: ip?.family };
  });
  const addresses = parsed.map((p) => p.text);
  const advertised = parts.advertisedRoutes ?? undefined;
  const enabled = [...(parts.enabledRoutes ?? [])];
  // An enabled route that is not advertised carries no traffic; without an advertised list (fields=default)
  // the enabled list is all we know.
  const approved = advertised ? enabled.filter((r) => advertised.some((a) => samePrefix(a, r))) : enabled;
  const label = parts.name.split('.')[0];
  return {
    name: parts.name,
    shortName: label,
    ...(tags.length === 0 && parts.user ? { user: parts.user } : {}),
    tags,
    addresses,
    ipv4: parsed.find((p) => p.family === 4)?.text,
    ipv6: parsed.find((p) => p.family === 6)?.text,
    advertisedRoutes: [...(advertised ?? [])],
    enabledRoutes: enabled,
    approvedRoutes: approved,
    isExitNode: approved.some((r) => {
      const p = parsePrefix(r);
      return p !== undefined && isExitRoute(p);
    }),
    isExternal: parts.isExternal ?? false,
    ...(parts.postureAttrs ? { postureAttrs: parts.postureAttrs } : {}),
  };
}

function samePrefix(a: string, b: string): boolean {
  const pa = parsePrefix(a);
  const pb = parsePrefix(b);
  return !!pa && !!pb && pa.family === pb.family && pa.first === pb.first && pa.last === pb.last;
}

/** The API's Device object: only the fields the engine needs are checked; the others pass through. */
const ApiDeviceSchema = z.looseObject({
  name: z.string().min(1),
  addresses: z.array(z.string()),
  user: z.string().optional(),
  tags: z.array(z.string()).nullish(),
  advertisedRoutes: z.array(z.string()).nullish(),
  enabledRoutes: z.array(z.string()).nullish(),
  isExternal: z.boolean().optional(),
  /** Extension (not in the API body): posture attributes, as `GET /device/{id}/attributes` returns them. */
  postureAttributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

const ApiDeviceListSchema = z.looseObject({ devices: z.array(z.unknown()) });

export interface InventoryParse {
  readonly inventory?: Inventory;
  readonly diagnostics: Diagnostic[];
}

/** Parses a device list body; every malformed device is reported with its position. */
export function parseInventory(input: PolicyInput): InventoryParse {
  const source = readPolicySource(input);
  if (!('value' in source)) return { diagnostics: [{ ...source, code: POLICY_CODES.invalidInventory.code }] };
  const diagnostics: Diagnostic[] = [];
  const error = (path: JsonPath, message: string, hint?: string) =>
    diagnostics.push(diag(POLICY_CODES.invalidInventory, positionLabel(source, path), message, hint));
  const list = ApiDeviceListSchema.safeParse(source.value);
  if (!list.success) {
    error([], 'inventory must be an object {"devices": [...]} (the body of GET /api/v2/tailnet/{tailnet}/devices)');
    return { diagnostics };
  }
  const devices: Device[] = [];
  list.data.devices.forEach((raw, i) => {
    const device = parseDevice(raw, ['devices', i], error);
    if (device) devices.push(device);
  });
  diagnostics.push(...findDuplicates(devices, source));
  return diagnostics.length > 0 ? { diagnostics } : { inventory: { devices }, diagnostics };
}

type ErrorSink = (path: JsonPath, message: string, hint?: string) => void;

type ApiDevice = z.infer<typeof ApiDeviceSchema>;

const isStrings = (x: unknown) => Array.isArray(x) && x.every((v) => typeof v === 'string');
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * The schema's checks written out, for the common case of a well-formed device: zod costs more than everything
 * else in reading a 10,000-device inventory. Anything this does not accept goes through zod, which reports why.
 */
function wellFormed(raw: unknown): ApiDevice | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const d = raw as Record<string, unknown>;
  if (typeof d.name !== 'string' || d.name === '' || !isStrings(d.addresses)) return undefined;
  if (d.user !== undefined && typeof d.user !== 'string') return undefined;
  if ([d.tags, d.advertisedRoutes, d.enabledRoutes].some((x) => x != null && !isStrings(x))) return undefined;
  if (d.isExternal !== undefined && typeof d.isExternal !== 'boolean') return undefined;
  const attrs = d.postureAttributes;
  if (attrs !== undefined && (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs))) return undefined;
  if (attrs !== undefined && !Object.values(attrs).every(isScalar)) return undefined;
  return d as ApiDevice;
}

function parseDevice(raw: unknown, base: JsonPath, error: ErrorSink): Device | undefined {
  const fast = wellFormed(raw);
  const parsed = fast ? { success: true as const, data: fast } : ApiDeviceSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = [...base, ...(issue.path as (string | number)[])];
      error(path, `${describePath(path)}: ${issue.message}`, 'see the Device object of the Tailscale API');
    }
    return undefined;
  }
  const d = parsed.data;
  let ok = true;
  // parsed once here, for the check and for makeDevice (two parses per address were 0.1 s at 10,000 devices)
  const ips = d.addresses.map((a, j) => {
    const ip = parseIp(a);
    if (!ip) {
      ok = false;
      error([...base, 'addresses', j], `${describePath([...base, 'addresses', j])}: "${a}" is not an IP address`);
    }
    return ip;
  });
  for (const field of ['advertisedRoutes', 'enabledRoutes'] as const) {
    (d[field] ?? []).forEach((r, j) => {
      if (!parsePrefix(r) || !r.includes('/')) {
        ok = false;
        error([...base, field, j], `${describePath([...base, field, j])}: "${r}" is not a CIDR`);
      }
    });
  }
  if ((d.tags ?? []).length === 0 && !d.user) {
    ok = false;
    error(
      base,
      `${describePath(base)}: device "${d.name}" has neither tags nor a user`,
      'every device is user-owned or tagged',
    );
  }
  if (!ok) return undefined;
  return makeDevice({ ...d, postureAttrs: d.postureAttributes }, ips as IpAddress[]);
}

function findDuplicates(devices: readonly Device[], source: ValueSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seenNames = new Map<string, number>();
  const seenAddresses = new Map<string, number>();
  devices.forEach((d, i) => {
    // Positions are computed only for the rare duplicate: locating parses the text for positions.
    const at = () => positionLabel(source, ['devices', i]);
    if (seenNames.has(d.name)) out.push(diag(POLICY_CODES.duplicateDevice, at(), `two devices are named "${d.name}"`));
    seenNames.set(d.name, i);
    for (const a of d.addresses) {
      if (seenAddresses.has(a))
        out.push(diag(POLICY_CODES.duplicateDevice, at(), `address ${a} belongs to two devices`));
      seenAddresses.set(a, i);
    }
  });
  return out;
}

/**
 * A device list read for questions about a few devices (`explain`): every device is checked for its shape and
 * the list for duplicate names and addresses (as written), but only the devices `keep` picks are parsed in full
 * (addresses, routes) and built. Reading all 10,000 devices of a large tailnet in full was a third of `explain`.
 * Whenever anything is wrong, the whole list is parsed as `parseInventory` does, for its diagnostics and
 * positions. Note the one difference: an address or route malformed on a device `keep` leaves out goes unnoticed
 * here (`tailnet-cdk test` and `plan` read every device).
 */
export function parseInventorySelected(input: PolicyInput, keep: (device: RawDevice) => boolean): InventoryParse {
  const source = readPolicySource(input);
  if (!('value' in source)) return parseInventory(input);
  const list = ApiDeviceListSchema.safeParse(source.value);
  if (!list.success) return parseInventory(input);
  const names = new Set<string>();
  const addresses = new Set<string>();
  const kept: unknown[] = [];
  for (const raw of list.data.devices) {
    const d = wellFormed(raw);
    if (!d || names.has(d.name) || d.addresses.some((a) => addresses.has(a))) return parseInventory(input);
    names.add(d.name);
    for (const a of d.addresses) addresses.add(a);
    if (keep(d)) kept.push(raw);
  }
  const parsed = parseInventory({ value: { devices: kept }, file: input.file });
  return parsed.diagnostics.length > 0 ? parseInventory(input) : parsed;
}

/** A device of the API's list, checked for shape only. */
export interface RawDevice {
  readonly name: string;
  readonly addresses: readonly string[];
  readonly advertisedRoutes?: readonly string[] | null;
}
