import { TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { Device, type DeviceProps } from '../constructs/device';
import { AclRule, type AclRuleProps, Grant, type GrantProps } from '../constructs/grant';
import { Group, type GroupProps, Tag, type TagProps } from '../constructs/identity';
import type { ControlServer } from '../constructs/kubernetes/control-server';
import { AutoApprover, type AutoApproverProps } from '../constructs/policy-extras';
import type { Selector } from '../constructs/selector';
import { SshRule, type SshRuleProps } from '../constructs/ssh';
import { PolicyTest, SshTest, type SshTestProps } from '../constructs/tests';
import type { Transport } from '../constructs/wireguard';
import type { TailnetSettings } from '../ir/types';
import { brand, hasBrand } from './brand';
import { kebab } from './names';

const STACK_BRAND = Symbol.for('tailnet-cdk.TailnetStack');

/** Options of `stack.expect(src, options)`; a string is the protocol. */
export interface ExpectOptions {
  /** @default - TCP or UDP */
  readonly proto?: string;
  /** Posture attributes of the test's source device, for policies with postures. @default - none */
  readonly srcPostureAttrs?: Readonly<Record<string, string | number | boolean>>;
}

/** How the Terraform provider authenticates. Credentials are never literals in the stack. */
export interface TerraformOptions {
  /** Emit Terraform for this stack. @default true */
  readonly enabled?: boolean;
  /**
   * `oauth`: sensitive variables `tailscale_oauth_client_id`/`_secret` (Tailscale's recommended trust credential);
   * `apiKey`: sensitive variable `tailscale_api_key`; `environment`: the provider reads `TAILSCALE_*` itself.
   * @default 'oauth'
   */
  readonly auth?: 'oauth' | 'apiKey' | 'environment';
  /** Tailnet ID. @default - the tailnet owning the credential (`-`) */
  readonly tailnet?: string;
  /** OAuth scopes requested for the provider's token. @default - the client's own scopes */
  readonly oauthScopes?: readonly string[];
  /** Replace a policy someone already edited on first apply (`overwrite_existing_content`). @default false */
  readonly overwriteExistingPolicy?: boolean;
  /** Reset the tailnet to the default policy when the stack is destroyed. @default false */
  readonly resetPolicyOnDestroy?: boolean;
}

export interface TailnetStackProps {
  /** Tailnet domain for `user:*@domain` and `localpart:*@domain`, e.g. `example.com`. @default - none */
  readonly tailnetDomain?: string;
  /** MagicDNS suffix, e.g. `tail4a2b9c.ts.net`; device names in the inventory are `<host>.<suffix>`. @default 'tailnet.ts.net' */
  readonly magicDnsSuffix?: string;
  /**
   * What an empty rule set means. `deny` writes `"grants": []` (deny-all); `allow` writes no access section, which
   * Tailscale reads as allow-all (facts §18.2). A stack with rules ignores this.
   * @default 'deny'
   */
  readonly defaultAccess?: 'deny' | 'allow';
  /** Posture names required of sources of rules without their own `srcPosture`. @default - none */
  readonly defaultSrcPosture?: readonly string[];
  /** Tailnet-wide keys of the policy file. @default - none set */
  readonly settings?: TailnetSettings;
  /** @default - Terraform with OAuth client variables */
  readonly terraform?: TerraformOptions;
  /**
   * The control server devices log in to: `ControlServer.tailscale()` or `ControlServer.headscale({ url, … })`,
   * which adds `headscale/` artifacts and checks the policy against Headscale's dialect.
   * @default ControlServer.tailscale()
   */
  readonly controlServer?: ControlServer;
  /**
   * `Transport.wireguard({ cidr, … })` compiles the hosts and rules to a WireGuard mesh with nftables enforcement
   * instead of Tailscale (docs/wireguard.md).
   * @default Transport.tailscale()
   */
  readonly transport?: Transport;
}

/**
 * One tailnet. Extends cdktf's `TerraformStack`, so any other cdktf resource can live in the same stack.
 * The construct id is the stack name and the folder under `out/`.
 */
export class TailnetStack extends TerraformStack {
  static isTailnetStack(x: unknown): x is TailnetStack {
    return hasBrand(x, STACK_BRAND);
  }

  /** The stack enclosing `scope`. */
  static override of(scope: IConstruct): TailnetStack {
    const found = scope.node.scopes
      .slice()
      .reverse()
      .find((s) => TailnetStack.isTailnetStack(s));
    if (!found) throw new Error(`${scope.node.path} is not inside a TailnetStack`);
    return found as TailnetStack;
  }

  readonly stackName: string;
  readonly props: TailnetStackProps;
  private testsScope?: Construct;
  private devicesScope?: Construct;

  constructor(scope: Construct, id: string, props: TailnetStackProps = {}) {
    super(scope, id);
    brand(this, STACK_BRAND);
    this.stackName = id;
    this.props = props;
  }

  addGroup(id: string, props: GroupProps = {}): Group {
    return new Group(this, id, props);
  }

  addTag(id: string, props: TagProps): Tag {
    return new Tag(this, id, props);
  }

  addGrant(id: string, props: GrantProps): Grant {
    return new Grant(this, id, props);
  }

  addAclRule(id: string, props: AclRuleProps): AclRule {
    return new AclRule(this, id, props);
  }

  addSshRule(id: string, props: SshRuleProps): SshRule {
    return new SshRule(this, id, props);
  }

  addAutoApprover(id: string, props: AutoApproverProps): AutoApprover {
    return new AutoApprover(this, id, props);
  }

  /** Declares a device (`<stack>/Devices/<id>`), so device ids never clash with tag or rule ids. */
  addDevice(id: string, props: DeviceProps = {}): Device {
    this.devicesScope ??= new Construct(this, 'Devices');
    return new Device(this.devicesScope, id, props);
  }

  /**
   * Policy tests for one source: `stack.expect(client).canReach(server, 443).cannotReach(server, 22)`.
   * One test construct per source (`<stack>/Tests/<source>`), so calls from several places add to the same test.
   */
  expect(src: Selector<'testSrc'>, options: string | ExpectOptions = {}): PolicyTest {
    const { proto, srcPostureAttrs } =
      typeof options === 'string' ? { proto: options, srcPostureAttrs: undefined } : options;
    const scope = this.tests();
    const id = kebab(`${src.selector}${proto ? `-${proto}` : ''}`) || 'any';
    const existing = scope.node.tryFindChild(id) as PolicyTest | undefined;
    if (existing) return existing;
    return new PolicyTest(scope, id, {
      src,
      ...(proto ? { proto } : {}),
      ...(srcPostureAttrs ? { srcPostureAttrs } : {}),
    });
  }

  /** An SSH test: `stack.expectSsh('Admins', { src: admin, dst: [server], accept: ['root'] })`. */
  expectSsh(id: string, props: SshTestProps): SshTest {
    return new SshTest(this.tests(), id, props);
  }

  private tests(): Construct {
    this.testsScope ??= new Construct(this, 'Tests');
    return this.testsScope;
  }
}
