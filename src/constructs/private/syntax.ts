import * as ipaddr from 'ipaddr.js';

/**
 * Syntax checks shared by constructs. Each returns `undefined` when the input is fine, or the reason it is not,
 * worded for a diagnostic. Rules: facts/tailscale-policy.md §4, §8, §16.
 */

/** §8.2: after `tag:` an ASCII letter, then letters, digits and `-`. */
const TAG_BODY = /^[A-Za-z][A-Za-z0-9-]*$/;
/** Group names: Tailscale documents no grammar; we keep to what its examples and Headscale accept. */
const GROUP_BODY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** RFC 1123 label, lower case as Tailscale's MagicDNS writes machine names. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function tagNameProblem(name: string): string | undefined {
  if (!name.startsWith('tag:')) return `tag names start with "tag:", got "${name}"`;
  const body = name.slice(4);
  if (!TAG_BODY.test(body)) {
    return /^[A-Za-z]/.test(body)
      ? `tag "${name}" may only contain ASCII letters, digits and '-' after 'tag:'`
      : `tag names must start with a letter, after 'tag:' (got "${name}")`;
  }
  return undefined;
}

export function groupNameProblem(name: string): string | undefined {
  if (!name.startsWith('group:')) return `group names start with "group:", got "${name}"`;
  if (!GROUP_BODY.test(name.slice(6))) {
    return `group "${name}" may only contain letters, digits, '.', '_' and '-' after 'group:'`;
  }
  return undefined;
}

export function dnsLabelProblem(name: string): string | undefined {
  if (DNS_LABEL.test(name)) return undefined;
  return `"${name}" is not a DNS label (1-63 characters, lower-case letters, digits and '-', not starting or ending with '-')`;
}

/** A user login as the policy file writes it: `alice@example.com`, `alice@github`, `alice@passkey`. */
export function userLoginProblem(login: string): string | undefined {
  const at = login.indexOf('@');
  if (at <= 0 || at === login.length - 1 || login.indexOf('@', at + 1) >= 0 || /\s/.test(login)) {
    return `"${login}" is not a user login (expected name@domain, e.g. alice@example.com or alice@github)`;
  }
  return undefined;
}

export function portProblem(port: number): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  return undefined;
}

/** A port spec: `*`, `N`, `N-M`, or a comma list of those (§4 ports). */
export function portSpecProblem(spec: string): string | undefined {
  if (spec === '*') return undefined;
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return `port range "${part}" is not a port, a range N-M or '*'`;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (m[2] === undefined && first === 0) return `port range "0": first port must be >0, or use '*' for wildcard`;
    if (first > 65535 || last > 65535) return `port range "${part}" goes past 65535`;
    if (last < first) return `port range "${part}" ends before it starts`;
  }
  return undefined;
}

export function addressProblem(text: string): string | undefined {
  try {
    if (text.includes('/')) {
      const [addr, len] = ipaddr.parseCIDR(text);
      const network = ipaddr.IPv4.isValid(addr.toString())
        ? ipaddr.IPv4.networkAddressFromCIDR(text)
        : ipaddr.IPv6.networkAddressFromCIDR(text);
      if (network.toString() !== addr.toString()) {
        return `"${text}" has host bits set; the network is ${network.toString()}/${len}`;
      }
      return undefined;
    }
    if (
      !ipaddr.isValid(text) ||
      !/^[0-9a-fA-F:.]+$/.test(text) ||
      (text.includes('.') && !ipaddr.IPv4.isValidFourPartDecimal(text) && !text.includes(':'))
    ) {
      return `"${text}" is not an IP address or CIDR`;
    }
    return undefined;
  } catch {
    return `"${text}" is not an IP address or CIDR`;
  }
}

/** Go duration as `checkPeriod` takes it (§7): `12h`, `30m`, `1h30m`, or `always`; at most 168h. */
export function checkPeriodProblem(value: string): string | undefined {
  if (value === 'always') return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || value === '') return `time: invalid duration "${value}"`;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  if (seconds > 168 * 3600) return `checkPeriod ${value} is above the max (168h)`;
  return undefined;
}
