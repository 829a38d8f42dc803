import type { Emitter, SummaryEmitter } from './emitter';
import { headscaleEmitter } from './headscale';
import { inventoryEmitter } from './inventory';
import { kubernetesEmitter } from './kubernetes';
import { nftablesEmitter } from './nftables';
import { nginxEmitter } from './nginx';
import { nixosEmitter } from './nixos';
import { policyEmitter } from './policy';
import { prometheusEmitter } from './prometheus';
import { reportEmitter } from './report';
import { servicesEmitter } from './services';
import { sshEmitter } from './ssh';
import { systemdEmitter } from './systemd';
import { wireguardEmitter } from './wireguard';

/**
 * The emitters of the files the policy analysis reads (policy.hujson, policy.json, devices.json): synth runs them
 * first and starts the analysis as soon as they are done.
 */
export const POLICY_EMITTERS: readonly Emitter[] = [policyEmitter, inventoryEmitter];

/** The other pure emitters every stack runs, in no particular order (no two write the same path). */
export const OTHER_EMITTERS: readonly Emitter[] = [
  kubernetesEmitter,
  headscaleEmitter,
  nixosEmitter,
  nginxEmitter,
  nftablesEmitter,
  sshEmitter,
  prometheusEmitter,
  systemdEmitter,
  wireguardEmitter,
  servicesEmitter,
];

/** Emitters that run after all the others (Terraform included) and read their files. */
export const SUMMARY_EMITTERS: readonly SummaryEmitter[] = [reportEmitter];
