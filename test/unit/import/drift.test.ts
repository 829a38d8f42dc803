import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiDevice } from '../../../src/import/api-schemas';
import { computeDrift, type DriftInput } from '../../../src/import/drift';
import { formatDrift } from '../../../src/import/drift-format';
import { changedSections, normalizePolicyText } from '../../../src/import/policy-normalize';
import { FIXTURES } from './roundtrip';

/** Policy normalization (what counts as the same policy) and the drift findings built on it. */
const api = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tailscale-api-fixtures.json'), 'utf8'));
const POLICY: string = api.getPolicy_hujson.body;
const EDITED: string = api.getPolicy_afterConsoleEdit_hujson.body;
const DEVICES: ApiDevice[] = api.listDevices_fieldsAll.body.devices;

function norm(text: string) {
  const n = normalizePolicyText(text, 'p.hujson');
  if (!n) throw new Error('invalid test policy');
  return n;
}

describe('normalizePolicy', () => {
  it('treats order, duplicates, [] tag owners and implicit "add" as the same policy', () => {
    const a = `{"groups": {"group:a": ["x@e.com", "y@e.com"]}, "tagOwners": {"tag:t": []},
      "ipsets": {"ipset:s": ["10.0.0.0/8"]},
      "grants": [{"src": ["group:a"], "dst": ["tag:t"], "ip": ["tcp:22"]}, {"src": ["*"], "dst": ["*"], "ip": ["udp:53"]}],
      "tests": [{"src": "x@e.com", "accept": ["tag:t:22"]}, {"src": "x@e.com", "deny": ["tag:t:80"]}]}`;
    const b = `{"tests": [{"src": "x@e.com", "accept": ["tag:t:22"], "deny": ["tag:t:80"]}],
      "grants": [{"src": ["*"], "dst": ["*"], "ip": ["udp:53"]}, {"src": ["group:a", "group:a"], "dst": ["tag:t"], "ip": ["tcp:22"]}],
      "ipsets": {"ipset:s": ["add 10.0.0.0/8"]}, "tagOwners": {"tag:t": ["autogroup:admin"]},
      "groups": {"group:a": ["y@e.com", "x@e.com"]}}`;
    expect(changedSections(norm(a), norm(b))).toEqual([]);
  });

  it('keeps ssh rules in order (the first match decides) and tells allow-all from deny-all', () => {
    const rules = (order: string[]) =>
      `{"tagOwners": {"tag:s": []}, "grants": [], "ssh": [${order.map((a) => `{"action": "${a}", "src": ["autogroup:member"], "dst": ["tag:s"], "users": ["root"]}`).join(',')}]}`;
    expect(changedSections(norm(rules(['accept', 'check'])), norm(rules(['check', 'accept'])))).toEqual(['ssh']);
    expect(changedSections(norm('{}'), norm('{"grants": []}'))).toEqual(['access']);
  });

  it('finds the console edit of the fixtures in groups only', () => {
    expect(changedSections(norm(POLICY), norm(EDITED))).toEqual(['groups']);
  });
});

describe('computeDrift', () => {
  const base: DriftInput = {
    stack: 'demo',
    tailnet: 'example.com',
    local: { text: POLICY, file: 'out/demo/policy.hujson' },
    declaredDevices: DEVICES,
    live: { policy: { text: POLICY, etag: api._meta.policyETag }, devices: DEVICES },
  };

  it("reports nothing when the live tailnet is the declared one (our ETag equals the server's)", () => {
    const r = computeDrift(base);
    expect(r.policy).toMatchObject({ textDiffers: false, localEtag: api._meta.policyETag, changedSections: [] });
    expect(r.findings).toEqual([]);
    expect(formatDrift(r, 'text')).toMatch(/no drift\n$/);
  });

  it('reports a console edit by section with the changed member', () => {
    const r = computeDrift({
      ...base,
      live: { ...base.live, policy: { text: EDITED, etag: api._meta.policyETag_afterConsoleEdit } },
    });
    expect(r.policy.textDiffers).toBe(true);
    expect(r.findings).toEqual([
      expect.objectContaining({
        code: 'TN7061',
        subject: 'policy.groups',
        details: ['~ group:ops: stack ["carol@example.com"], live ["carol@example.com","dave@example.com"]'],
      }),
    ]);
  });

  it("reports who gains or loses access through the engine's plan on the live devices", () => {
    const edited = POLICY.replace('["alice@example.com", "bob@example.com"]', '["alice@example.com"]');
    const r = computeDrift({ ...base, live: { ...base.live, policy: { text: edited, etag: 'other' } } });
    expect(r.policy.accessChanges).toBe(1);
    expect(r.findings.map((f) => `${f.code} ${f.subject}: ${f.message}`)).toEqual([
      'TN7061 policy.groups: section "groups" differs',
      'TN7068 access: live denies bob@example.com (1 device) -> tag:server (1 device): tcp:22,443, which the stack allows',
    ]);
    expect(formatDrift(r, 'text')).toContain('1 access change(s) on the live devices');
  });

  it('reports device drift: exit node lost, routes no longer approved, extra exit node', () => {
    const live = structuredClone(DEVICES);
    const exit = live.find((d) => d.hostname === 'exit-fra-1')!;
    exit.advertisedRoutes = [];
    exit.enabledRoutes = [];
    live.find((d) => d.hostname === 'office-router')!.enabledRoutes = [];
    live.find((d) => d.hostname === 'web-1')!.advertisedRoutes = ['0.0.0.0/0', '::/0'];
    const r = computeDrift({ ...base, live: { ...base.live, devices: live } });
    expect(r.findings.map((f) => `${f.code} ${f.subject}: ${f.message}`)).toEqual([
      'TN7066 exit-fra-1: declared as an exit node, but does not offer itself as one',
      'TN7065 office-router: routes advertised but not approved: 192.168.10.0/24',
      'TN7066 web-1: offers itself as an exit node, but is not declared as one',
    ]);
  });

  it('reports a live policy that does not validate, and skips devices when none are declared', () => {
    const r = computeDrift({
      ...base,
      declaredDevices: undefined,
      live: { ...base.live, policy: { text: '{"acls": [{"action": "drop"}]}', etag: 'x' } },
    });
    expect(r.findings.map((f) => f.message)).toEqual(['the live policy does not validate']);
    expect(r.devices).toBeUndefined();
    expect(formatDrift(r, 'markdown')).toContain('the stack declares no devices (no devices.json): not compared');
  });
});
