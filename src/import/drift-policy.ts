import { createHash } from 'node:crypto';
import { formatHujson, HujsonSyntaxError } from '../core/canonical/hujson';
import { type Inventory, makeDevice, type PolicyFile, validatePolicy } from '../policy';
import { type AccessChange, planAccess } from '../policy/plan';
import type { LivePolicy } from './api-client';
import type { ApiDevice } from './api-schemas';
import { IMPORT_CODES } from './codes';
import { type DriftFinding, finding, setDetails, sorted } from './drift-findings';
import { changedSections, normalizePolicy } from './policy-normalize';

/**
 * The policy half of `drift`, compared three ways: by text, as gitops-pusher does (sha256 of hujson.Format of our
 * file against the live ETag, facts §4.2); by section, normalized, so order and layout do not count (where the
 * edit is); and by access, through the engine's plan on the live devices (who gains or loses what).
 */
export interface PolicyDrift {
  readonly liveEtag: string;
  /** sha256 of hujson.Format of the synthesized policy: what the live ETag is when the two texts agree. */
  readonly localEtag: string;
  readonly textDiffers: boolean;
  readonly changedSections: readonly string[];
  /** Lines of the access plan from the stack's policy to the live one, on the live devices. */
  readonly accessChanges: number;
}

const MAX_ACCESS_FINDINGS = 50;

export function comparePolicies(
  local: { readonly text: string; readonly file: string },
  live: LivePolicy,
  liveDevices: readonly ApiDevice[],
): { summary: PolicyDrift; findings: DriftFinding[] } {
  const findings: DriftFinding[] = [];
  const localEtag = sha256(formatOrRaw(local.text, local.file));
  const textDiffers = localEtag !== live.etag;
  const ours = validatePolicy({ text: local.text, file: local.file }, { dialect: 'tailscale' }).policy;
  const theirs = validatePolicy({ text: live.text, file: 'live policy' }, { dialect: 'tailscale' }).policy;
  if (!theirs)
    findings.push(finding(IMPORT_CODES.driftPolicyAccess, 'policy', 'the live policy does not validate', []));
  const sections = ours && theirs ? sectionFindings(ours, theirs) : [];
  findings.push(...sections);
  const access = ours && theirs ? accessFindings(ours, theirs, liveDevices) : [];
  findings.push(...access.slice(0, MAX_ACCESS_FINDINGS));
  if (textDiffers && theirs && sections.length === 0) {
    const message = 'the live policy text differs (comments or layout), its meaning does not';
    findings.push(
      finding(IMPORT_CODES.driftPolicyText, 'policy', message, [`live ETag ${live.etag}`, `synthesized ${localEtag}`]),
    );
  }
  const changed = sections.map((f) => f.subject.replace(/^policy\./, ''));
  return {
    summary: { liveEtag: live.etag, localEtag, textDiffers, changedSections: changed, accessChanges: access.length },
    findings,
  };
}

function sectionFindings(ours: PolicyFile, theirs: PolicyFile): DriftFinding[] {
  const [a, b] = [normalizePolicy(ours), normalizePolicy(theirs)];
  return changedSections(a, b).map((s) =>
    finding(IMPORT_CODES.driftPolicyAccess, `policy.${s}`, `section "${s}" differs`, sectionDetails(a[s], b[s])),
  );
}

/** The engine's plan from the stack's policy (before) to the live one (after): what the live tailnet allows extra. */
function accessFindings(ours: PolicyFile, theirs: PolicyFile, liveDevices: readonly ApiDevice[]): DriftFinding[] {
  const plan = planAccess(ours, theirs, inventoryOfLiveDevices(liveDevices), { dialect: 'tailscale' });
  return plan.changes.map((c) =>
    finding(IMPORT_CODES.driftAccess, 'access', describe(c), c.src.devices.length > 0 ? [] : c.src.addresses),
  );
}

function describe(c: AccessChange): string {
  const what =
    c.kind === 'ssh' ? `SSH as ${(c.logins ?? []).map((l) => l.login).join(', ')}` : (c.access ?? []).join(', ');
  const family = c.family ? ` (${c.family})` : '';
  const verb = c.direction === 'gained' ? 'live allows' : c.direction === 'lost' ? 'live denies' : 'live changes';
  const note =
    c.direction === 'gained' ? ', which the stack does not' : c.direction === 'lost' ? ', which the stack allows' : '';
  return `${verb} ${c.src.label} -> ${c.dst.label}: ${what}${family}${note}`;
}

/** `+` only live, `-` only in the stack, `~` changed; maps by key, lists as sets. */
function sectionDetails(local: unknown, live: unknown): string[] {
  if (Array.isArray(local) && Array.isArray(live) && local.every((x) => typeof x === 'string')) {
    return setDetails(local as string[], live as string[]);
  }
  if (isRecord(local) && isRecord(live)) {
    return sorted([...new Set([...Object.keys(local), ...Object.keys(live)])]).flatMap((k) => {
      const [a, b] = [JSON.stringify(local[k]), JSON.stringify(live[k])];
      if (a === b) return [];
      if (a === undefined) return [`+ ${k}: ${b}`];
      if (b === undefined) return [`- ${k}: ${a}`];
      return [`~ ${k}: stack ${a}, live ${b}`];
    });
  }
  return [`- ${JSON.stringify(local)}`, `+ ${JSON.stringify(live)}`];
}

function formatOrRaw(text: string, file: string): string {
  try {
    return formatHujson(text, file);
  } catch (e) {
    if (e instanceof HujsonSyntaxError) return text;
    throw e;
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The engine's inventory of devices as the API lists them (already checked against the API's schema). */
export function inventoryOfLiveDevices(liveDevices: readonly ApiDevice[]): Inventory {
  const devices = liveDevices.map((d) =>
    makeDevice({
      name: d.name,
      user: d.user,
      tags: d.tags ?? [],
      addresses: d.addresses,
      advertisedRoutes: d.advertisedRoutes ?? [],
      enabledRoutes: d.enabledRoutes ?? [],
      isExternal: d.isExternal ?? false,
    }),
  );
  return { devices };
}
