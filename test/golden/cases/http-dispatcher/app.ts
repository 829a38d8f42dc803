import type { TailnetApp } from '../../../../src';
import { HttpDispatcherStack } from '../../../../stacks/http-dispatcher';

export function build(app: TailnetApp): void {
  new HttpDispatcherStack(app);
}
