import type { IConstruct } from 'constructs';
import { report } from '../private/report';
import { KUBERNETES_CODES } from './codes';

/**
 * Checks shared by the Kubernetes constructs. Each `…Problem` returns `undefined` when the input is fine, or the
 * reason it is not, worded for a diagnostic.
 */

/** RFC 1123 label: namespaces, Service and container names (Kubernetes `IsDNS1123Label`). */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: most object names, e.g. Secrets, ServiceAccounts, Roles (`IsDNS1123Subdomain`). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kubernetes resource quantity (`resource.Quantity`): a number with an optional binary or decimal suffix. */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
/** Tailscale (`tskey-auth-…`, `tskey-client-…`) and Headscale (`hskey-auth-…`) key prefixes. */
const KEY_LITERAL = /\b(tskey|hskey)-[A-Za-z0-9]/;

export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length <= 63 && DNS1123_LABEL.test(name)) return undefined;
  return `"${name}" is not a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)`;
}

export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length <= 253 && DNS1123_SUBDOMAIN.test(name)) return undefined;
  return `"${name}" is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)`;
}

/** Reports a name that Kubernetes would reject, as TN3001 on `field`. */
export function checkName(scope: IConstruct, field: string, name: string, kind: 'label' | 'subdomain' = 'label'): void {
  const problem = kind === 'label' ? dns1123LabelProblem(name) : dns1123SubdomainProblem(name);
  if (problem) report(scope, KUBERNETES_CODES.invalidName, `${field}: ${problem}`, 'use a name like june-orchestrator');
}

export function quantityProblem(value: string): string | undefined {
  return QUANTITY.test(value) ? undefined : `"${value}" is not a Kubernetes quantity (e.g. 100m, 64Mi, 1)`;
}

/** True when a string carries something shaped like an auth key or OAuth secret. */
export function looksLikeKeyMaterial(text: string): boolean {
  return KEY_LITERAL.test(text);
}

/** The tag of an image reference, `undefined` when untagged; digests (`@sha256:…`) count as pinned. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return image.slice(image.indexOf('@') + 1);
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon < 0 ? undefined : image.slice(colon + 1);
}

/** TN3004 for an untagged image, TN3005 for a moving tag (`latest`, `stable`, `unstable`: facts §1.1). */
export function checkImage(scope: IConstruct, field: string, image: string): void {
  const tag = imageTag(image);
  if (tag === undefined || tag === '') {
    report(
      scope,
      KUBERNETES_CODES.imageWithoutTag,
      `${field}: "${image}" has no tag, so every pull may get a different Tailscale version`,
      'pin a release such as ghcr.io/tailscale/tailscale:v1.102.3 (or a @sha256: digest)',
    );
  } else if (['latest', 'stable', 'unstable'].includes(tag)) {
    report(
      scope,
      KUBERNETES_CODES.unpinnedImage,
      `${field}: "${image}" uses the moving tag "${tag}"`,
      'pin a release such as v1.102.3; Headscale 0.29 needs clients of at least v1.80.0',
    );
  }
}

/** TN3002 for any string prop that carries key material; secrets belong in Kubernetes Secrets, never in props. */
export function checkNoKeyMaterial(scope: IConstruct, field: string, values: readonly (string | undefined)[]): void {
  for (const value of values) {
    if (value === undefined || !looksLikeKeyMaterial(value)) continue;
    report(
      scope,
      KUBERNETES_CODES.literalAuthKey,
      `${field}: contains an auth key or OAuth secret literal`,
      'never put keys in the stack: let the stack generate the key, or reference a Secret with SecretKeyRef.external(name, key)',
    );
  }
}
