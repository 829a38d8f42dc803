/**
 * Canonical INI as wg-quick(8) and wg(8) read it: `[Section]` lines, `Key = value` lines, `#` comment lines, one
 * blank line between sections, LF, one final newline. Keys may repeat (wg-quick's `PostUp`), so entries are a list
 * in the caller's order; callers sort what has no meaning in order.
 */
export interface IniSection {
  readonly name: string;
  /** Comment lines printed above the section header. */
  readonly comment?: readonly string[];
  readonly entries: readonly (readonly [string, string | number])[];
}

export function printIni(sections: readonly IniSection[], header: readonly string[] = []): string {
  const blocks = sections.map((s) =>
    [
      ...(s.comment ?? []).map(commentLine),
      `[${s.name}]`,
      ...s.entries.map(([k, v]) => {
        const text = String(v);
        // A newline would start a new line of the file: values are generated, so this is a bug, not bad input.
        if (/[\r\n]/.test(text) || /[\r\n=[\]]/.test(k)) throw new Error(`INI entry ${k} cannot be printed`);
        return `${k} = ${text}`;
      }),
    ].join('\n'),
  );
  const head = header.length > 0 ? [header.map(commentLine).join('\n')] : [];
  return `${[...head, ...blocks].join('\n\n')}\n`;
}

function commentLine(line: string): string {
  return line === '' ? '#' : `# ${line.replace(/[\r\n]/g, ' ')}`;
}
