import { z } from 'zod';
import { ControlServerSchema, TAILSCALE_CONTROL } from './control-server';
import { EMPTY_KUBERNETES, KubernetesSchema } from './kubernetes';
import { NixosSchema } from './nixos';
import { TailscaleServiceSchema } from './services';
import { SshConfigSchema } from './ssh-config';
import { SystemdUnitSchema } from './systemd';
import { WireguardSchema } from './wireguard';

/**
 * The intermediate representation: plain readonly data, the single source of truth for every emitter.
 * zod schemas define it; types are inferred. Every node carries `source.path`, the construct path it came from.
 *
 * Array order: each array says in a comment whether its order is meaningful. Where it is not, lowering sorts it by
 * the documented key, so the same stack gives the same bytes whatever the declaration order.
 */
export const SourceSchema = z.object({ path: z.string().min(1) }).readonly();
export type Source = z.infer<typeof SourceSchema>;

const strings = z.array(z.string()).readonly();
const jsonValue = z.unknown();
const appCaps = z.record(z.string(), z.array(jsonValue).readonly()).readonly();

/** groups: sorted by name; members sorted (order has no meaning in Tailscale). */
export const GroupSchema = z.object({ source: SourceSchema, name: z.string(), members: strings }).readonly();
/** tagOwners: sorted by name; owners sorted. */
export const TagOwnerSchema = z.object({ source: SourceSchema, name: z.string(), owners: strings }).readonly();
/** hosts: sorted by name. */
export const HostSchema = z.object({ source: SourceSchema, name: z.string(), address: z.string() }).readonly();
/** ipsets: sorted by name; `ops` keep declaration order (add/remove are applied in order). */
export const IpSetSchema = z.object({ source: SourceSchema, name: z.string(), ops: strings }).readonly();
/** postures: sorted by name; conditions sorted (all must hold, order has no meaning). */
export const PostureSchema = z.object({ source: SourceSchema, name: z.string(), conditions: strings }).readonly();

/** Rules (grants, acls, ssh, nodeAttrs, tests): sorted by construct path, so order follows ids, not declaration. */
export const GrantSchema = z
  .object({
    source: SourceSchema,
    comment: z.string().optional(),
    src: strings,
    dst: strings,
    ip: strings.optional(),
    app: appCaps.optional(),
    via: strings.optional(),
    srcPosture: strings.optional(),
  })
  .readonly();

export const AclSchema = z
  .object({
    source: SourceSchema,
    comment: z.string().optional(),
    action: z.literal('accept'),
    src: strings,
    proto: z.string().optional(),
    dst: strings,
    srcPosture: strings.optional(),
  })
  .readonly();

export const SshRuleSchema = z
  .object({
    source: SourceSchema,
    comment: z.string().optional(),
    action: z.enum(['accept', 'check']),
    src: strings,
    dst: strings,
    users: strings,
    checkPeriod: z.string().optional(),
    acceptEnv: strings.optional(),
    srcPosture: strings.optional(),
  })
  .readonly();

export const NodeAttrSchema = z
  .object({
    source: SourceSchema,
    comment: z.string().optional(),
    target: strings,
    attr: strings.optional(),
    app: appCaps.optional(),
    ipPool: strings.optional(),
  })
  .readonly();

/** Auto-approval entries; the policy emitter merges them per route/service. Sorted by (kind, target, path). */
export const AutoApproverSchema = z
  .object({
    source: SourceSchema,
    kind: z.enum(['route', 'exitNode', 'service']),
    /** route prefix or `svc:name`/`tag:x` for services; absent for exit nodes */
    target: z.string().optional(),
    approvers: strings,
  })
  .readonly();

export const PolicyTestSchema = z
  .object({
    source: SourceSchema,
    src: z.string(),
    proto: z.string().optional(),
    /** accept/deny keep declaration order: they read as the author's list of expectations */
    accept: strings,
    deny: strings,
    srcPostureAttrs: z.record(z.string(), jsonValue).readonly().optional(),
  })
  .readonly();

export const SshTestSchema = z
  .object({
    source: SourceSchema,
    src: z.string(),
    dst: strings,
    accept: strings,
    check: strings,
    deny: strings,
    srcPostureAttrs: z.record(z.string(), jsonValue).readonly().optional(),
  })
  .readonly();

export const TailnetSettingsSchema = z
  .object({
    disableIPv4: z.boolean().optional(),
    randomizeClientPort: z.boolean().optional(),
    OneCGNATRoute: z.enum(['', 'mac-always', 'mac-never']).optional(),
    derpMap: jsonValue.optional(),
  })
  .readonly();

