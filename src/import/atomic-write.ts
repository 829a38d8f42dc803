import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMPORT_CODES } from './codes';
import { ImportFailure } from './failure';

export interface FileToWrite {
  readonly file: string;
  readonly content: string;
  /** @default 0o644 (0o600 for cache files, which hold the tailnet's device list) */
  readonly mode?: number;
}

/**
 * Writes every file to a temporary sibling first and renames them into place only when all were written, so a
 * failure leaves the old files (or none), never half of one, and a command producing two outputs (a stack and an
 * inventory) does not leave one of them behind when the other cannot be written.
 */
export function writeFilesAtomic(files: readonly FileToWrite[]): void {
  const suffix = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const staged: [string, string][] = [];
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.resolve(f.file)), { recursive: true });
      const temp = `${f.file}${suffix}`;
      fs.writeFileSync(temp, f.content, { mode: f.mode ?? 0o644 });
      staged.push([temp, f.file]);
    }
    for (const [temp, file] of staged) fs.renameSync(temp, file);
  } catch (e) {
    for (const [temp] of staged) fs.rmSync(temp, { force: true });
    const failed = files.find((f) => !fs.existsSync(f.file))?.file ?? files[0]?.file ?? '';
    throw ImportFailure.of(
      IMPORT_CODES.outputUnwritable,
      failed,
      `cannot write the output: ${(e as Error).message}`,
      'check that the folder exists and is writable',
    );
  }
}
