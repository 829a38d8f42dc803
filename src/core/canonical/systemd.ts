/**
 * Canonical systemd unit files and drop-ins (INI syntax of systemd.syntax(7)): `[Section]` headers in the order
 * given, `Key=value` lines in the order given (order is meaningful: repeated keys such as `Environment=` or
 * `ExecStartPre=` accumulate), `#` comments, one blank line between sections, LF, one final newline.
 */
export interface SystemdLine {
  readonly key: string;
  readonly value: string;
  /** Comment lines printed above the line. @default - none */
  readonly comment?: readonly string[];
}

export interface SystemdSection {
  readonly name: string;
  readonly lines: readonly SystemdLine[];
}

export function printSystemdUnit(sections: readonly SystemdSection[], header: readonly string[] = []): string {
  const head = header.map((l) => (l === '' ? '#\n' : `# ${l}\n`)).join('');
  const body = sections
    .filter((s) => s.lines.length > 0)
    .map((s) => {
      const lines = s.lines.flatMap((l) => {
        if (/[\n\r]/.test(l.key + l.value)) throw new Error(`systemd value of ${l.key} spans lines`);
        return [...(l.comment ?? []).map((c) => `# ${c}`), `${l.key}=${l.value}`];
      });
      return `[${s.name}]\n${lines.join('\n')}\n`;
    })
    .join('\n');
  return head + (head && body ? '\n' : '') + body;
}

/**
 * One `Environment=` assignment, double-quoted so spaces stay in the value (systemd.exec(5) "Environment="); `\` and
 * `"` are escaped for the quoting, `%` doubled because Environment= expands specifiers (systemd.unit(5) "Specifiers").
 */
export function systemdEnvironment(name: string, value: string): string {
  const escaped = `${name}=${value}`.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%');
  return `"${escaped}"`;
}

/** Reads `Key=value` lines back per section (comments and blank lines skipped), for tests and round trips. */
export function parseSystemdUnit(text: string): { section: string; key: string; value: string }[] {
  const out: { section: string; key: string; value: string }[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not a Key=value line: ${line}`);
    out.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  return out;
}
