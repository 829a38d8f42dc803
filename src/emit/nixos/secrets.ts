import { type NixAttrs, type NixValue, nix } from '../../core/canonical/nix';
import type { SecretRefIr } from '../../ir/nixos';

/**
 * Secret files in a module: a reference to where sops-nix or agenix put the decrypted file (facts/nixos.md §6),
 * never the secret. `config.sops.secrets."<name>".path` follows a `path` the user may have changed elsewhere.
 */
export function secretPathRef(s: SecretRefIr): NixValue {
  if (s.kind === 'sops') return nix.ref('config', 'sops', 'secrets', s.name ?? '', 'path');
  if (s.kind === 'agenix') return nix.ref('config', 'age', 'secrets', s.name ?? '', 'path');
  return s.path;
}

/**
 * Declarations of the secrets a host's module uses. sops-nix secrets are declared always (attrsOf submodule
 * definitions merge, so declaring one the user also declares is harmless); agenix ones only with their `.age`
 * file, which agenix requires. `owner` lets a service user (nginx) read the file.
 */
export function secretDeclarations(secrets: readonly SecretRefIr[]): NixAttrs {
  const sops: Record<string, NixValue> = {};
  const age: Record<string, NixValue> = {};
  for (const s of secrets) {
    const owner: NixAttrs = s.owner ? { owner: s.owner } : {};
    if (s.kind === 'sops' && s.name) sops[s.name] = { ...(s.file ? { sopsFile: s.file } : {}), ...owner };
    if (s.kind === 'agenix' && s.name && s.file) age[s.name] = { file: s.file, ...owner };
  }
  return {
    ...(Object.keys(sops).length > 0 ? { sops: { secrets: sops } } : {}),
    ...(Object.keys(age).length > 0 ? { age: { secrets: age } } : {}),
  };
}
