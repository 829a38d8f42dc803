import { describe, expect, it } from 'vitest';
import { ImportFailure } from '../../../src/import/failure';
import { importPolicy } from '../../../src/import/policy-import';
import { normalizePolicyText } from '../../../src/import/policy-normalize';
import { SRC, synthesizeGenerated } from './roundtrip';

/** How `import policy` writes each part of a policy as constructs (the round trip over all fixtures is elsewhere). */
function imported(text: string) {
  return importPolicy(text, { file: 'policy.hujson', importFrom: SRC, className: 'Imported' });
}

async function roundTrip(text: string): Promise<string> {
  const { policy, error } = await synthesizeGenerated(imported(text).code, 'Imported');
  expect(error).toBeUndefined();
  expect(normalizePolicyText(policy, 'out.hujson')).toEqual(normalizePolicyText(text, 'in.hujson'));
  return policy;
}

describe('import policy', () => {
  it('carries comments over to the construct they stood above', () => {
    const { code } = imported(`// Header of the file.
{
  // Who is who.
  "groups": {
    // The on-call rotation.
    "group:ops": ["carol@example.com"], // trailing, stays with the line
  },
  "tagOwners": {"tag:db": ["group:ops"]},
  "grants": [
    /* Ops reach the databases. */
    {"src": ["group:ops"], "dst": ["tag:db"], "ip": ["tcp:5432"]},
  ],
}`);
    expect(code).toContain('// Header of the file.\nexport class Imported extends TailnetStack {');
    expect(code).toContain("    // Who is who.\n    // The on-call rotation.\n    const ops = this.addGroup('Ops'");
    expect(code).toContain(
      "    // Ops reach the databases.\n    this.addGrant('Grant01OpsToDb', { src: [ops], dst: [db], ip: [Ip.tcp(5432)] });",
    );
    expect(code).not.toContain('trailing');
  });

  it('keeps the order of more than nine rules through zero-padded ids', async () => {
    const ssh = Array.from({ length: 12 }, (_, i) => ({
      action: i % 2 ? 'check' : 'accept',
      src: ['group:ops'],
      dst: ['tag:db'],
      users: [`u${i}`],
    }));
    const policy = { groups: { 'group:ops': ['carol@example.com'] }, tagOwners: { 'tag:db': [] }, grants: [], ssh };
    const out = await roundTrip(JSON.stringify(policy));
    expect([...out.matchAll(/"users":\s+\["(u\d+)"\]/g)].map((m) => m[1])).toEqual(ssh.map((r) => r.users[0]));
    expect(imported(JSON.stringify(policy)).code).toContain("this.addSshRule('Ssh12OpsToDb'");
  });

  it("imports a policy without acls or grants as defaultAccess: 'allow', and an empty grants list as deny", async () => {
    expect(imported('{"groups": {}}').code).toContain("super(scope, id, { defaultAccess: 'allow' });");
    await roundTrip('{"hosts": {"nas": "192.168.1.2"}}');
    expect(imported('{"grants": []}').code).toContain('super(scope, id);');
    await roundTrip('{"grants": []}');
  });

  it('writes [] tag owners as autogroup:admin, saying why', () => {
    const { code } = imported('{"tagOwners": {"tag:web": []}, "grants": []}');
    expect(code).toContain('`[]` in the policy file: shorthand for autogroup:admin');
    expect(code).toContain("this.addTag('Web', { owners: [Autogroup.ADMIN] });");
  });

  it('declares only what rules refer to as variables, and names constructs whose id differs', () => {
    const { code } = imported(`{"hosts": {"sql-server-1": "10.0.0.5", "nas": "10.0.0.6"},
      "postures": {"posture:latestMac": ["node:os == 'macos'"]},
      "grants": [{"src": ["*"], "dst": ["nas"], "ip": ["*"], "srcPosture": ["posture:latestMac"]}]}`);
    expect(code).toContain("    new Host(this, 'SqlServer1', { name: 'sql-server-1', address: '10.0.0.5' });");
    expect(code).toContain("    const nas = new Host(this, 'Nas', { address: '10.0.0.6' });");
    expect(code).toContain("const latestMac = new Posture(this, 'LatestMac', {\n      name: 'posture:latestMac',");
    expect(code).toContain(`conditions: ["node:os == 'macos'"],`);
    expect(code).toContain('srcPosture: [latestMac.name]');
  });

  it('keeps legacy ACLs as AclRule with their ports, protocol and legacy field names folded', async () => {
    const text = `{"groups": {"group:ops": ["bob@example.com"]}, "tagOwners": {"tag:dns": []},
      "acls": [{"action": "accept", "users": ["group:ops"], "proto": "udp", "ports": ["tag:dns:53", "[fd7a:115c:a1e0::1]:80,443", "*:*"]}]}`;
    const { code } = imported(text);
    expect(code).toContain("proto: 'udp'");
    expect(code).toContain("{ target: Address.of('fd7a:115c:a1e0::1'), ports: [80, 443] }");
    expect(code).toContain("{ target: ANY, ports: ['*'] }");
    await roundTrip(text);
  });

  it('notes what the constructs write differently: interleaved ipset entries, routes["0.0.0.0/0"]', async () => {
    const text = `{"tagOwners": {"tag:r": []}, "grants": [],
      "ipsets": {"ipset:a": ["add 10.0.0.0/8", "remove 10.1.0.0/16", "add 10.1.2.0/24"]},
      "autoApprovers": {"routes": {"0.0.0.0/0": ["tag:r"]}}}`;
    const { diagnostics } = imported(text);
    expect(diagnostics.map((d) => `${d.code} ${d.path}: ${d.message}`)).toEqual([
      'TN7031 policy.hujson:2:18: ipset "ipset:a": additions after a removal are moved before it',
      'TN7031 policy.hujson:3:36: autoApprovers route "0.0.0.0/0" is written as 0.0.0.0/1 and 128.0.0.0/1',
    ]);
    const { policy } = await synthesizeGenerated(imported(text).code, 'Imported');
    expect(policy).toContain('"0.0.0.0/1":   ["tag:r"]');
  });

  it('falls back to makeSelector where the constructs are stricter than Tailscale, and keeps tag spelling', () => {
    const { code } =
      imported(`{"tagOwners": {"tag:Web": []}, "grants": [{"src": ["*"], "dst": ["tag:web"], "ip": ["*"]}],
      "ssh": [{"action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self"], "users": ["autogroup:nonroot"]}],
      "sshTests": [{"src": "alice@example.com", "dst": ["bob@example.com"], "deny": ["root"]}]}`);
    expect(code).toContain("dst: [makeSelector('bob@example.com', 'user', ['sshDst', 'testDst'])]");
    expect(code).toContain("dst: [Tag.fromName('tag:web')]");
  });

  it('imports tests with posture attributes, one test per source, protocol and posture', async () => {
    const text = `{"groups": {"group:eng": ["alice@example.com"]}, "tagOwners": {"tag:web": []},
      "postures": {"posture:linux": ["node:os == 'linux'"]},
      "grants": [{"src": ["group:eng"], "dst": ["tag:web"], "ip": ["tcp:443"], "srcPosture": ["posture:linux"]}],
      "tests": [
        {"src": "group:eng", "accept": ["tag:web:443"], "srcPostureAttrs": {"node:os": "linux"}},
        {"src": "group:eng", "deny": ["tag:web:443"], "srcPostureAttrs": {"node:os": "windows"}},
        {"src": "group:eng", "proto": "udp", "deny": ["tag:web:53"]}]}`;
    const { code } = imported(text);
    expect(code).toContain("this.expect(eng, { srcPostureAttrs: { 'node:os': 'linux' } }).canReach(web, 443);");
    expect(code).toContain(
      "new PolicyTest(this, 'Test02Eng', { src: eng, srcPostureAttrs: { 'node:os': 'windows' } })\n      .cannotReach(web, 443);",
    );
    expect(code).toContain("this.expect(eng, 'udp').cannotReach(web, 53);");
    await roundTrip(text);
  });

  it('refuses an invalid policy with every validation error and writes no code', () => {
    let failure: ImportFailure | undefined;
    try {
      imported('{"grants": [{"src": ["tag:ghost"], "dst": ["group:nobody"], "ip": ["tcp:99999"]}]}');
    } catch (e) {
      failure = e as ImportFailure;
    }
    expect(ImportFailure.isImportFailure(failure)).toBe(true);
    const codes = failure!.diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['TN5004', 'TN5005', 'TN5009', 'TN7030']));
    expect(failure!.diagnostics.find((d) => d.code === 'TN5004')?.path).toMatch(/^policy\.hujson:1:\d+$/);
  });
});
