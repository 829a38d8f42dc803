import { describe, expect, it } from 'vitest';
import { SecretKeyRef } from '../../../src';
import { IrTemplate } from '../../../src/core/testing';
import { podSpecAdditions } from '../../../src/emit/kubernetes/container';
import { sidecarRoleRules } from '../../../src/emit/kubernetes/rbac';
import { TAILSCALE_CONTROL } from '../../../src/ir/control-server';
import { envOf, fixture, HEADSCALE, ir, workload } from './helpers';

type Container = {
  env: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  securityContext: unknown;
};

function podSpec(f: ReturnType<typeof fixture>) {
  const lowered = ir(f);
  const w = lowered.kubernetes.workloads[0];
  const spec = podSpecAdditions(w, w.sidecar!, lowered.controlServer) as {
    containers: Container[];
    initContainers?: { securityContext: unknown; command: string[] }[];
    volumes?: unknown[];
  };
  return { w, spec, container: spec.containers[0] };
}

describe('TailscaleSidecar', () => {
  it('lowers a userspace sidecar with a generated key, a device and a workload node', () => {
    const f = fixture();
    workload(f);
    const lowered = ir(f);
    expect(lowered.kubernetes.workloads).toMatchObject([
      {
        name: 'api',
        namespace: 'apps',
        kind: 'Deployment',
        serviceAccount: { name: 'api-tailscale', create: true },
        sidecar: { hostname: 'api', tags: ['tag:svc'], userspace: true, image: 'ghcr.io/tailscale/tailscale:v1.102.3' },
      },
    ]);
    expect(lowered.kubernetes.authKeys).toMatchObject([
      {
        namespace: 'apps',
        secretName: 'api-tailscale-auth',
        secretKey: 'TS_AUTHKEY',
        reusable: true,
        expirySeconds: 90 * 86400,
      },
    ]);
    new IrTemplate(lowered).has('devices', { name: 'api', tags: ['tag:svc'], os: 'linux' });
  });

  it('writes the containerboot environment of facts §1.2 for Headscale, login server in TS_EXTRA_ARGS', () => {
    const f = fixture({ controlServer: HEADSCALE() });
    workload(f);
    const { container } = podSpec(f);
    expect(container.env.map((e) => e.name)).toEqual([
      'TS_KUBE_SECRET',
      'TS_USERSPACE',
      'TS_HOSTNAME',
      'TS_AUTH_ONCE',
      'TS_ACCEPT_DNS',
      'TS_EXTRA_ARGS',
      'TS_ENABLE_HEALTH_CHECK',
      'TS_LOCAL_ADDR_PORT',
      'TS_AUTHKEY',
      'POD_NAME',
      'POD_UID',
    ]);
    expect(envOf(container)).toMatchObject({
      TS_KUBE_SECRET: 'api-tailscale-state',
      TS_USERSPACE: 'true',
      TS_HOSTNAME: 'api',
      TS_EXTRA_ARGS: '--login-server=https://headscale.example.com --advertise-tags=tag:svc',
      TS_ENABLE_HEALTH_CHECK: 'true',
      TS_AUTHKEY: { secretKeyRef: { name: 'api-tailscale-auth', key: 'TS_AUTHKEY', optional: false } },
      POD_UID: { fieldRef: { fieldPath: 'metadata.uid' } },
    });
    expect(container.securityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('gives no --login-server on Tailscale, and omits the health check when turned off', () => {
    const f = fixture();
    workload(f, { sidecar: { healthCheck: false } });
    const env = envOf(podSpec(f).container);
    expect(env.TS_EXTRA_ARGS).toBe('--advertise-tags=tag:svc');
    expect(env.TS_ENABLE_HEALTH_CHECK).toBeUndefined();
  });

  it('runs kernel mode privileged and forwards routes through a privileged sysctl init container', () => {
    const f = fixture();
    workload(f, { sidecar: { userspace: false, routes: ['10.0.0.0/24'] } });
    const { spec, container } = podSpec(f);
    expect(container.securityContext).toEqual({ privileged: true });
    expect(envOf(container)).toMatchObject({
      TS_USERSPACE: 'false',
      TS_DEBUG_FIREWALL_MODE: 'auto',
      TS_ROUTES: '10.0.0.0/24',
    });
    expect(spec.initContainers?.[0].securityContext).toEqual({ privileged: true });
    expect(spec.initContainers?.[0].command.join(' ')).toContain('net.ipv4.ip_forward=1');
  });

  it('gives every StatefulSet pod its own state Secret, hostname and device', () => {
    const f = fixture();
    workload(f, { kind: 'StatefulSet', replicas: 3 });
    const { w, container } = podSpec(f);
    expect(envOf(container)).toMatchObject({
      TS_KUBE_SECRET: { fieldRef: { fieldPath: 'metadata.name' } },
      TS_HOSTNAME: { fieldRef: { fieldPath: 'metadata.name' } },
    });
    expect(sidecarRoleRules(w)[1]).toEqual({
      apiGroups: [''],
      resources: ['secrets'],
      resourceNames: ['api-0', 'api-1', 'api-2'],
      verbs: ['get', 'update', 'patch'],
    });
    expect(ir(f).devices.map((d) => d.name)).toEqual(['api-0', 'api-1', 'api-2']);
  });

  it('grants exactly the verbs of the upstream Role (facts §2.1)', () => {
    const f = fixture();
    workload(f);
    expect(sidecarRoleRules(ir(f).kubernetes.workloads[0])).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['api-tailscale-state'],
        verbs: ['get', 'update', 'patch'],
      },
      { apiGroups: [''], resources: ['events'], verbs: ['get', 'create', 'patch'] },
    ]);
  });

  it('keeps emptyDir state out of Secrets: empty TS_KUBE_SECRET, TS_STATE_DIR, only the events rule', () => {
    const f = fixture();
    workload(f, { replicas: 2, sidecar: { state: 'emptyDir', authKey: { ephemeral: true } } });
    const { w, spec, container } = podSpec(f);
    expect(envOf(container)).toMatchObject({ TS_KUBE_SECRET: '', TS_STATE_DIR: '/var/lib/tailscale' });
    expect(spec.volumes).toEqual([{ name: 'tailscale-state', emptyDir: {} }]);
    expect(sidecarRoleRules(w)).toEqual([
      { apiGroups: [''], resources: ['events'], verbs: ['get', 'create', 'patch'] },
    ]);
  });

  it('mounts the serve config from a ConfigMap', () => {
    const f = fixture();
    workload(f, { sidecar: { serve: { TCP: { '80': { TCPForward: '127.0.0.1:8080' } } } } });
    const { spec, container } = podSpec(f);
    expect(envOf(container).TS_SERVE_CONFIG).toBe('/etc/tailscale/serve/serve.json');
    expect(spec.volumes).toEqual([{ name: 'tailscale-serve', configMap: { name: 'api-tailscale-serve' } }]);
  });

  it('shares a key through authKeyRef without generating a second one', () => {
    const f = fixture();
    const first = workload(f);
    workload(f, { name: 'worker', sidecar: { authKey: first.sidecar!.authKeyRef } }, 'Worker');
    const lowered = ir(f);
    expect(lowered.kubernetes.authKeys).toHaveLength(1);
    expect(lowered.kubernetes.workloads[1].sidecar?.authKey).toEqual({
      name: 'api-tailscale-auth',
      key: 'TS_AUTHKEY',
      external: false,
    });
    expect(f.app.synthesize()[0].diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('binds the Role to a service account the workload brings, without creating one', () => {
    const f = fixture();
    workload(f, { serviceAccountName: 'keycloak', sidecar: { authKey: SecretKeyRef.external('sops-key') } });
    const w = ir(f).kubernetes.workloads[0];
    expect(w.serviceAccount).toEqual({ name: 'keycloak', create: false });
    expect(ir(f).kubernetes.authKeys).toEqual([]);
    expect(podSpecAdditions(w, w.sidecar!, TAILSCALE_CONTROL).serviceAccountName).toBe('keycloak');
  });
});
