import * as fs from 'node:fs';
import { IMPORT_CODES } from './codes';
import { ImportFailure, Secret } from './failure';

/**
 * Where API credentials come from (facts/tailscale-api.md §1): a personal API access token (`tskey-api-…`), or an
 * OAuth client (id + `tskey-client-…` secret) exchanged for a one-hour token. A credential is read from the
 * environment or from a file; it is never taken from a command-line argument, where `ps` and shell history
 * would show it.
 */
export type Credentials =
  | { readonly kind: 'apiKey'; readonly key: Secret; readonly source: string }
  | { readonly kind: 'oauth'; readonly clientId: string; readonly clientSecret: Secret; readonly source: string };

export interface CredentialOptions {
  /** `--credentials-file`: wins over every environment variable. */
  readonly credentialsFile?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const HINT =
  'set TAILSCALE_API_KEY, or TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET, or point ' +
  'TAILSCALE_API_KEY_FILE (or --credentials-file) at a file readable only by you';

export function resolveCredentials(options: CredentialOptions = {}): Credentials {
  const env = options.env ?? process.env;
  if (options.credentialsFile) return fromFile(options.credentialsFile, env, '--credentials-file');
  const file = nonEmpty(env.TAILSCALE_API_KEY_FILE);
  const key = nonEmpty(env.TAILSCALE_API_KEY);
  const clientId = nonEmpty(env.TAILSCALE_OAUTH_CLIENT_ID);
  const clientSecret = nonEmpty(env.TAILSCALE_OAUTH_CLIENT_SECRET);
  const sources = [file && 'TAILSCALE_API_KEY_FILE', key && 'TAILSCALE_API_KEY', clientSecret && 'an OAuth client'];
  const set = sources.filter((s): s is string => typeof s === 'string');
  if (set.length > 1) {
    // As gitops-pusher: two credentials at once is a mistake, not something to pick from silently.
    throw ImportFailure.of(
      IMPORT_CODES.credentialsConflict,
      'credentials',
      `credentials are set in more than one way (${set.join(', ')})`,
      'keep exactly one of TAILSCALE_API_KEY_FILE, TAILSCALE_API_KEY or the TAILSCALE_OAUTH_CLIENT_* pair',
    );
  }
  if (file) return fromFile(file, env, 'TAILSCALE_API_KEY_FILE');
  if (key) return { kind: 'apiKey', key: checkedSecret(key, 'TAILSCALE_API_KEY'), source: 'TAILSCALE_API_KEY' };
  if (clientSecret) return oauth(clientId, clientSecret, 'TAILSCALE_OAUTH_CLIENT_SECRET');
  if (clientId) {
    throw ImportFailure.of(
      IMPORT_CODES.credentialsMissing,
      'credentials',
      'TAILSCALE_OAUTH_CLIENT_ID is set but TAILSCALE_OAUTH_CLIENT_SECRET is not',
      'set the client secret (tskey-client-…) too',
    );
  }
  throw ImportFailure.of(IMPORT_CODES.credentialsMissing, 'credentials', 'no Tailscale API credentials found', HINT);
}

function oauth(clientId: string | undefined, secret: string, source: string): Credentials {
  if (!clientId) {
    throw ImportFailure.of(
      IMPORT_CODES.credentialsMissing,
      'credentials',
      `an OAuth client secret was found in ${source} but TAILSCALE_OAUTH_CLIENT_ID is not set`,
      'set TAILSCALE_OAUTH_CLIENT_ID to the id of the OAuth client',
    );
  }
  return { kind: 'oauth', clientId, clientSecret: checkedSecret(secret, source), source };
}

/** A file holding one API key, or an OAuth client secret (then the client id comes from the environment). */
function fromFile(file: string, env: Readonly<Record<string, string | undefined>>, source: string): Credentials {
  const value = readCredentialsFile(file);
  const where = `${source} (${file})`;
  if (value.startsWith('tskey-client-')) return oauth(nonEmpty(env.TAILSCALE_OAUTH_CLIENT_ID), value, where);
  return { kind: 'apiKey', key: checkedSecret(value, where), source: where };
}

/** Reads a credentials file after the check ssh makes of private keys: no access for group or others. */
export function readCredentialsFile(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw unreadable(file, e);
  }
  if (!stat.isFile()) throw unreadable(file, new Error('not a regular file'));
  const mode = stat.mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw ImportFailure.of(
      IMPORT_CODES.credentialsFileTooOpen,
      file,
      `credentials file is accessible by group or others (mode ${mode.toString(8).padStart(4, '0')}); refusing to use it`,
      `run: chmod 600 ${file}`,
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw unreadable(file, e);
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  if (lines.length !== 1) {
    throw ImportFailure.of(
      IMPORT_CODES.credentialsInvalid,
      file,
      `credentials file holds ${lines.length} values; expected exactly one line with the key`,
      'put only the API key (tskey-api-…) or the OAuth client secret (tskey-client-…) in the file',
    );
  }
  return lines[0].trim();
}

function unreadable(file: string, e: unknown): ImportFailure {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'permission denied' : String(e);
  return ImportFailure.of(
    IMPORT_CODES.credentialsFileUnreadable,
    file,
    `credentials file cannot be read: ${reason}`,
    'check the path given by --credentials-file or TAILSCALE_API_KEY_FILE',
  );
}

function checkedSecret(value: string, source: string): Secret {
  if (/\s/.test(value)) {
    throw ImportFailure.of(
      IMPORT_CODES.credentialsInvalid,
      'credentials',
      `the credential from ${source} contains whitespace`,
      'a Tailscale key is one word such as tskey-api-…',
    );
  }
  return new Secret(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
