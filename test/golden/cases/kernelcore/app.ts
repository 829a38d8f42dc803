import type { TailnetApp } from '../../../../src';
import { KernelcoreStack } from '../../../../stacks/kernelcore';

export function build(app: TailnetApp): void {
  new KernelcoreStack(app);
}
