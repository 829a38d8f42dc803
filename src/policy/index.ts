/** Policy engine: parse + validate policy files, device inventories, compile, evaluate, run policy tests. */
export { type CheckOptions, checkPolicy, type PolicyCheck, synthLintOptions } from './check';
export { POLICY_CODES } from './codes';
export { type CompiledPolicy, type CompileOptions, compilePolicy, type NetUnit } from './compile';
export type { SshLoginMap, SshUnit } from './compile-ssh';
export { DeviceAccess, type PortSet, type ProtoRange, portSetRanges } from './device-access';
export {
  autoApproves,
  canReach,
  type Endpoint,
  type ReachQuery,
  type ReachResult,
  type SshQuery,
  type SshResult,
  sshAccess,
} from './evaluate';
export {
  type Device,
  type DeviceParts,
  type Inventory,
  type InventoryParse,
  makeDevice,
  parseInventory,
} from './inventory';
export { INTERNET, type IpRange, parseIp, parsePrefix, RangeSet } from './ip';
export type { AclRule, Grant, NodeAttr, PolicyFile, PolicyTest, RuleRef, SshRule, SshTest } from './model';
export { withRepresentativeDevices } from './representatives';
export {
  ALL_PORTS,
  AUTOGROUPS,
  type AutogroupInfo,
  checkTag,
  classifySelector,
  DEFAULT_PROTOCOLS,
  type Dialect,
  isValidTagName,
  type PortRange,
  PROTOCOLS,
  parseGrantIp,
  parsePortRange,
  parseProtocol,
  type Selector,
  type SelectorPosition,
  TAG_NAME_RE,
} from './selectors';
export { type Expectation, runPolicyTests, type TestFailure, type TestResult } from './tests';
export {
  lazyLocate,
  type PolicyInput,
  type PolicyValidation,
  readPolicySource,
  type ValidateOptions,
  validatePolicy,
} from './validate';
