import { compareStrings } from '../core/diagnostics';
import type { CodeInfo } from '../core/errors';

/** One difference between the stack and the live tailnet, as every drift report format shows it. */
export interface DriftFinding {
  readonly code: string;
  readonly title: string;
  /** `policy`, `policy.groups`, `access`, or the device's host label. */
  readonly subject: string;
  readonly message: string;
  /** Lines detailing the difference: `+` only live, `-` only in the stack, `~` different. */
  readonly details: readonly string[];
}

export function finding(info: CodeInfo, subject: string, message: string, details: readonly string[]): DriftFinding {
  return { code: info.code, title: info.title, subject, message, details };
}

/** `+` for what only the live side has, `-` for what only the stack has. */
export function setDetails(local: readonly string[], live: readonly string[]): string[] {
  return [
    ...live.filter((x) => !local.includes(x)).map((x) => `+ ${x}`),
    ...local.filter((x) => !live.includes(x)).map((x) => `- ${x}`),
  ];
}

export function sorted(xs: readonly string[]): string[] {
  return [...xs].sort(compareStrings);
}
