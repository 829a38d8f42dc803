import { defineCodes } from '../core/errors';

/**
 * TN7xxx: credentials, the Tailscale API client, `import devices`, `import policy` and `drift`.
 * Messages never contain a credential: every text that leaves this area goes through `redact` first.
 */
export const IMPORT_CODES = defineCodes({
  credentialsMissing: { code: 'TN7001', severity: 'error', title: 'no Tailscale API credentials found' },
  credentialsConflict: { code: 'TN7002', severity: 'error', title: 'both an API key and an OAuth client are set' },
  credentialsFileUnreadable: { code: 'TN7003', severity: 'error', title: 'credentials file cannot be read' },
  credentialsFileTooOpen: {
    code: 'TN7004',
    severity: 'error',
    title: 'credentials file is readable by group or others',
  },
  credentialsInvalid: { code: 'TN7005', severity: 'error', title: 'credential value is empty or malformed' },
  unauthorized: { code: 'TN7010', severity: 'error', title: 'the API rejected the credentials (401)' },
  forbidden: { code: 'TN7011', severity: 'error', title: 'the credentials may not do this (403)' },
  tailnetNotFound: { code: 'TN7012', severity: 'error', title: 'tailnet or object not found (404)' },
  preconditionFailed: { code: 'TN7013', severity: 'error', title: 'the policy changed since it was read (412)' },
  rateLimited: { code: 'TN7014', severity: 'error', title: 'still rate limited (429) after every retry' },
  serverError: { code: 'TN7015', severity: 'error', title: 'the API kept failing (5xx) after every retry' },
  networkError: { code: 'TN7016', severity: 'error', title: 'network error or timeout after every retry' },
  apiError: { code: 'TN7017', severity: 'error', title: 'the API answered with an unexpected status' },
  oauthFailed: { code: 'TN7018', severity: 'error', title: 'OAuth client-credentials token exchange failed' },
  invalidApiUrl: { code: 'TN7019', severity: 'error', title: 'API base URL is malformed or unsafe' },
  malformedAnswer: { code: 'TN7020', severity: 'error', title: 'API answer or inventory has the wrong shape' },
  policyNotImportable: { code: 'TN7030', severity: 'error', title: 'policy file fails validation; nothing imported' },
  importAdjusted: {
    code: 'TN7031',
    severity: 'warning',
    title: 'a policy detail the constructs express differently was rewritten',
  },
  outputUnwritable: { code: 'TN7040', severity: 'error', title: 'output file cannot be written' },
  stackNotSynthesized: { code: 'TN7050', severity: 'error', title: 'stack has no synthesized policy under out/' },
  driftPolicyText: { code: 'TN7060', severity: 'error', title: 'live policy text differs from the synthesized one' },
  driftPolicyAccess: { code: 'TN7061', severity: 'error', title: 'live policy differs in a section' },
  driftDeviceMissing: { code: 'TN7062', severity: 'error', title: 'declared device is not on the tailnet' },
  driftDeviceUnexpected: { code: 'TN7063', severity: 'error', title: 'device on the tailnet is not declared' },
  driftDeviceTags: { code: 'TN7064', severity: 'error', title: 'device carries other tags than declared' },
  driftRoutesUnapproved: { code: 'TN7065', severity: 'error', title: 'advertised route is not approved' },
  driftExitNode: { code: 'TN7066', severity: 'error', title: 'exit node differs from the declaration' },
  driftRoutes: { code: 'TN7067', severity: 'error', title: 'device advertises other routes than declared' },
  driftAccess: { code: 'TN7068', severity: 'error', title: 'the live policy gives different access' },
});
