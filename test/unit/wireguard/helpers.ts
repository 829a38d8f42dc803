import {
  Autogroup,
  type Device,
  type NixosHost,
  WireguardPeer as Peer,
  Secret,
  Tag,
  type TailnetApp,
  type TailnetStack,
  Transport,
  type WireguardPeer,
  type WireguardTransportProps,
} from '../../../src';
import { newStack } from '../../helpers';

/** A valid-looking WireGuard public key: base64 of 32 bytes of `n` (public keys are public; these are fakes). */
export function fakeKey(n: number): string {
  return Buffer.alloc(32, n).toString('base64');
}

export interface Mesh {
  readonly app: TailnetApp;
  readonly stack: TailnetStack;
  readonly server: Tag;
  readonly client: Tag;
}

/** A stack in WireGuard mode with two tags; `cidr` defaults to 10.77.0.0/24. */
export function mesh(transport: Partial<WireguardTransportProps> = {}, name = 'test'): Mesh {
  const { app, stack } = newStack(
    { transport: Transport.wireguard({ cidr: '10.77.0.0/24', ...transport }), terraform: { enabled: false } },
    name,
  );
  const owners = [Autogroup.ADMIN];
  return { app, stack, server: new Tag(stack, 'Server', { owners }), client: new Tag(stack, 'Client', { owners }) };
}

let keys = 0;

/** Makes `host` a peer with a fresh fake key and a sops private key; `endpoint` unless null. */
export function peer(
  host: NixosHost | Device,
  props: { endpoint?: string | null; address?: string; publicKey?: string } = {},
): WireguardPeer {
  keys += 1;
  const endpoint = props.endpoint === undefined ? `192.0.2.${(keys % 250) + 1}:51820` : props.endpoint;
  return Peer.of(host, {
    publicKey: props.publicKey ?? fakeKey(keys),
    privateKey: Secret.sops(`wireguard/${host.hostname}`),
    ...(endpoint !== null ? { endpoint } : {}),
    ...(props.address !== undefined ? { address: props.address } : {}),
  });
}

/**
 * wg-quick(8) and wg(8) keys a wg-quick file may hold (wg-quick(8) CONFIGURATION: "Address", "DNS", "MTU",
 * "Table", "PreUp", "PostUp", "PreDown", "PostDown", "SaveConfig" besides wg(8)'s CONFIGURATION FILE FORMAT:
 * [Interface] "PrivateKey", "ListenPort", "FwMark"; [Peer] "PublicKey", "PresharedKey", "AllowedIPs", "Endpoint",
 * "PersistentKeepalive").
 */
export const WG_QUICK_KEYS = {
  Interface: [
    'Address',
    'DNS',
    'MTU',
    'Table',
    'PreUp',
    'PostUp',
    'PreDown',
    'PostDown',
    'SaveConfig',
    'PrivateKey',
    'ListenPort',
    'FwMark',
  ],
  Peer: ['PublicKey', 'PresharedKey', 'AllowedIPs', 'Endpoint', 'PersistentKeepalive'],
} as const;

export interface IniFile {
  readonly sections: { name: string; entries: [string, string][] }[];
}

/**
 * A strict reader of the INI dialect wg-quick reads: `#` comments, blank lines, `[Section]`, `Key = Value`; any
 * other line is an error (wg-quick would reject it too).
 */
export function parseWgQuick(text: string): IniFile {
  const sections: IniFile['sections'] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1], entries: [] });
      continue;
    }
    const entry = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    if (!entry || sections.length === 0) throw new Error(`line ${i + 1}: not an INI line: ${raw}`);
    sections[sections.length - 1].entries.push([entry[1], entry[2]]);
  }
  return { sections };
}
