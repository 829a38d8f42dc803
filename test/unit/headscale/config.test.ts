import { describe, expect, it } from 'vitest';
import { Autogroup, ControlServer, Ip } from '../../../src';
import { parseYaml } from '../../../src/core/canonical/yaml';
import { HeadscaleConfigSchema } from '../../../src/emit/headscale/config-schema';
import { renderPolicyHujson } from '../../../src/emit/policy';
import { validatePolicy } from '../../../src/policy';
import { synthDiagnostics } from '../../helpers';
import { files, fixture, HEADSCALE, ir, workload } from '../kubernetes/helpers';

describe('headscale/config.yaml', () => {
  it("holds only documented keys, with the stack's server, DNS and prefixes", () => {
    const f = fixture({
      controlServer: ControlServer.headscale({
        url: 'https://headscale.example.com',
        magicDnsBaseDomain: 'tail.example.com',
        nameservers: { global: ['9.9.9.9'], split: { 'corp.example.com': ['10.0.0.53'] } },
        prefixes: { v6: null },
        derp: { embedded: { ipv4: '203.0.113.10' } },
        extraRecords: [{ name: 'grafana.tail.example.com', type: 'A', value: '100.64.0.3' }],
      }),
    });
    const config = HeadscaleConfigSchema.parse(parseYaml(files(f).get('headscale/config.yaml')!));
    expect(config).toMatchObject({
      server_url: 'https://headscale.example.com',
      prefixes: { v4: '100.64.0.0/10', allocation: 'sequential' },
      derp: { server: { enabled: true, region_id: 999, stun_listen_addr: '0.0.0.0:3478', ipv4: '203.0.113.10' } },
      dns: {
        magic_dns: true,
        base_domain: 'tail.example.com',
        override_local_dns: true,
        nameservers: { global: ['9.9.9.9'], split: { 'corp.example.com': ['10.0.0.53'] } },
      },
      policy: { mode: 'file', path: '/etc/headscale/policy.hujson' },
    });
    expect(config.prefixes.v6).toBeUndefined();
  });

  it('rejects keys Headscale 0.29 refuses or never had', () => {
    const f = fixture({ controlServer: HEADSCALE() });
    const config = parseYaml(files(f).get('headscale/config.yaml')!) as Record<string, unknown>;
    expect(HeadscaleConfigSchema.safeParse(config).success).toBe(true);
    for (const legacy of ['acl_policy_path', 'randomize_client_port', 'dns_config']) {
      expect(HeadscaleConfigSchema.safeParse({ ...config, [legacy]: 'x' }).success, legacy).toBe(false);
    }
    const dns = config.dns as Record<string, unknown>;
    expect(HeadscaleConfigSchema.safeParse({ ...config, dns: { ...dns, magicdns: true } }).success).toBe(false);
  });

  it("writes no headscale/ folder for a stack on Tailscale's control plane", () => {
    const f = fixture();
    expect([...files(f).keys()].filter((p) => p.startsWith('headscale/'))).toEqual([]);
  });
});

describe('headscale/policy.hujson', () => {
  it("is the stack's policy and loads in the Headscale dialect", () => {
    const f = fixture({ controlServer: HEADSCALE() });
    workload(f);
    f.stack.addGrant('AdminsToApi', {
      src: [f.stack.node.findChild('Admins') as never],
      dst: [f.tag],
      ip: [Ip.tcp(443)],
    });
    const text = files(f).get('headscale/policy.hujson')!;
    expect(text).toBe(renderPolicyHujson(ir(f)));
    expect(validatePolicy({ text, file: 'policy.hujson' }, { dialect: 'headscale' }).diagnostics).toEqual([]);
  });

  it('reports what only the Headscale dialect rejects (TN3017) at the stack', () => {
    const f = fixture({ controlServer: HEADSCALE() });
    // Headscale approves routes only for users, groups and tags, never autogroups (parseAutoApprover, §15).
    f.stack.addAutoApprover('Members', { approvers: [Autogroup.MEMBER], routes: ['10.0.0.0/24'] });
    const errors = synthDiagnostics(f.app).filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['TN3017']);
    expect(errors[0].path).toBe('test');
    expect(errors[0].message).toMatch(/^headscale\/policy\.hujson:\d+:\d+: /);
  });
});
