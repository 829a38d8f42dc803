export * from './constructs/address';
export * from './constructs/auth';
export * from './constructs/device';
export * from './constructs/grant';
export * from './constructs/identity';
export * from './constructs/kubernetes';
export * from './constructs/linux-host';
export * from './constructs/nixos';
export * from './constructs/policy-extras';
export * from './constructs/ports';
export * from './constructs/selector';
export * from './constructs/service';
export * from './constructs/ssh';
export * from './constructs/ssh-access';
export * from './constructs/tests';
export {
  Transport,
  WireguardPeer,
  type WireguardPeerProps,
  type WireguardTransportProps,
} from './constructs/wireguard';
export * from './core/app';
export * from './core/diagnostics';
export * from './core/stack';
export type * as ir from './ir/types';
