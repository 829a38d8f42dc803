import { printJson } from '../../core/canonical/json';
import type { DeviceIr, StackIr } from '../../ir/types';
import { autoApproves, compilePolicy, makeDevice, validatePolicy } from '../../policy';
import type { EmittedFile, Emitter } from '../emitter';
import { policyDocument, policyValue } from '../policy/document';

export const INVENTORY_FILE = 'devices.json';

/**
 * `devices.json`: the stack's declared devices in the body format of the API's device list
 * (`GET /api/v2/tailnet/{tailnet}/devices?fields=all`), so `test`, `plan` and `explain` run on declared stacks and
 * live tailnets alike. A route is enabled when the stack's own autoApprovers approve it, as Tailscale would on
 * first advertisement.
 */
export const inventoryEmitter: Emitter = {
  name: 'inventory',
  emit(ir: StackIr): EmittedFile[] {
    if (ir.devices.length === 0) return [];
    const approve = approverFor(ir);
    const devices = ir.devices.map((d) => apiDevice(ir, d, approve));
    return [{ path: INVENTORY_FILE, content: printJson({ devices }) }];
  },
};

/**
 * Route approval through the engine's `autoApproves`, compiled over just what approval depends on (groups, tag
 * owners, autoApprovers) and just the devices that advertise routes: on a 10,000-device stack a full compile here
 * cost seconds (issue 9).
 */
function approverFor(ir: StackIr): (d: DeviceIr, route: string) => boolean {
  const routers = ir.devices.filter((d) => d.advertisedRoutes.length > 0);
  const full = policyValue(policyDocument(ir));
  if (routers.length === 0 || full.autoApprovers === undefined) return () => false;
  const value = Object.fromEntries(
    Object.entries({ groups: full.groups, tagOwners: full.tagOwners, autoApprovers: full.autoApprovers }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  const { policy } = validatePolicy({ value, file: 'policy.json' }, { dialect: 'tailscale' });
  if (!policy) return () => false; // an invalid policy is reported by synth's policy check; approve nothing here
  const devices = new Map(routers.map((d) => [d, makeDevice(deviceParts(ir, d, []))]));
  const compiled = compilePolicy(policy, { devices: [...devices.values()] });
  return (d, route) => autoApproves(compiled, devices.get(d)!, route);
}

function deviceParts(ir: StackIr, d: DeviceIr, enabledRoutes: readonly string[]) {
  return {
    name: `${d.name}.${ir.magicDnsSuffix}`,
    user: d.user ?? null,
    tags: d.tags,
    addresses: [d.ipv4, d.ipv6],
    advertisedRoutes: d.advertisedRoutes,
    enabledRoutes,
  };
}

/** Field order follows the API's documentation; identifiers derive from the name so they are stable. */
function apiDevice(
  ir: StackIr,
  d: DeviceIr,
  approve: (d: DeviceIr, route: string) => boolean,
): Record<string, unknown> {
  const enabledRoutes = d.advertisedRoutes.filter((r) => approve(d, r));
  return {
    addresses: [d.ipv4, d.ipv6],
    name: `${d.name}.${ir.magicDnsSuffix}`,
    hostname: d.name,
    // Tagged devices keep the user who registered them in the API; ours were declared, not registered.
    user: d.user ?? '',
    os: d.os,
    authorized: true,
    isExternal: false,
    ...(d.tags.length > 0 ? { tags: d.tags } : {}),
    advertisedRoutes: d.advertisedRoutes,
    enabledRoutes,
    declaredBy: d.source.path,
  };
}
