/**
 * Progress on long work (synth of many stacks, plan over git history, import of many devices): one status line on
 * stderr, redrawn in place, cleared when the work ends. Only on a terminal: piped or redirected output, CI logs and
 * `TERM=dumb` get nothing, so logs and golden outputs never contain progress noise. Colour only when `NO_COLOR` is
 * unset or empty (https://no-color.org).
 */
export interface ProgressStream {
  readonly isTTY?: boolean;
  /** Terminal width; the line is cut to fit, because a wrapped line cannot be redrawn with `\r`. */
  readonly columns?: number;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  /** @default process.stderr */
  readonly stream?: ProgressStream;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Milliseconds clock, for redraw throttling. @default performance.now */
  readonly now?: () => number;
  /** Least time between two redraws; the last step is always drawn. @default 80 */
  readonly intervalMs?: number;
}

export interface Progress {
  /** False when nothing will ever be written (not a terminal). */
  readonly enabled: boolean;
  /** Counts one unit of work and shows `item` (what is being worked on). */
  step(item?: string): void;
  /** Clears the status line; call before printing results, and on failure too. */
  done(): void;
}

const BAR_WIDTH = 20;
const CLEAR_LINE = '\r\x1b[K';

const QUIET: Progress = { enabled: false, step() {}, done() {} };

export function createProgress(label: string, total: number | undefined, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  if (stream.isTTY !== true || env.TERM === 'dumb') return QUIET;
  const colour = (env.NO_COLOR ?? '') === '';
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 80;
  let count = 0;
  let drawnAt: number | undefined;
  return {
    enabled: true,
    step(item = '') {
      count++;
      const t = now();
      const last = total !== undefined && count >= total;
      if (!last && drawnAt !== undefined && t - drawnAt < interval) return;
      drawnAt = t;
      stream.write(CLEAR_LINE + fitToWidth(statusLine(label, count, total, item, colour), stream.columns));
    },
    done() {
      if (drawnAt !== undefined) stream.write(CLEAR_LINE);
      drawnAt = undefined;
    },
  };
}

/** `synth ████████░░░░ 2/3 kernelcore` (or `import 140 devices` when the total is unknown). */
export function statusLine(
  label: string,
  count: number,
  total: number | undefined,
  item: string,
  colour: boolean,
): string {
  const paint = (code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  if (total === undefined || total <= 0) return [paint('1', label), `${count}`, item].filter(Boolean).join(' ');
  const filled = Math.round((Math.min(count, total) / total) * BAR_WIDTH);
  const bar = paint('36', '█'.repeat(filled)) + paint('2', '░'.repeat(BAR_WIDTH - filled));
  return [paint('1', label), bar, `${count}/${total}`, item].filter(Boolean).join(' ');
}

/** Cuts the visible text to the terminal width minus one (so the cursor never wraps); escapes take no columns. */
export function fitToWidth(line: string, columns: number | undefined): string {
  if (!columns || columns < 2) return line;
  const max = columns - 1;
  let visible = 0;
  let out = '';
  for (const part of line.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      continue;
    }
    const chars = [...part];
    const room = max - visible;
    out += chars.slice(0, Math.max(room, 0)).join('');
    visible += Math.min(chars.length, Math.max(room, 0));
  }
  return out;
}
