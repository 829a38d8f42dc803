import type { SecretKeyRef } from './kubernetes/auth-key';
import type { SecretSource } from './nixos/secrets';

/**
 * How a node logs in to the tailnet, besides a plain auth key file (`AuthKey.sops/agenix/file` on NixOS) or a
 * generated / referenced key Secret on Kubernetes (`SecretKeyRef`). Never a literal secret: each method names where
 * the secret is at run time. Which node kind accepts which method (the others are diagnostics):
 *
 * | method | NixOS host | Kubernetes sidecar |
 * |---|---|---|
 * | `NodeAuth.env(ref)` | no (TN2080): tailscaled-autoconnect reads a file | `TS_AUTHKEY` from the Secret |
 * | `NodeAuth.oauthClient(secret)` | `authKeyFile` + `authKeyParameters` | `TS_AUTHKEY=$(secret)?ephemeral=…&preauthorized=…` |
 * | `NodeAuth.workloadIdentity(…)` | no (TN2080): no OIDC issuer on bare metal | projected token + `tailscale_federated_identity` |
 *
 * OAuth and workload identity need tags (keys they mint belong to the tailnet) and Tailscale's API (not Headscale,
 * TN3080). facts/nixos.md §1 (`authKeyParameters`), kubernetes-headscale.md §1.2, tailscale-api.md §1.
 */
export type NodeAuthMethod = EnvAuth | OAuthClientAuth | WorkloadIdentityAuth;

export interface EnvAuth {
  readonly kind: 'env';
  /** The Secret key the container's `TS_AUTHKEY` is filled from. */
  readonly from: SecretKeyRef;
}

export interface OAuthKeyParameters {
  /** Devices disappear when they go offline. @default false */
  readonly ephemeral?: boolean;
  /** Devices skip device approval. @default true */
  readonly preauthorized?: boolean;
}

export interface OAuthClientAuth {
  readonly kind: 'oauthClient';
  /** Where the `tskey-client-…` secret is: a file on NixOS, a Secret key on Kubernetes. */
  readonly secret: SecretSource | SecretKeyRef;
  readonly ephemeral: boolean;
  readonly preauthorized: boolean;
}

export interface WorkloadIdentityOptions {
  /** OIDC issuer of the cluster's service-account tokens; a public https URL Tailscale can fetch keys from. */
  readonly issuer: string;
  /** `aud` of the projected token and of the federated identity. @default 'tailscale' */
  readonly audience?: string;
  /** Secret (in the workload's namespace) Terraform writes the federated identity's client ID to. @default - `<workload>-tailscale-wif` */
  readonly clientIdSecret?: string;
}

export interface WorkloadIdentityAuth {
  readonly kind: 'workloadIdentity';
  readonly issuer: string;
  readonly audience: string;
  readonly clientIdSecret?: string;
}

export const NodeAuth = {
  /** The auth key from an environment variable filled from a Secret (containers). */
  env: (from: SecretKeyRef): EnvAuth => ({ kind: 'env', from }),
  /** An OAuth client secret used as auth key, with key parameters; the node must advertise tags. */
  oauthClient: (secret: SecretSource | SecretKeyRef, parameters: OAuthKeyParameters = {}): OAuthClientAuth => ({
    kind: 'oauthClient',
    secret,
    ephemeral: parameters.ephemeral ?? false,
    preauthorized: parameters.preauthorized ?? true,
  }),
  /** Workload identity federation: a Kubernetes service-account token exchanged for a key (no stored secret). */
  workloadIdentity: (options: WorkloadIdentityOptions): WorkloadIdentityAuth => ({
    kind: 'workloadIdentity',
    issuer: options.issuer,
    audience: options.audience ?? 'tailscale',
    ...(options.clientIdSecret !== undefined ? { clientIdSecret: options.clientIdSecret } : {}),
  }),
};

const METHODS: ReadonlySet<string> = new Set(['env', 'oauthClient', 'workloadIdentity']);

export function isNodeAuthMethod(x: unknown): x is NodeAuthMethod {
  return typeof x === 'object' && x !== null && METHODS.has((x as { kind?: string }).kind ?? '');
}

/** Why a workload identity is unusable, or undefined. */
export function workloadIdentityProblem(w: WorkloadIdentityAuth): string | undefined {
  if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(w.issuer)) {
    return `authKey: issuer "${w.issuer}" is not a public https:// URL (Tailscale fetches the issuer's keys from it)`;
  }
  if (w.audience.trim() === '') return 'authKey: the workload identity audience is empty';
  return undefined;
}
