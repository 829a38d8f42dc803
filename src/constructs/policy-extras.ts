import { Construct } from 'constructs';
import { CORE_CODES } from '../core/errors';
import { kebab } from '../core/names';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import { checkAddresses } from './address';
import { uniqueSelectors } from './grant';
import { checkPositions, report } from './private/report';
import { addressProblem } from './private/syntax';
import type { Selector } from './selector';

export interface AutoApproverProps {
  /** Devices (by identity) whose advertisements are approved without a manual step. */
  readonly approvers: readonly Selector<'approver'>[];
  /** Subnet routes approved, including any narrower route inside them. @default - none */
  readonly routes?: readonly string[];
  /** Approve exit-node advertisements (`0.0.0.0/0` in `routes` does not: §18.11). @default false */
  readonly exitNode?: boolean;
  /** Tailscale Services (`svc:x`) or service tags these devices may host. @default - none */
  readonly services?: readonly string[];
}

/** Auto-approval of subnet routes, exit nodes and Service hosts (`autoApprovers`). */
export class AutoApprover extends Construct implements ILowerable {
  readonly props: AutoApproverProps;

  constructor(scope: Construct, id: string, props: AutoApproverProps) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    checkPositions(this, 'approvers', props.approvers, 'approver', CORE_CODES.selectorNotAllowedHere);
    if (props.approvers.length === 0)
      report(
        this,
        CORE_CODES.emptyRule,
        'approvers is empty',
        'name the tags or users whose advertisements are approved',
      );
    for (const r of props.routes ?? []) {
      const problem = addressProblem(r);
      if (problem)
        report(this, CORE_CODES.invalidCidr, `routes: ${problem}`, 'write routes as CIDRs such as 192.168.1.0/24');
      else if (r === '0.0.0.0/0' || r === '::/0') {
        report(
          this,
          CORE_CODES.invalidCidr,
          `routes: "${r}" does not approve exit nodes`,
          'use exitNode: true to approve exit-node advertisements',
        );
      }
    }
    if (!props.exitNode && (props.routes ?? []).length === 0 && (props.services ?? []).length === 0) {
      report(this, CORE_CODES.emptyRule, 'nothing to approve', 'give routes, exitNode: true or services');
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const source = { path: this.node.path };
    const approvers = uniqueSelectors(this.props.approvers).sort();
    const out: IrContribution[] = (this.props.routes ?? []).map((target) => ({
      kind: 'autoApprover' as const,
      value: { source, kind: 'route' as const, target, approvers },
    }));
    if (this.props.exitNode) out.push({ kind: 'autoApprover', value: { source, kind: 'exitNode', approvers } });
    for (const target of this.props.services ?? []) {
      out.push({ kind: 'autoApprover', value: { source, kind: 'service', target, approvers } });
    }
    return out;
  }
}

export interface NodeAttrProps {
  /** Devices that get the attributes. */
  readonly target: readonly Selector<'nodeAttr'>[];
  /** Attributes such as `funnel`, `nextdns:abc123`, `disable-ipv4`. @default - none */
  readonly attr?: readonly string[];
  /** Application capabilities. @default - none */
  readonly app?: Readonly<Record<string, readonly unknown[]>>;
  /** @default - none */
  readonly ipPool?: readonly string[];
  /** @default - the construct path only */
  readonly comment?: string;
}

/** Per-device attributes (`nodeAttrs[]`). */
export class NodeAttr extends Construct implements ILowerable {
  readonly props: NodeAttrProps;

  constructor(scope: Construct, id: string, props: NodeAttrProps) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    checkPositions(this, 'target', props.target, 'nodeAttr', CORE_CODES.selectorNotAllowedHere);
    checkAddresses(this, 'target', props.target);
    if (
      (props.attr ?? []).length === 0 &&
      Object.keys(props.app ?? {}).length === 0 &&
      (props.ipPool ?? []).length === 0
    ) {
      report(this, CORE_CODES.emptyRule, 'attr, app and ipPool are all empty', 'give at least one attribute');
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const value = {
      source: { path: this.node.path },
      ...(p.comment ? { comment: p.comment } : {}),
      target: uniqueSelectors(p.target),
      ...(p.attr && p.attr.length > 0 ? { attr: [...p.attr] } : {}),
      ...(p.app && Object.keys(p.app).length > 0 ? { app: p.app } : {}),
      ...(p.ipPool && p.ipPool.length > 0 ? { ipPool: [...p.ipPool] } : {}),
    };
    return [{ kind: 'nodeAttr', value }];
  }
}

export interface PostureProps {
  /** `posture:<name>`. @default - `posture:` + the construct id in kebab case */
  readonly name?: string;
  /** Conditions that must all hold, e.g. `node:os IN ['macos', 'linux']`, `node:tsVersion >= '1.60'`. */
  readonly conditions: readonly string[];
}

const POSTURE_CONDITION =
  /^(node|ip|custom|[a-z][a-z0-9]*):[A-Za-z][A-Za-z0-9_.-]*\s+(==|!=|<=|>=|<|>|IN|NOT IN|IS SET|NOT SET)(\s+.+)?$/;

/** A device posture (`postures`), used by `srcPosture` and `defaultSrcPosture`. Not supported by Headscale. */
export class Posture extends Construct implements ILowerable {
  readonly name: string;
  private readonly conditions: readonly string[];

  constructor(scope: Construct, id: string, props: PostureProps) {
    super(scope, id);
    markLowerable(this);
    this.name = props.name ?? `posture:${kebab(id)}`;
    this.conditions = props.conditions;
    if (!/^posture:[A-Za-z0-9][A-Za-z0-9_-]*$/.test(this.name)) {
      report(this, CORE_CODES.invalidName, `"${this.name}" is not a posture name`, 'name it like posture:latest-mac');
    }
    if (props.conditions.length === 0)
      report(this, CORE_CODES.invalidPosture, 'conditions is empty', 'a posture needs at least one condition');
    for (const c of props.conditions) {
      if (!POSTURE_CONDITION.test(c.trim())) {
        report(
          this,
          CORE_CODES.invalidPosture,
          `condition "${c}" is not "<attribute> <operator> <value>"`,
          "e.g. node:os IN ['macos', 'linux']",
        );
      }
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const conditions = [...new Set(this.conditions.map((c) => c.trim()))].sort();
    return [{ kind: 'posture', value: { source: { path: this.node.path }, name: this.name, conditions } }];
  }
}
