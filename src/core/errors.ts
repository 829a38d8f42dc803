import type { Diagnostic, Severity } from './diagnostics';

/**
 * Error catalogue. Every diagnostic code is declared once, in a catalogue per area, so wording and codes stay
 * stable and tests refer to them by code. Ranges:
 *   TN1xxx constructs and IR rules of the policy model   (this file)
 *   TN2xxx NixOS hosts, nginx, firewall                  (src/constructs/nixos codes)
 *   TN3xxx Kubernetes, Headscale                         (their codes files)
 *   TN4xxx Terraform                                     (this file)
 *   TN5xxx policy files: parse, validate, inventory     (src/policy/codes.ts)
 *   TN6xxx policy lint                                   (src/policy/codes.ts)
 *   TN7xxx import, API client, drift                     (src/import/codes.ts)
 *   TN9xxx CLI and output writing                        (this file)
 */
export interface CodeInfo {
  readonly code: string;
  readonly severity: Severity;
  /** One-line summary used by `docs/diagnostics.md` and `--json`. */
  readonly title: string;
}

export function defineCodes<K extends string>(codes: Record<K, CodeInfo>): Record<K, CodeInfo> {
  return codes;
}

export const CORE_CODES = defineCodes({
  invalidTagName: { code: 'TN1001', severity: 'error', title: 'tag name breaks Tailscale tag syntax' },
  tagWithoutOwner: { code: 'TN1002', severity: 'error', title: 'tag has no owner' },
  undeclaredReference: {
    code: 'TN1003',
    severity: 'error',
    title: 'reference to a tag, group, host or ipset not declared in the stack',
  },
  nestedGroup: { code: 'TN1004', severity: 'error', title: 'group contains a group (Tailscale forbids nesting)' },
  selectorNotAllowedHere: { code: 'TN1005', severity: 'error', title: 'selector is not allowed in this position' },
  invalidPort: { code: 'TN1006', severity: 'error', title: 'port outside 1-65535 or malformed port range' },
  invalidCidr: { code: 'TN1007', severity: 'error', title: 'malformed IP address or CIDR' },
  duplicateDevice: { code: 'TN1008', severity: 'error', title: 'two devices share one name' },
  invalidHostname: { code: 'TN1009', severity: 'error', title: 'hostname is not a DNS label' },
  invalidAclAction: { code: 'TN1010', severity: 'error', title: 'ACL action other than accept' },
  invalidGroupName: { code: 'TN1011', severity: 'error', title: 'group name breaks Tailscale group syntax' },
  invalidUser: { code: 'TN1012', severity: 'error', title: 'user login is not an e-mail style identifier' },
  duplicateName: { code: 'TN1013', severity: 'error', title: 'two constructs declare the same policy name' },
  emptyRule: { code: 'TN1014', severity: 'error', title: 'rule is missing a required part' },
  invalidSshRule: { code: 'TN1015', severity: 'error', title: 'SSH rule breaks Tailscale SSH rules' },
  invalidDuration: { code: 'TN1016', severity: 'error', title: 'duration is malformed or out of range' },
  invalidAppCapability: { code: 'TN1017', severity: 'error', title: 'application capability name is malformed' },
  invalidProtocol: {
    code: 'TN1018',
    severity: 'error',
    title: 'unknown IP protocol or ports given for a port-less protocol',
  },
  invalidTest: { code: 'TN1019', severity: 'error', title: 'policy test is malformed' },
  invalidDevice: { code: 'TN1020', severity: 'error', title: 'device declaration is malformed' },
  invalidName: { code: 'TN1021', severity: 'error', title: 'name is malformed' },
  policyRejected: { code: 'TN1022', severity: 'error', title: 'synthesized policy fails validation' },
  invalidPosture: { code: 'TN1023', severity: 'error', title: 'posture condition is malformed' },
  constructValidation: {
    code: 'TN1025',
    severity: 'error',
    title: 'a construct validation (node.addValidation) failed',
  },
  lockedTree: { code: 'TN1024', severity: 'error', title: 'construct added after synthesis started' },
  invalidServiceName: { code: 'TN1080', severity: 'error', title: 'Tailscale Service name is not svc:<dns-label>' },
  untaggedServiceHost: { code: 'TN1081', severity: 'error', title: 'Tailscale Service hosted by an untagged device' },
  invalidService: { code: 'TN1082', severity: 'error', title: 'Tailscale Service declaration is malformed' },
  terraformLiteralSecret: { code: 'TN4001', severity: 'error', title: 'credential given as a literal value' },
  terraformSchema: { code: 'TN4002', severity: 'error', title: 'Terraform attribute not in the provider schema' },
  usage: { code: 'TN9001', severity: 'error', title: 'command-line usage error' },
  staleOutput: { code: 'TN9002', severity: 'error', title: 'committed output differs from a fresh synth' },
  foreignFile: { code: 'TN9003', severity: 'error', title: 'output path holds a file tailnet-cdk did not generate' },
  appFailed: { code: 'TN9004', severity: 'error', title: 'the app named in cdktf.json failed' },
  fileUnreadable: { code: 'TN9005', severity: 'error', title: 'input file cannot be read' },
});

/** Builds a diagnostic from a catalogue entry. */
export function diag(info: CodeInfo, path: string, message: string, hint?: string): Diagnostic {
  return hint === undefined
    ? { severity: info.severity, code: info.code, path, message }
    : { severity: info.severity, code: info.code, path, message, hint };
}