export const PolicySchema = z
  .object({
    /** `deny`: no rules → `"grants": []` (deny-all). `allow`: no rules → no key at all (Tailscale's allow-all). */
    defaultAccess: z.enum(['deny', 'allow']),
    groups: z.array(GroupSchema).readonly(),
    tagOwners: z.array(TagOwnerSchema).readonly(),
    hosts: z.array(HostSchema).readonly(),
    ipsets: z.array(IpSetSchema).readonly(),
    postures: z.array(PostureSchema).readonly(),
    defaultSrcPosture: strings.optional(),
    grants: z.array(GrantSchema).readonly(),
    acls: z.array(AclSchema).readonly(),
    ssh: z.array(SshRuleSchema).readonly(),
    nodeAttrs: z.array(NodeAttrSchema).readonly(),
    autoApprovers: z.array(AutoApproverSchema).readonly(),
    tests: z.array(PolicyTestSchema).readonly(),
    sshTests: z.array(SshTestSchema).readonly(),
    settings: TailnetSettingsSchema,
  })
  .readonly();

/** Declared devices: sorted by name. The declared inventory (devices.json) is emitted from these. */
export const DeviceSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    user: z.string().optional(),
    /** sorted */
    tags: strings,
    ipv4: z.string(),
    ipv6: z.string(),
    os: z.string(),
    /** sorted */
    advertisedRoutes: strings,
    exitNode: z.boolean(),
  })
  .readonly();

/** How the Terraform provider authenticates: never a literal credential, only variables or the environment. */
export const TerraformSchema = z
  .object({
    source: SourceSchema,
    enabled: z.boolean(),
    auth: z.enum(['oauth', 'apiKey', 'environment']),
    tailnet: z.string().optional(),
    oauthScopes: strings.optional(),
    overwriteExistingPolicy: z.boolean(),
    resetPolicyOnDestroy: z.boolean(),
  })
  .readonly();

export const StackSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    tailnetDomain: z.string().optional(),
    magicDnsSuffix: z.string().optional(),
    policy: PolicySchema,
    devices: z.array(DeviceSchema).readonly(),
    terraform: TerraformSchema,
    /** Tailscale's control plane unless the stack names a Headscale server (src/ir/control-server.ts) */
    controlServer: ControlServerSchema.default(TAILSCALE_CONTROL),
    /** Kubernetes workloads, sidecars, operator objects (src/ir/kubernetes.ts) */
    kubernetes: KubernetesSchema.default(EMPTY_KUBERNETES),
    /** NixOS hosts (tailscale, nginx, nftables zones, sysctl) and monitoring (src/ir/nixos.ts) */
    nixos: NixosSchema.default({ hosts: [], monitoring: [] }),
    /** SSH client entries for machines managed over the tailnet (src/ir/ssh-config.ts) */
    sshConfig: SshConfigSchema.default({ hosts: [] }),
    /** what constructs add to systemd services of NixOS and plain Linux hosts (src/ir/systemd.ts) */
    systemdUnits: z.array(SystemdUnitSchema).readonly().default([]),
    /** WireGuard mode: the mesh replacing Tailscale as transport (src/ir/wireguard.ts) */
    wireguard: WireguardSchema.optional(),
    /** Tailscale Services, sorted by name (src/ir/services.ts) */
    services: z.array(TailscaleServiceSchema).readonly().default([]),
  })
  .readonly();

export type Group = z.infer<typeof GroupSchema>;
export type TagOwner = z.infer<typeof TagOwnerSchema>;
export type Host = z.infer<typeof HostSchema>;
export type IpSet = z.infer<typeof IpSetSchema>;
export type Posture = z.infer<typeof PostureSchema>;
export type GrantIr = z.infer<typeof GrantSchema>;
export type AclIr = z.infer<typeof AclSchema>;
export type SshRuleIr = z.infer<typeof SshRuleSchema>;
export type NodeAttrIr = z.infer<typeof NodeAttrSchema>;
export type AutoApproverIr = z.infer<typeof AutoApproverSchema>;
export type PolicyTestIr = z.infer<typeof PolicyTestSchema>;
export type SshTestIr = z.infer<typeof SshTestSchema>;
export type TailnetSettings = z.infer<typeof TailnetSettingsSchema>;
export type PolicyIr = z.infer<typeof PolicySchema>;
export type DeviceIr = z.infer<typeof DeviceSchema>;
export type TerraformIr = z.infer<typeof TerraformSchema>;
export type StackIr = z.infer<typeof StackSchema>;
