import type { TailnetApp } from '../../../../src';
import { ClawbernetesStack } from '../../../../stacks/clawbernetes';

export function build(app: TailnetApp): void {
  new ClawbernetesStack(app);
}
