import { App, TerraformStack, Testing } from 'cdktf';
import { TailscaleProvider, type TailscaleProviderConfig } from '../../../src/emit/terraform/l1/provider';

/** Synthesized Terraform JSON as plain data (what `checkTerraformJson` reads). */
export interface TfJson {
  readonly terraform?: { required_providers?: Record<string, { source?: string; version?: string }> };
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, Record<string, unknown>>;
}

export function newStack(id = 'test'): TerraformStack {
  return new TerraformStack(new App({ stackTraces: false }), id);
}

/**
 * A stack with a `tailscale` provider (credentials from the environment) plus whatever `build` adds, synthesized
 * with `Testing.synth` (sorted keys, no `//` metadata).
 */
export function synthWith(build: (stack: TerraformStack) => void, provider: TailscaleProviderConfig = {}): TfJson {
  const stack = newStack();
  new TailscaleProvider(stack, 'tailscale', provider);
  build(stack);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** The stack's Terraform JSON as `cdktf synth` writes it, `//` construct metadata included. */
export function fullJson(stack: TerraformStack): TfJson {
  return JSON.parse(JSON.stringify(stack.toTerraform())) as TfJson;
}
