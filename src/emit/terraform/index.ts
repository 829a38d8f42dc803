import { LocalBackend, type TerraformStack, TerraformVariable } from 'cdktf';
import { printSortedJson } from '../../core/canonical/json';
import type { StackIr, TerraformIr } from '../../ir/types';
import type { EmittedFile } from '../emitter';
import { addKubernetesTerraform, hasKubernetesTerraform } from './kubernetes';
import { TailscaleAcl } from './l1/policy';
import { TailscaleProvider, type TailscaleProviderConfig } from './l1/provider';
import { addTailscaleServices } from './services';
import { addTailnetDns } from './tailnet-dns';

export const TERRAFORM_FILE = 'terraform/cdk.tf.json';

/**
 * The Terraform emitter. Unlike the others it adds cdktf L1 resources to the stack (so users can mix their own
 * cdktf resources into the same stack) and then prints the stack's Terraform JSON. It reads only the IR and the
 * files the pure emitters produced (the policy text goes into `tailscale_acl` verbatim, comments included).
 */
export function emitTerraform(ir: StackIr, stack: TerraformStack, files: ReadonlyMap<string, string>): EmittedFile[] {
  return withShortStackTraces(() => addAndPrint(ir, stack, files));
}

/**
 * cdktf captures a full stack trace for every token it creates (`Intrinsic`), whatever `stackTraces: false` says,
 * and formats it at once; under tsx (how apps run) node also maps every frame through source maps. That was half of
 * this emitter's time at 300 workloads. The traces only ever show in cdktf's own resolution errors, so while it runs
 * they hold the innermost frames, unmapped.
 */
function withShortStackTraces<T>(work: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = shortStack;
  try {
    return work();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

const SHORT_STACK_FRAMES = 10;

function shortStack(error: Error, frames: NodeJS.CallSite[]): string {
  const head = `${error.name}${error.message ? `: ${error.message}` : ''}`;
  return [head, ...frames.slice(0, SHORT_STACK_FRAMES).map((f) => `    at ${f}`)].join('\n');
}

function addAndPrint(ir: StackIr, stack: TerraformStack, files: ReadonlyMap<string, string>): EmittedFile[] {
  if (!ir.terraform.enabled) return [];
  // Headscale has no Tailscale API (TN3010): only Kubernetes objects remain, if there are any.
  const tailscaleApi = ir.controlServer.kind === 'tailscale';
  if (!tailscaleApi && !hasKubernetesTerraform(ir)) return [];
  // A relative state path: the default local backend writes an absolute path, different on every machine.
  new LocalBackend(stack, { path: `terraform.${ir.name}.tfstate` });
  if (tailscaleApi) new TailscaleProvider(stack, 'tailscale', providerConfig(stack, ir.terraform));
  addTailnetDns(ir, stack);
  addKubernetesTerraform(ir, stack);
  const policy = files.get('policy.hujson');
  const acl =
    tailscaleApi && policy !== undefined
      ? new TailscaleAcl(stack, 'policy', {
          acl: policy,
          ...(ir.terraform.overwriteExistingPolicy ? { overwriteExistingContent: true } : {}),
          ...(ir.terraform.resetPolicyOnDestroy ? { resetAclOnDestroy: true } : {}),
        })
      : undefined;
  addTailscaleServices(ir, stack, acl);
  return [{ path: TERRAFORM_FILE, content: terraformJson(stack) }];
}

/** Credentials only from sensitive variables or the provider's own environment variables, never literals. */
function providerConfig(stack: TerraformStack, tf: TerraformIr): TailscaleProviderConfig {
  const base = { ...(tf.tailnet ? { tailnet: tf.tailnet } : {}) };
  const variable = (id: string, description: string, sensitive: boolean) =>
    new TerraformVariable(stack, id, { type: 'string', description, sensitive, nullable: false }).stringValue;
  switch (tf.auth) {
    case 'oauth':
      return {
        ...base,
        oauthClientId: variable(
          'tailscale_oauth_client_id',
          'ID of the Tailscale OAuth client (trust credential)',
          false,
        ),
        oauthClientSecret: variable('tailscale_oauth_client_secret', 'Secret of the Tailscale OAuth client', true),
        ...(tf.oauthScopes ? { scopes: [...tf.oauthScopes] } : {}),
      };
    case 'apiKey':
      return { ...base, apiKey: variable('tailscale_api_key', 'Tailscale API access token', true) };
    case 'environment':
      return base;
  }
}

/** The stack's Terraform JSON, key-sorted like cdktf's own output, without the cdktf version stamp. */
function terraformJson(stack: TerraformStack): string {
  stack.prepareStack();
  const tf = stack.toTerraform() as { '//'?: { metadata?: Record<string, unknown> } };
  if (tf['//']?.metadata) delete tf['//'].metadata.version;
  return printSortedJson(tf);
}
