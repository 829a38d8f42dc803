import type { ITerraformDependable, TerraformStack } from 'cdktf';
import { terraformId } from '../../core/names';
import type { StackIr } from '../../ir/types';
import { TailscaleService } from './l1/services';

/**
 * One `tailscale_service` (provider ≥ 0.29) per declared Tailscale Service: its name and `tcp:<port>` entries, and
 * its own tags. Created after the policy, whose tagOwners must know those tags and whose autoApprovers approve the
 * hosts. Host assignment is not a resource: hosts advertise the Service themselves (`tailscale serve --service`).
 */
export function addTailscaleServices(ir: StackIr, stack: TerraformStack, policy?: ITerraformDependable): void {
  if (ir.controlServer.kind !== 'tailscale') return;
  for (const s of ir.services) {
    new TailscaleService(stack, terraformId(s.name.replace(/^svc:/, 'service_')), {
      name: s.name,
      ports: s.ports.map((p) => `tcp:${p.port}`),
      ...(s.tags.length > 0 ? { tags: [...s.tags] } : {}),
      ...(s.comment !== undefined ? { comment: s.comment } : {}),
      ...(policy ? { dependsOn: [policy] } : {}),
    });
  }
}
