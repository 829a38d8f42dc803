import { z } from 'zod';

/**
 * IR of Tailscale Services (`svc:<name>`, facts/tailscale-api.md §5): the virtual endpoint itself, read by the
 * Terraform emitter (`tailscale_service`) and the plain-host serve emitter. The policy side (grants to the
 * service, `autoApprovers.services`) lowers to the ordinary policy IR.
 */
const SourceSchema = z.object({ path: z.string().min(1) }).readonly();
const strings = z.array(z.string()).readonly();

/** One port of a Service and what answers it on each host (`tailscale serve --service=… --<protocol>=<port>`). */
export const ServicePortSchema = z
  .object({
    port: z.number().int(),
    /** `https`: the host terminates TLS with the Service's certificate; `http`/`tcp`: plain forwarding */
    protocol: z.enum(['tcp', 'http', 'https']),
    /** local target on each host, e.g. `http://127.0.0.1:8080` or `tcp://127.0.0.1:5432` */
    target: z.string(),
  })
  .readonly();

/** services: sorted by name; ports sorted by port; hostTags and tags sorted */
export const TailscaleServiceSchema = z
  .object({
    source: SourceSchema,
    /** `svc:<dns-label>` */
    name: z.string(),
    /** MagicDNS name `<label>.<tailnet suffix>` */
    dnsName: z.string(),
    ports: z.array(ServicePortSchema).readonly(),
    /** tags whose devices may host it (auto-approved) */
    hostTags: strings,
    /** ACL tags on the Service itself (`tailscale_service.tags`) */
    tags: strings,
    comment: z.string().optional(),
  })
  .readonly();

export type ServicePortIr = z.infer<typeof ServicePortSchema>;
export type TailscaleServiceIr = z.infer<typeof TailscaleServiceSchema>;
