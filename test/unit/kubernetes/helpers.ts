import {
  ControlServer,
  KubernetesWorkload,
  type KubernetesWorkloadProps,
  type Tag,
  type TailnetStackProps,
} from '../../../src';
import { lowerStack } from '../../../src/ir/lower';
import type { StackIr } from '../../../src/ir/types';
import { newStack } from '../../helpers';

export const HEADSCALE = (): ControlServer =>
  ControlServer.headscale({ url: 'https://headscale.example.com', magicDnsBaseDomain: 'tail.example.com' });

export interface Fixture {
  readonly app: ReturnType<typeof newStack>['app'];
  readonly stack: ReturnType<typeof newStack>['stack'];
  readonly tag: Tag;
}

/** A stack with a group-owned tag `tag:svc` (valid on Tailscale and Headscale alike). */
export function fixture(props: TailnetStackProps = {}): Fixture {
  const { app, stack } = newStack(props);
  const admins = stack.addGroup('Admins', { members: ['alice@example.com'] });
  const tag = stack.addTag('Svc', { name: 'tag:svc', owners: [admins] });
  return { app, stack, tag };
}

/** A workload `api` in namespace `apps` with a sidecar tagged `tag:svc`, plus overrides. */
export function workload(f: Fixture, props: Partial<KubernetesWorkloadProps> = {}, id = 'Api'): KubernetesWorkload {
  return new KubernetesWorkload(f.stack, id, {
    namespace: 'apps',
    ...props,
    sidecar: { tags: [f.tag], ...(props.sidecar ?? {}) },
  });
}

export function ir(f: Fixture): StackIr {
  return lowerStack(f.stack);
}

/** The files of the fixture's only stack after a full synth. */
export function files(f: Fixture): ReadonlyMap<string, string> {
  return f.app.synthesize()[0].files;
}

/** env name → value (or a short description of valueFrom) of the sidecar container in a pod spec. */
export function envOf(container: {
  env: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
}): Record<string, unknown> {
  return Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
}
