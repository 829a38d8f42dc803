import { z } from 'zod';

/**
 * Shape of the tailnet policy file (facts §2). These schemas check JSON types and unknown fields only;
 * the meaning of every string (selectors, ports, durations …) is checked by validate*.ts with Tailscale's messages.
 * Key names are canonical camelCase here; validate.ts first maps case variants and the legacy ACL aliases
 * (`users` = `src`, `ports` = `dst`) onto them.
 */
const strings = z.array(z.string());
const stringMap = <T extends z.ZodType>(value: T) => z.record(z.string(), value);
/** App capability map: cap name → array of opaque JSON objects (§6). */
const appCapabilities = stringMap(z.array(z.unknown()));

export const AclRuleSchema = z.strictObject({
  action: z.string(),
  src: strings,
  dst: strings,
  proto: z.string().optional(),
  srcPosture: strings.optional(),
});

export const GrantSchema = z.strictObject({
  src: strings,
  dst: strings,
  ip: strings.nullish(),
  app: appCapabilities.nullish(),
  srcPosture: strings.nullish(),
  via: strings.nullish(),
});

export const SshRuleSchema = z.strictObject({
  action: z.string().optional(),
  src: strings,
  dst: strings,
  users: strings.nullish(),
  checkPeriod: z.string().nullish(),
  acceptEnv: strings.nullish(),
  srcPosture: strings.nullish(),
});

export const AutoApproversSchema = z.strictObject({
  routes: stringMap(strings).optional(),
  exitNode: strings.optional(),
  services: stringMap(strings).optional(),
});

export const NodeAttrSchema = z.strictObject({
  target: strings,
  attr: strings.nullish(),
  app: appCapabilities.nullish(),
  ipPool: strings.nullish(),
});

const postureAttrs = stringMap(z.union([z.string(), z.number(), z.boolean()]));

export const PolicyTestSchema = z.strictObject({
  src: z.string(),
  proto: z.string().optional(),
  accept: strings.optional(),
  deny: strings.optional(),
  srcPostureAttrs: postureAttrs.optional(),
});

export const SshTestSchema = z.strictObject({
  src: z.string(),
  dst: strings,
  accept: strings.optional(),
  check: strings.optional(),
  deny: strings.optional(),
  srcPostureAttrs: postureAttrs.optional(),
});

/** Top-level sections: element schema for arrays (validated one element at a time), whole schema otherwise. */
export const SECTION_SCHEMAS = {
  acls: { element: AclRuleSchema },
  grants: { element: GrantSchema },
  ssh: { element: SshRuleSchema },
  nodeAttrs: { element: NodeAttrSchema },
  tests: { element: PolicyTestSchema },
  sshTests: { element: SshTestSchema },
  groups: { whole: stringMap(strings) },
  tagOwners: { whole: stringMap(strings) },
  hosts: { whole: stringMap(z.string()) },
  ipsets: { whole: stringMap(strings) },
  postures: { whole: stringMap(strings) },
  defaultSrcPosture: { whole: strings },
  autoApprovers: { whole: AutoApproversSchema },
  derpMap: { whole: z.record(z.string(), z.unknown()) },
  disableIPv4: { whole: z.boolean() },
  OneCGNATRoute: { whole: z.enum(['', 'mac-always', 'mac-never']) },
  randomizeClientPort: { whole: z.boolean() },
} as const satisfies Record<string, { element: z.ZodType } | { whole: z.ZodType }>;

export type SectionName = keyof typeof SECTION_SCHEMAS;
export const SECTION_NAMES = Object.keys(SECTION_SCHEMAS) as SectionName[];

/** §2/§15: headscale knows only these keys and rejects the others as unknown fields. */
export const HEADSCALE_SECTIONS: ReadonlySet<SectionName> = new Set<SectionName>([
  'groups',
  'hosts',
  'tagOwners',
  'acls',
  'grants',
  'nodeAttrs',
  'autoApprovers',
  'ssh',
  'tests',
  'sshTests',
  'randomizeClientPort',
]);

/** Legacy ACL field names still accepted by Tailscale (§2) but not by headscale (removed in 0.16). */
export const LEGACY_ACL_FIELDS: Readonly<Record<string, 'src' | 'dst'>> = { users: 'src', ports: 'dst' };

export type AclRule = z.infer<typeof AclRuleSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type SshRule = z.infer<typeof SshRuleSchema>;
export type AutoApprovers = z.infer<typeof AutoApproversSchema>;
export type NodeAttr = z.infer<typeof NodeAttrSchema>;
export type PolicyTest = z.infer<typeof PolicyTestSchema>;
export type SshTest = z.infer<typeof SshTestSchema>;
export type PostureAttributes = Readonly<Record<string, string | number | boolean>>;

/** A parsed policy file: canonical keys, legacy ACL aliases folded into src/dst, test `allow` folded into accept. */
export interface PolicyFile {
  acls?: AclRule[];
  grants?: Grant[];
  ssh?: SshRule[];
  groups?: Record<string, string[]>;
  tagOwners?: Record<string, string[]>;
  hosts?: Record<string, string>;
  ipsets?: Record<string, string[]>;
  postures?: Record<string, string[]>;
  defaultSrcPosture?: string[];
  autoApprovers?: AutoApprovers;
  nodeAttrs?: NodeAttr[];
  tests?: PolicyTest[];
  sshTests?: SshTest[];
  derpMap?: Record<string, unknown>;
  disableIPv4?: boolean;
  OneCGNATRoute?: '' | 'mac-always' | 'mac-never';
  randomizeClientPort?: boolean;
}

/** Where a rule lives in the file, so callers can show file:line and construct paths. */
export interface RuleRef {
  readonly section: 'acls' | 'grants' | 'ssh';
  readonly index: number;
}
