import type { TailnetApp } from '../../../../src';
import { JunePlatformStack } from '../../../../stacks/june-platform';

/** The Headscale variant of the platform, with the optional STT service added in its one line. */
export function build(app: TailnetApp): void {
  new JunePlatformStack(app, 'june-platform', { withStt: true });
}
