import { defineCodes } from '../../core/errors';

/** TN3xxx: Kubernetes workloads, Tailscale sidecars, the Tailscale operator and Headscale (src/core/errors.ts ranges). */
export const KUBERNETES_CODES = defineCodes({
  invalidName: { code: 'TN3001', severity: 'error', title: 'Kubernetes name is not a DNS-1123 label or subdomain' },
  literalAuthKey: { code: 'TN3002', severity: 'error', title: 'auth key given as a literal value' },
  unknownSecretRef: { code: 'TN3003', severity: 'error', title: 'secret reference to a key no construct produces' },
  imageWithoutTag: { code: 'TN3004', severity: 'error', title: 'container image has neither a tag nor a digest' },
  unpinnedImage: { code: 'TN3005', severity: 'warning', title: 'container image uses a moving tag such as latest' },
  workloadInTwoNamespaces: { code: 'TN3006', severity: 'error', title: 'one workload declared in two namespaces' },
  sharedStateSecret: {
    code: 'TN3007',
    severity: 'error',
    title: 'several pods would share one Tailscale state secret',
  },
  headscaleUnsupported: { code: 'TN3008', severity: 'error', title: 'policy feature Headscale does not support' },
  headscaleWontStart: {
    code: 'TN3009',
    severity: 'error',
    title: 'Headscale configuration Headscale refuses to start with',
  },
  keysFromBootstrap: { code: 'TN3010', severity: 'info', title: 'with Headscale, auth keys come from bootstrap.sh' },
  operatorNeedsTailscale: {
    code: 'TN3011',
    severity: 'error',
    title: 'the Tailscale operator needs the Tailscale API',
  },
  invalidSidecar: { code: 'TN3012', severity: 'error', title: 'sidecar settings containerboot rejects' },
  serveHttpsSkipped: {
    code: 'TN3013',
    severity: 'warning',
    title: 'HTTPS serve handler skipped without Tailscale certificates',
  },
  keyExpiryTooLong: {
    code: 'TN3014',
    severity: 'error',
    title: 'auth key expiry outside what the control server allows',
  },
  secretInOtherNamespace: { code: 'TN3015', severity: 'error', title: 'secretKeyRef to a secret in another namespace' },
  duplicateWorkload: { code: 'TN3016', severity: 'error', title: 'two workloads share a name in one namespace' },
  headscalePolicyRejected: { code: 'TN3017', severity: 'error', title: 'Headscale-dialect policy fails validation' },
  operatorTagOwner: { code: 'TN3018', severity: 'warning', title: 'operator cannot apply its proxy tags' },
  invalidQuantity: { code: 'TN3019', severity: 'error', title: 'resource quantity is malformed' },
  ephemeralState: { code: 'TN3020', severity: 'warning', title: 'sidecar state is lost when a pod is replaced' },
  duplicateOperator: { code: 'TN3021', severity: 'error', title: 'more than one Tailscale operator in a stack' },
  invalidControlServer: { code: 'TN3022', severity: 'error', title: 'control server settings are malformed' },
  authNeedsTailscaleApi: {
    code: 'TN3080',
    severity: 'error',
    title: 'OAuth or workload identity login with a Headscale control server',
  },
  invalidWorkloadIdentity: { code: 'TN3081', severity: 'error', title: 'workload identity settings are malformed' },
  operatorServicePorts: { code: 'TN3083', severity: 'error', title: 'operator-hosted Service is not HTTPS on 443' },
  servicesNeedTailscale: {
    code: 'TN3082',
    severity: 'error',
    title: 'Tailscale Services with a Headscale control server',
  },
});
