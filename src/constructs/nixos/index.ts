export { NIXOS_CODES } from './codes';
export { Agent, type AgentProps, Coordinator, type CoordinatorProps, type ServiceHost } from './dispatcher';
export { type ExitNodeOptions, NixosHost, type NixosHostProps } from './host';
export {
  type GrafanaOptions,
  type HealthCheckOptions,
  Monitoring,
  type MonitoringProps,
  type ScrapeTarget,
} from './monitoring';
export { type NixOptionValue, type PrioritizedValue, Priority } from './options';
export {
  NginxProxy,
  type NginxProxyProps,
  type ProxyReach,
  type ProxyTls,
  type RateLimitOptions,
  Reach,
  Tls,
} from './proxy';
export { AuthKey, type AuthKeySource, Secret, type SecretSource } from './secrets';
export { type SysctlSettings, Tuning, TuningPreset, type TuningProps } from './tuning';
export { FirewallZone, type FirewallZoneProps, TAILNET_RANGES, type ZonePort, type ZonePreset } from './zone';
