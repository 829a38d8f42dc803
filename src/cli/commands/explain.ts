import type { Dialect } from '../../policy';
import { compilePolicy } from '../../policy/compile';
import { explainAccess, explainInventory, explainKeeps, type NetworkExplanation } from '../../policy/explain';
import type { EndpointSummary, RuleVerdict } from '../../policy/explain-reasons';
import { explainSsh, type SshExplanation } from '../../policy/explain-ssh';
import { parseInventorySelected } from '../../policy/inventory';
import { parseIp } from '../../policy/ip';
import type { RuleRef } from '../../policy/model';
import { EXIT, UsageError } from '../exit';
import { formatDiagnosticStyled, out, outJson, type Style, styleFor } from '../output';
import {
  formatRule,
  inventoryProblem,
  loadPolicyFile,
  type RuleLocator,
  readInputFile,
  ruleJson,
  siblingDevices,
  siblingServices,
} from '../policy-files';

export interface ExplainOptions {
  readonly devices?: string;
  readonly proto?: string;
  readonly sshUser?: string;
  readonly dialect?: Dialect;
  readonly json?: boolean;
  readonly limit?: string;
}

/**
 * `tailnet-cdk explain <policy> <src> <dst>:<port>`: accepted or denied, the rules that grant it, or the nearest
 * rules and why each misses. With `--ssh-user` the SSH policy is explained instead, plus whether tcp/22 is open.
 * Exit 0 when the traffic (or SSH login) goes through, 1 when it does not or the input is invalid.
 */
