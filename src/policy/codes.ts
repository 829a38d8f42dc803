import { defineCodes } from '../core/errors';

/**
 * TN5xxx: policy files (parse, validate), device inventories and policy tests. TN6xxx is reserved for lint.
 * Messages reuse Tailscale's wording where facts/tailscale-policy.md quotes it (§12).
 */
export const POLICY_CODES = defineCodes({
  syntax: { code: 'TN5001', severity: 'error', title: 'policy file is not valid HuJSON' },
  unknownField: { code: 'TN5002', severity: 'error', title: 'unknown section or field' },
  wrongType: { code: 'TN5003', severity: 'error', title: 'value has the wrong JSON type' },
  undefinedTag: { code: 'TN5004', severity: 'error', title: 'tag used but not defined in tagOwners' },
  undefinedGroup: { code: 'TN5005', severity: 'error', title: 'group used but not defined in groups' },
  undefinedHost: { code: 'TN5006', severity: 'error', title: 'host alias used but not defined in hosts' },
  undefinedName: { code: 'TN5007', severity: 'error', title: 'ipset or posture used but not defined' },
  invalidAction: { code: 'TN5008', severity: 'error', title: 'ACL action other than accept' },
  invalidPorts: { code: 'TN5009', severity: 'error', title: 'malformed port or port range' },
  invalidProtocol: { code: 'TN5010', severity: 'error', title: 'unknown protocol or ports on a port-less protocol' },
  selfAsSource: { code: 'TN5011', severity: 'error', title: 'autogroup:self used as a source' },
  selfWithBadSource: { code: 'TN5012', severity: 'error', title: 'autogroup:self destination with a non-user source' },
  dangerAllAsDestination: { code: 'TN5013', severity: 'error', title: 'autogroup:danger-all used as a destination' },
  autogroupNotAllowed: { code: 'TN5014', severity: 'error', title: 'autogroup not allowed in this position' },
  unknownAutogroup: { code: 'TN5015', severity: 'error', title: 'unknown autogroup' },
  emptyGrant: { code: 'TN5016', severity: 'error', title: 'grant without ip and app' },
  allAddressesGrant: { code: 'TN5017', severity: 'error', title: 'grant dst 0.0.0.0/0 or ::/0' },
  invalidCapability: { code: 'TN5018', severity: 'error', title: 'malformed or reserved application capability' },
  invalidVia: { code: 'TN5019', severity: 'error', title: 'via names something other than a defined tag' },
  nestedGroup: { code: 'TN5020', severity: 'error', title: 'group contains a group' },
  invalidTagName: { code: 'TN5021', severity: 'error', title: 'tag name breaks tag syntax' },
  invalidName: { code: 'TN5022', severity: 'error', title: 'group, ipset, posture or host name is malformed' },
  invalidSshAction: { code: 'TN5023', severity: 'error', title: 'SSH action missing or not accept/check' },
  invalidSshUsers: { code: 'TN5024', severity: 'error', title: 'SSH users missing or invalid' },
  invalidSshDestination: { code: 'TN5025', severity: 'error', title: 'SSH destination not allowed' },
  invalidCheckPeriod: { code: 'TN5026', severity: 'error', title: 'SSH checkPeriod malformed or out of range' },
  invalidAcceptEnv: { code: 'TN5027', severity: 'error', title: 'SSH acceptEnv value empty' },
  foreignDomain: { code: 'TN5028', severity: 'error', title: 'domain is not one of the tailnet domains' },
  invalidAddress: { code: 'TN5029', severity: 'error', title: 'malformed IP address, CIDR or target' },
  reservedRange: { code: 'TN5030', severity: 'error', title: 'address range reserved by Tailscale' },
  sshSecurityModel: { code: 'TN5031', severity: 'error', title: 'SSH rule breaks the SSH security model' },
  invalidSelector: { code: 'TN5032', severity: 'error', title: 'selector not allowed in this position' },
  invalidIpset: { code: 'TN5033', severity: 'error', title: 'ipset entry malformed or circular' },
  invalidPosture: { code: 'TN5034', severity: 'error', title: 'posture condition malformed' },
  invalidUser: { code: 'TN5035', severity: 'error', title: 'user identifier malformed for this dialect' },
  invalidTestEntry: { code: 'TN5036', severity: 'error', title: 'sshTests entry malformed' },
  mixedMemberSpelling: { code: 'TN5037', severity: 'error', title: 'autogroup:member and autogroup:members both used' },
  unsupportedInDialect: { code: 'TN5038', severity: 'error', title: 'feature not supported by this dialect' },
  internalServerError: { code: 'TN5039', severity: 'error', title: 'input SaaS answers with an internal server error' },
  invalidInventory: { code: 'TN5050', severity: 'error', title: 'device inventory is malformed' },
  duplicateDevice: { code: 'TN5051', severity: 'error', title: 'two devices share a name or an address' },
  testFailed: { code: 'TN5060', severity: 'error', title: 'policy test failed' },
});

/**
 * TN6xxx: `tailnet-cdk lint` findings. None of them makes Tailscale reject the file; they name access that is
 * probably not what the author meant, and definitions or rules that do nothing. Synth lints every policy it writes.
 */
export const LINT_CODES = defineCodes({
  unusedGroup: { code: 'TN6001', severity: 'warning', title: 'group defined but never used' },
  unusedTag: { code: 'TN6002', severity: 'warning', title: 'tag defined but never used' },
  unusedHost: { code: 'TN6003', severity: 'warning', title: 'host alias defined but never used' },
  unusedIpset: { code: 'TN6004', severity: 'warning', title: 'IP set defined but never used' },
  unusedPosture: { code: 'TN6005', severity: 'warning', title: 'posture defined but never used' },
  ruleMatchesNoDevice: { code: 'TN6010', severity: 'warning', title: 'rule source or destination matches no device' },
  redundantRule: { code: 'TN6011', severity: 'warning', title: 'rule made redundant by a broader rule' },
  duplicateRule: { code: 'TN6012', severity: 'info', title: 'rule allows exactly what another rule allows' },
  overBroadAccess: { code: 'TN6020', severity: 'warning', title: 'every source reaches every destination' },
  accidentalExitNode: { code: 'TN6021', severity: 'warning', title: 'dst "*" grants exit-node use as a side effect' },
  implicitAllowAll: { code: 'TN6022', severity: 'warning', title: 'no acls and no grants section: allow-all' },
  unownableTag: { code: 'TN6030', severity: 'warning', title: 'tag no one but an admin can apply' },
  testCoversNoRule: { code: 'TN6040', severity: 'info', title: 'test assertion exercises no rule (a guard only)' },
});
