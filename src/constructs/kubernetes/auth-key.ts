import { brand, hasBrand } from '../../core/brand';
import type { SecretKeyRefIr } from '../../ir/kubernetes';

/** Data key containerboot's reference recipe uses for the auth key (facts §2.2). */
export const AUTH_KEY_DATA_KEY = 'TS_AUTHKEY';

/**
 * An auth key the stack produces for a sidecar: on Tailscale's control plane a `tailscale_tailnet_key` that
 * Terraform writes into a Kubernetes Secret; on Headscale a pre-auth key that `headscale/bootstrap.sh` pipes into
 * the same Secret. Either way the key never appears in an artifact.
 */
export interface AuthKeyOptions {
  /** The key can register several devices (pod replacements, replicas). @default true */
  readonly reusable?: boolean;
  /** Devices disappear when they go offline. @default false */
  readonly ephemeral?: boolean;
  /** Devices skip device approval (Tailscale only; Headscale keys are always pre-authorized). @default true */
  readonly preauthorized?: boolean;
  /** Lifetime in days; Tailscale allows 1–90, Headscale any. @default 90 */
  readonly expiryDays?: number;
  /** Headscale user that owns the key (Headscale < 0.28 needs one even for tagged keys). @default - the namespace */
  readonly user?: string;
  /** Secret the key is written to, in the workload's namespace. @default - `<workload>-tailscale-auth` */
  readonly secretName?: string;
}

const SECRET_KEY_REF_BRAND = Symbol.for('tailnet-cdk.SecretKeyRef');

/**
 * A reference to one data key of a Secret in the workload's namespace (a `secretKeyRef`). `of` must name a key
 * some construct of the stack produces (another sidecar's generated key, for sharing); `external` declares a
 * Secret managed outside the stack (sops, External Secrets), which the stack then does not check.
 */
export class SecretKeyRef {
  static isSecretKeyRef(x: unknown): x is SecretKeyRef {
    return hasBrand(x, SECRET_KEY_REF_BRAND);
  }

  /** A key produced by this stack, e.g. `SecretKeyRef.of('june-idp-tailscale-auth')`. */
  static of(name: string, key: string = AUTH_KEY_DATA_KEY): SecretKeyRef {
    return new SecretKeyRef(name, key, false);
  }

  /** A Secret created outside the stack; you make sure it exists before the pods start. */
  static external(name: string, key: string = AUTH_KEY_DATA_KEY): SecretKeyRef {
    return new SecretKeyRef(name, key, true);
  }

  private constructor(
    readonly name: string,
    readonly key: string,
    readonly external: boolean,
  ) {
    brand(this, SECRET_KEY_REF_BRAND);
  }

  /** @internal */
  _lower(): SecretKeyRefIr {
    return { name: this.name, key: this.key, external: this.external };
  }
}
