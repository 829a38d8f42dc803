import { Address } from '../address';
import { User } from '../identity';
import type { Selector, TagPosition } from '../selector';

/** What names a host in the policy, shared by NixosHost and LinuxHost. */
export interface HostIdentityProps {
  readonly tags?: readonly Selector<TagPosition>[];
  readonly user?: string;
  readonly tailscaleIpv4?: string;
}

/** Selectors for a host as a source or approver: its tags, else its owner. */
export function hostIdentity(p: HostIdentityProps): Selector<'src' | 'dst' | 'approver'>[] {
  if (p.tags && p.tags.length > 0) return [...p.tags];
  return p.user !== undefined ? [User.fromLogin(p.user)] : [];
}

/** Selectors that name a host in grants: its address if known (this one device), else its identity. */
export function hostDestination(p: HostIdentityProps): Selector<'dst'>[] {
  return p.tailscaleIpv4 ? [Address.of(p.tailscaleIpv4)] : hostIdentity(p);
}
