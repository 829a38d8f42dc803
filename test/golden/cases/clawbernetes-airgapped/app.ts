import type { TailnetApp } from '../../../../src';
import { ClawbernetesAirgappedStack } from '../../../../stacks/clawbernetes-airgapped';

export function build(app: TailnetApp): void {
  new ClawbernetesAirgappedStack(app);
}
