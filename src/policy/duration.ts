/**
 * Go `time.ParseDuration` / `Duration.String()`, because SSH checkPeriod messages quote Go's formatting
 * (`checkPeriod 168h0m1s is above the max (168h)`, `time: invalid duration "abc"`, §7).
 */
const UNIT_NANOS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const PART_RE = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/** Nanoseconds, or undefined when Go would reject the text. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  while (s !== '') {
    const m = PART_RE.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_NANOS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * total;
}

export function formatGoDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  const abs = Math.abs(nanos);
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)}µs`;
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)}ms`;
  const hours = Math.floor(abs / 3600e9);
  const minutes = Math.floor((abs - hours * 3600e9) / 60e9);
  const seconds = (abs - hours * 3600e9 - minutes * 60e9) / 1e9;
  if (hours > 0) return `${sign}${hours}h${minutes}m${trim(seconds)}s`;
  if (minutes > 0) return `${sign}${minutes}m${trim(seconds)}s`;
  return `${sign}${trim(seconds)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}

export const MAX_CHECK_PERIOD_NANOS = 168 * 3600e9;
