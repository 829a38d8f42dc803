import { z } from 'zod';

/**
 * IR of systemd services that live on the tailnet (the `systemdUnits` field of `StackSchema`): what a construct adds
 * to a service unit of a host — environment, ordering after tailscaled, a wait for the Tailscale address, the ports
 * it serves to the tailnet. The unit itself (ExecStart) stays the user's: on NixOS hosts this becomes
 * `systemd.services.<unit>` in the host's module, on other Linux hosts a drop-in file (`systemd/<host>/<unit>.service.d/`).
 */
const SourceSchema = z.object({ path: z.string().min(1) }).readonly();
const strings = z.array(z.string()).readonly();

/**
 * An environment variable: literal text, or the HTTP URL of a host by MagicDNS name, resolved by the emitter with the
 * stack's MagicDNS suffix (Tailscale's or Headscale's base domain), as every other MagicDNS name is.
 */
export const UnitEnvironmentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), name: z.string(), value: z.string() }).readonly(),
  z.object({ kind: z.literal('url'), name: z.string(), host: z.string(), port: z.number().int() }).readonly(),
]);

/** systemdUnits: sorted by host, unit, construct path */
export const SystemdUnitSchema = z
  .object({
    source: SourceSchema,
    /** MagicDNS base name of the host running the unit */
    host: z.string(),
    /** how the host is configured: a NixOS module, or drop-in files for a plain systemd distribution */
    platform: z.enum(['nixos', 'linux']),
    /** unit name without `.service` */
    unit: z.string(),
    description: z.string(),
    /** sorted, unit names with suffix */
    after: strings,
    /** sorted */
    wants: strings,
    /** sorted by name */
    environment: z.array(UnitEnvironmentSchema).readonly(),
    /** ExecStartPre waits until the host has a Tailscale IPv4 (bounded by startTimeoutSec) */
    waitForTailscale: z.boolean(),
    startTimeoutSec: z.number().int(),
    /** TCP ports the unit serves to the tailnet, sorted (NixOS opens them on the Tailscale interface only) */
    tailnetPorts: z.array(z.number().int()).readonly(),
  })
  .readonly();

export type UnitEnvironmentIr = z.infer<typeof UnitEnvironmentSchema>;
export type SystemdUnitIr = z.infer<typeof SystemdUnitSchema>;
