import type { SecretRefIr } from '../../ir/nixos';

/**
 * Where a secret file (a Tailscale auth key, an htpasswd file) comes from. There is deliberately no way to give
 * the secret itself: generated modules only ever name a file that sops-nix, agenix or the admin puts on the host
 * (DESIGN.md: secrets never appear in an artifact; facts/nixos.md §6).
 */
export interface SecretSource {
  readonly kind: 'sops' | 'agenix' | 'file';
  /** sops-nix / agenix secret name. */
  readonly name?: string;
  /** Where the decrypted file is at run time. */
  readonly path: string;
  /** sops-nix `sopsFile` or agenix `file` (absolute path), when the module should declare the secret itself. */
  readonly file?: string;
}

/** A Tailscale auth key (or OAuth client secret) file, read by `services.tailscale.authKeyFile`. */
export type AuthKeySource = SecretSource;

export interface SopsSecretOptions {
  /**
   * The sops file holding the secret (`sops.secrets.<name>.sopsFile`), absolute path.
   * @default - `sops.defaultSopsFile` of the host's configuration
   */
  readonly sopsFile?: string;
}

export interface AgenixSecretOptions {
  /**
   * The encrypted `.age` file (`age.secrets.<name>.file`), absolute path. Without it the module only references
   * `config.age.secrets.<name>.path` and the secret must be declared elsewhere (agenix has no default file).
   * @default - declared elsewhere
   */
  readonly file?: string;
}

export const Secret = {
  /** sops-nix: `config.sops.secrets.<name>.path` (`/run/secrets/<name>`; a name may contain `/`). */
  sops(name: string, options: SopsSecretOptions = {}): SecretSource {
    return {
      kind: 'sops',
      name,
      path: `/run/secrets/${name}`,
      ...(options.sopsFile ? { file: options.sopsFile } : {}),
    };
  },
  /** agenix: `config.age.secrets.<name>.path` (`/run/agenix/<name>`). */
  agenix(name: string, options: AgenixSecretOptions = {}): SecretSource {
    return { kind: 'agenix', name, path: `/run/agenix/${name}`, ...(options.file ? { file: options.file } : {}) };
  },
  /** A file the admin provisions by other means (absolute path). */
  file(path: string): SecretSource {
    return { kind: 'file', path };
  },
};

/** `AuthKey.sops('tailscale/authkey')` reads better at a host's `authKey` prop; same factories as `Secret`. */
export const AuthKey = Secret;

const SECRET_NAME = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
/** Tailscale key prefixes (auth keys, OAuth client secrets, API keys). */
const LITERAL_KEY = /^tskey-|^hskey-/;

/** Why a secret source is unusable, or undefined. `field` names the prop in the message. */
export function secretProblem(field: string, s: SecretSource): string | undefined {
  const values = [s.name, s.path, s.file].filter((v): v is string => v !== undefined);
  if (values.some((v) => LITERAL_KEY.test(v.trim()))) {
    return `${field}: a literal key was given; keys must never be written into a stack or an artifact`;
  }
  if (s.name !== undefined && !SECRET_NAME.test(s.name)) {
    return `${field}: secret name "${s.name}" is not a sops-nix/agenix name (letters, digits, '.', '_', '-', '/')`;
  }
  if (!s.path.startsWith('/')) return `${field}: "${s.path}" is not an absolute path`;
  if (s.file !== undefined && !s.file.startsWith('/')) return `${field}: file "${s.file}" is not an absolute path`;
  return undefined;
}

/** The IR form, with the user that must be able to read the file. */
export function secretRef(s: SecretSource, owner?: string): SecretRefIr {
  return {
    kind: s.kind,
    ...(s.name !== undefined ? { name: s.name } : {}),
    path: s.path,
    ...(s.file !== undefined ? { file: s.file } : {}),
    ...(owner !== undefined ? { owner } : {}),
  };
}
