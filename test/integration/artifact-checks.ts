import Ajv from 'ajv';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Pod, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { CONNECTOR_SCHEMA, PROXY_CLASS_SCHEMA, PROXY_GROUP_SCHEMA } from './tailscale-schemas';

/**
 * Validators for generated Kubernetes artifacts: kubernetes-models (the Kubernetes 1.27 OpenAPI schemas) for core
 * objects, ajv for the operator's custom resources and for values files. Each returns problems as strings.
 */
type Doc = Record<string, unknown> & { kind?: string; spec?: Record<string, unknown> };

const ajv = new Ajv({ allErrors: true, strict: false });

export function schemaProblems(schema: object, value: unknown): string[] {
  const validate = ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** The pod spec a strategic-merge patch carries, validated as a Pod of its own (containers, volumes, SA). */
function patchedPod(doc: Doc): Pod {
  const template = (doc.spec?.template ?? {}) as { spec?: Record<string, unknown> };
  return new Pod({ metadata: { name: 'patched' }, spec: template.spec as never });
}

const CORE_MODELS: Record<string, (doc: Doc) => { validate(): void }> = {
  ServiceAccount: (d) => new ServiceAccount(d as never),
  Role: (d) => new Role(d as never),
  RoleBinding: (d) => new RoleBinding(d as never),
  ConfigMap: (d) => new ConfigMap(d as never),
  Service: (d) => new Service(d as never),
  Ingress: (d) => new Ingress(d as never),
  Pod: (d) => new Pod(d as never),
  Deployment: patchedPod,
  StatefulSet: patchedPod,
};

const CRD_SCHEMAS: Record<string, object> = {
  Connector: CONNECTOR_SCHEMA,
  ProxyClass: PROXY_CLASS_SCHEMA,
  ProxyGroup: PROXY_GROUP_SCHEMA,
};

export function manifestProblems(doc: Doc): string[] {
  const kind = String(doc.kind);
  if (CRD_SCHEMAS[kind]) return schemaProblems(CRD_SCHEMAS[kind], doc).map((p) => `${kind}: ${p}`);
  const model = CORE_MODELS[kind];
  if (!model) return [`no validator for kind ${kind}`];
  try {
    model(doc).validate();
    return [];
  } catch (e) {
    return [`${kind}: ${(e as Error).message}`];
  }
}

/** Every document of a YAML stream, parsed as Kubernetes reads it (YAML 1.1). */
export function yamlDocuments(text: string): Doc[] {
  return parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS() as Doc);
}

const KEY_LITERAL = /\b(tskey|hskey)-[A-Za-z0-9-]{4,}/g;
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

/** Random key material: long base64 runs mixing upper case, lower case and digits (hex digests have no upper case). */
function looksRandom(run: string): boolean {
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run) && !/^[A-Za-z]+(\/[A-Za-z0-9-]+)+$/.test(run);
}

/** Key literals and base64 key material in one file (values are never echoed: only their position). */
export function secretFindings(file: string, content: string): string[] {
  const findings: string[] = [];
  for (const m of content.matchAll(KEY_LITERAL)) findings.push(`${file}@${m.index}: ${m[1]}- key literal`);
  for (const m of content.matchAll(BASE64_RUN)) {
    // Subresource-integrity digests (`sha256-…=`, as Nix writes them) are public hashes, not secrets.
    const sri = /sha(256|384|512)-$/.test(content.slice(Math.max(0, (m.index ?? 0) - 7), m.index));
    // WireGuard public keys are public (wg-quick `PublicKey = `, the NixOS module's `publicKey = "`); a private key
    // given there is refused by nothing, but the stack's `privateKey` only ever takes a file (TN2001).
    const wgPublic = /(PublicKey = |publicKey = ")$/.test(content.slice(Math.max(0, (m.index ?? 0) - 13), m.index));
    if (!sri && !wgPublic && looksRandom(m[0]))
      findings.push(`${file}@${m.index}: base64-like run of ${m[0].length} characters`);
  }
  return findings;
}
