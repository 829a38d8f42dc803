import { compareStrings } from '../core/diagnostics';
import type { LivePolicy } from './api-client';
import type { ApiDevice } from './api-schemas';
import { IMPORT_CODES } from './codes';
import { hostLabel, managed } from './device-import';
import { type DriftFinding, finding, setDetails, sorted } from './drift-findings';
import { comparePolicies, type PolicyDrift } from './drift-policy';

export type { DriftFinding } from './drift-findings';

/**
 * `drift`: the stack as synthesized (out/<stack>/policy.hujson and devices.json) against the live tailnet.
 * The policy is compared twice: by text, as gitops-pusher does (sha256 of hujson.Format of our file against the
 * live ETag, facts §4.2), and by meaning, section by section (normalized, so formatting and order do not count).
 * Devices are matched by MagicDNS host label.
 */
export interface DriftReport {
  readonly stack: string;
  readonly tailnet: string;
  readonly policy: PolicyDrift;
  /** Undefined when the stack declares no devices (no devices.json): device drift is then not checked. */
  readonly devices?: { readonly declared: number; readonly live: number };
  readonly findings: readonly DriftFinding[];
}

export interface DriftInput {
  readonly stack: string;
  readonly tailnet: string;
  readonly local: { readonly text: string; readonly file: string };
  readonly declaredDevices?: readonly ApiDevice[];
  readonly live: { readonly policy: LivePolicy; readonly devices: readonly ApiDevice[] };
}

export function computeDrift(input: DriftInput): DriftReport {
  const { summary, findings } = comparePolicies(input.local, input.live.policy, input.live.devices);
  const devices = input.declaredDevices
    ? compareDevices(input.declaredDevices, input.live.devices, findings)
    : undefined;
  return { stack: input.stack, tailnet: input.tailnet, policy: summary, ...(devices ? { devices } : {}), findings };
}

/** Device findings go to `out` sorted by device, then code, whatever order the lists came in. */
function compareDevices(declared: readonly ApiDevice[], liveAll: readonly ApiDevice[], out: DriftFinding[]) {
  const findings: DriftFinding[] = [];
  const live = managed(liveAll);
  const byLabel = new Map(live.map((d) => [hostLabel(d), d]));
  const declaredLabels = new Set(declared.map(hostLabel));
  for (const d of declared) {
    const label = hostLabel(d);
    const l = byLabel.get(label);
    if (!l)
      findings.push(
        finding(IMPORT_CODES.driftDeviceMissing, label, 'declared, but no such device is on the tailnet', []),
      );
    else compareDevice(label, d, l, findings);
  }
  for (const l of live) {
    if (declaredLabels.has(hostLabel(l))) continue;
    const who = (l.tags ?? []).length > 0 ? l.tags!.join(', ') : l.user;
    findings.push(
      finding(
        IMPORT_CODES.driftDeviceUnexpected,
        hostLabel(l),
        `on the tailnet (${who}, ${l.os}) but not declared`,
        [],
      ),
    );
  }
  out.push(...findings.sort((a, b) => compareStrings(a.subject, b.subject) || compareStrings(a.code, b.code)));
  return { declared: declared.length, live: live.length };
}

const EXIT = ['0.0.0.0/0', '::/0'];

function compareDevice(label: string, declared: ApiDevice, live: ApiDevice, findings: DriftFinding[]): void {
  const lower = (xs?: readonly string[]) => sorted((xs ?? []).map((x) => x.toLowerCase()));
  const [dt, lt] = [lower(declared.tags), lower(live.tags)];
  if (dt.join() !== lt.join()) {
    const message = `tags differ: declared ${dt.join(', ') || '(none)'}; live ${lt.join(', ') || '(none)'}`;
    findings.push(finding(IMPORT_CODES.driftDeviceTags, label, message, setDetails(dt, lt)));
  }
  const subnet = (xs?: readonly string[]) => sorted((xs ?? []).filter((r) => !EXIT.includes(r)));
  const [da, la] = [subnet(declared.advertisedRoutes), subnet(live.advertisedRoutes)];
  if (da.join() !== la.join()) {
    findings.push(
      finding(IMPORT_CODES.driftRoutes, label, 'advertises other subnet routes than declared', setDetails(da, la)),
    );
  }
  const unapproved = subnet(declared.enabledRoutes).filter(
    (r) => la.includes(r) && !(live.enabledRoutes ?? []).includes(r),
  );
  if (unapproved.length > 0) {
    const message = `routes advertised but not approved: ${unapproved.join(', ')}`;
    findings.push(
      finding(IMPORT_CODES.driftRoutesUnapproved, label, message, [
        'approve them in the admin console, or check the autoApprovers',
      ]),
    );
  }
  const exitProblem = exitNodeProblem(declared, live);
  if (exitProblem) findings.push(finding(IMPORT_CODES.driftExitNode, label, exitProblem, []));
}

function exitNodeProblem(declared: ApiDevice, live: ApiDevice): string | undefined {
  const has = (xs?: readonly string[]) => EXIT.some((r) => (xs ?? []).includes(r));
  const [declaredExit, liveAdvertises] = [has(declared.advertisedRoutes), has(live.advertisedRoutes)];
  if (declaredExit && !liveAdvertises) return 'declared as an exit node, but does not offer itself as one';
  if (!declaredExit && liveAdvertises) return 'offers itself as an exit node, but is not declared as one';
  if (declaredExit && has(declared.enabledRoutes) && !has(live.enabledRoutes)) {
    return 'exit node advertised but not approved (the stack auto-approves it)';
  }
  return undefined;
}