export function run(policyFile: string, src: string, dst: string, opts: ExplainOptions): number {
  const target = parseTarget(dst, opts);
  const devicesFile = opts.devices ?? siblingDevices(policyFile);
  if (!devicesFile) throw new UsageError('explain needs a device inventory: pass --devices <file>');
  const style = styleFor();
  const policy = loadPolicyFile(policyFile, opts.dialect ?? 'tailscale');
  const services = siblingServices(policyFile);
  // one explanation depends on its endpoints and the routers only: the other devices are checked, not built
  const keep = explainKeeps([src, target.host], services);
  const inventory = parseInventorySelected({ text: readInputFile(devicesFile), file: devicesFile }, keep);
  if (!policy.validation.policy || !inventory.inventory) {
    const problems = [
      ...policy.validation.diagnostics,
      ...(inventory.inventory ? [] : inventoryProblem(inventory, devicesFile)),
    ];
    for (const d of problems) out(formatDiagnosticStyled(d, style));
    return EXIT.findings;
  }
  const relevant = explainInventory(inventory.inventory, [src, target.host], services);
  const compiled = compilePolicy(policy.validation.policy, relevant, {
    dialect: opts.dialect ?? 'tailscale',
    ...(services ? { services } : {}),
  });
  const limit = opts.limit === undefined ? 5 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a number, got "${opts.limit}"`);
  if (opts.sshUser !== undefined) {
    const result = explainSsh(compiled, { src, dst: target.host, login: opts.sshUser }, limit);
    if (!result.ok) return fail(result.error, opts.json);
    printSsh(result.value, policy.locate, style, opts.json);
    return result.value.connects ? EXIT.ok : EXIT.findings;
  }
  const result = explainAccess(compiled, { src, dst: target.host, proto: opts.proto, port: target.port }, limit);
  if (!result.ok) return fail(result.error, opts.json);
  if (opts.json) outJson(networkJson(result.value, policy.locate));
  else out(networkText(result.value, policy.locate, style).join('\n'));
  return result.value.allowed ? EXIT.ok : EXIT.findings;
}

function fail(error: string, json: boolean | undefined): number {
  if (json) outJson({ error });
  else out(`error: ${error}`);
  return EXIT.findings;
}

const PORTLESS = new Set(['icmp', '1', 'ipv6-icmp', 'icmpv6', '58', 'gre', '47', 'esp', '50', 'ah', '51', 'igmp', '2']);

/** `host:port`, `[v6]:port`, a bare IPv6 address, or (for SSH and port-less protocols) a bare host. */
export function parseTarget(
  text: string,
  opts: Pick<ExplainOptions, 'sshUser' | 'proto'>,
): { host: string; port: number } {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  let host = text;
  let portText: string | undefined;
  if (bracket) [, host, portText] = bracket;
  else if (!(text.split(':').length > 2 && parseIp(text))) {
    const colon = text.lastIndexOf(':');
    if (colon >= 0) [host, portText] = [text.slice(0, colon), text.slice(colon + 1)];
  }
  if (portText === undefined) {
    if (opts.sshUser !== undefined) return { host, port: 22 };
    if (PORTLESS.has((opts.proto ?? '').toLowerCase())) return { host, port: 0 };
    throw new UsageError(`destination "${text}" needs a port: <device-or-ip>:<port> (or --ssh-user for SSH)`);
  }
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535) throw new UsageError(`"${portText}" is not a port (0-65535)`);
  return { host, port };
}

function endpointText(e: EndpointSummary): string {
  return `${e.device ?? e.address ?? e.text} (${e.identity})`;
}

function verdictLines(verdicts: readonly RuleVerdict[], locate: RuleLocator): string[] {
  return verdicts.flatMap((v) => [`    ${formatRule(v.ref, locate(v.ref))}`, ...v.reasons.map((r) => `      - ${r}`)]);
}

export function networkText(e: NetworkExplanation, locate: RuleLocator, style: Style): string[] {
  const verdict = e.allowed ? style.green('ACCEPTED') : style.red('DENIED');
  const lines = [`${e.proto}/${e.port} from ${endpointText(e.src)} to ${endpointText(e.dst)}: ${verdict}`];
  if (e.enforcedBy) lines.push(`  decided by the packet filter of ${e.enforcedBy}`);
  if (e.allowed && e.grantedBy.length === 0 && e.allowAll)
    lines.push('  granted by: no acls or grants section, which allows everything (§2)');
  if (e.grantedBy.length > 0) lines.push('  granted by:', ...e.grantedBy.map((r) => `    ${formatRule(r, locate(r))}`));
  if (!e.allowed) {
    lines.push(
      e.nearest.length > 0
        ? '  nearest rules:'
        : '  no rule comes close: none matches two of source, destination and port',
    );
    lines.push(...verdictLines(e.nearest, locate));
  }
  if (e.notes.length > 0) lines.push('  notes:', ...e.notes.map((n) => `    - ${n}`));
  return lines;
}

function refsJson(refs: readonly RuleRef[], locate: RuleLocator): Record<string, unknown>[] {
  return refs.map((r) => ruleJson(r, locate(r)));
}

function networkJson(e: NetworkExplanation, locate: RuleLocator): Record<string, unknown> {
  return {
    ...e,
    grantedBy: refsJson(e.grantedBy, locate),
    nearest: e.nearest.map((v) => ({ ...ruleJson(v.ref, locate(v.ref)), reasons: v.reasons })),
  };
}

function printSsh(e: SshExplanation, locate: RuleLocator, style: Style, json: boolean | undefined): void {
  if (json) {
    outJson({
      ...e,
      grantedBy: refsJson(e.grantedBy, locate),
      nearest: e.nearest.map((v) => ({ ...ruleJson(v.ref, locate(v.ref)), reasons: v.reasons })),
      network: networkJson(e.network, locate),
    });
    return;
  }
  const action = e.action === 'deny' ? style.red('DENY') : style.green(e.action.toUpperCase());
  const lines = [`ssh ${e.login}@${e.dst.device ?? e.dst.text} from ${endpointText(e.src)}: SSH policy says ${action}`];
  if (e.action === 'check')
    lines.push('  check: the user re-authenticates in the browser (check wins over accept, §7)');
  if (e.grantedBy.length > 0) lines.push('  by:', ...e.grantedBy.map((r) => `    ${formatRule(r, locate(r))}`));
  if (e.action === 'deny') {
    lines.push(e.nearest.length > 0 ? '  nearest SSH rules:' : '  no SSH rule comes close');
    lines.push(...verdictLines(e.nearest, locate));
  }
  lines.push(`  network: tcp/22 is ${e.network.allowed ? style.green('open') : style.red('closed')}`);
  lines.push(
    ...networkText(e.network, locate, style)
      .slice(1)
      .map((l) => `  ${l}`),
  );
  lines.push(e.connects ? style.green('=> the SSH connection succeeds') : style.red('=> the SSH connection fails'));
  out(lines.join('\n'));
}
