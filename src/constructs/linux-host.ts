import { Construct } from 'constructs';
import { brand, hasBrand } from '../core/brand';
import { kebab } from '../core/names';
import { Device } from './device';
import { hostDestination, hostIdentity } from './private/host-selectors';
import type { Selector, TagPosition } from './selector';

const LINUX_HOST_BRAND = Symbol.for('tailnet-cdk.LinuxHost');

export interface LinuxHostProps {
  /** MagicDNS base name. @default - the construct id in kebab case */
  readonly hostname?: string;
  /** Tags the host logs in with. Give tags or user. @default - none */
  readonly tags?: readonly Selector<TagPosition>[];
  /** Owner login of an untagged host. @default - none */
  readonly user?: string;
  /** The host's Tailscale IPv4 if known: grants then target this one device, and services can bind it. @default - unknown */
  readonly tailscaleIpv4?: string;
}

/**
 * A Linux machine on the tailnet that is not NixOS (Debian, Ubuntu, Fedora … with systemd and the tailscale
 * package). tailnet-cdk does not own its configuration: constructs that run services on it emit systemd drop-in
 * files (`systemd/<hostname>/<unit>.service.d/tailnet.conf`) that change only what they must. It is also a declared
 * device (devices.json).
 */
export class LinuxHost extends Construct {
  static isLinuxHost(x: unknown): x is LinuxHost {
    return hasBrand(x, LINUX_HOST_BRAND);
  }

  readonly hostname: string;
  readonly props: LinuxHostProps;
  /** The declared device this host is (`<path>/Device`). */
  readonly device: Device;

  constructor(scope: Construct, id: string, props: LinuxHostProps = {}) {
    super(scope, id);
    brand(this, LINUX_HOST_BRAND);
    this.props = props;
    this.hostname = props.hostname ?? kebab(id);
    // the device checks the hostname, tags/user and address
    this.device = new Device(this, 'Device', {
      hostname: this.hostname,
      ...(props.tags ? { tags: props.tags } : {}),
      ...(props.user !== undefined ? { user: props.user } : {}),
      ...(props.tailscaleIpv4 ? { ipv4: props.tailscaleIpv4 } : {}),
    });
  }

  /** Selectors that name this host in grants: its address if known, else its tags, else its owner. */
  get destination(): Selector<'dst'>[] {
    return hostDestination(this.props);
  }

  /** Selectors for this host as a source: its tags, else its owner. */
  get identity(): Selector<'src' | 'dst' | 'approver'>[] {
    return hostIdentity(this.props);
  }
}
