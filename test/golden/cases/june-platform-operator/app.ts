import type { TailnetApp } from '../../../../src';
import { JunePlatformOperatorStack } from '../../../../stacks/june-platform-operator';

/** The platform on Tailscale's control plane with the Tailscale operator. */
export function build(app: TailnetApp): void {
  new JunePlatformOperatorStack(app);
}
