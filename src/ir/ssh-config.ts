import { z } from 'zod';

/**
 * SSH client configuration for machines managed over the tailnet (`SshAccess`): one entry per managed machine,
 * reached by its MagicDNS name. The emitter (src/emit/ssh/) writes `ssh/config`; the policy side (ssh rule and
 * tcp/22 grant) lowers into the policy IR like any other rule. Paths only, never key material.
 */
const SourceSchema = z.object({ path: z.string().min(1) }).readonly();

export const SshHostSchema = z
  .object({
    source: SourceSchema,
    /** MagicDNS host label of the machine (`homeserver`); the FQDN adds the stack's MagicDNS suffix. */
    hostname: z.string(),
    /** Login on the machine. */
    user: z.string(),
    /** Path of the private key on the managing machine (`~/.ssh/id_ed25519`). */
    identityFile: z.string(),
    /** Selector the connections come from (`tag:hub`), for the comment above the entry. */
    from: z.string(),
  })
  .readonly();

/** hosts: sorted by (hostname, user, path). */
export const SshConfigSchema = z.object({ hosts: z.array(SshHostSchema).readonly() }).readonly();

export type SshHostIr = z.infer<typeof SshHostSchema>;
export type SshConfigIr = z.infer<typeof SshConfigSchema>;
