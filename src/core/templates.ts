import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/**
 * A file under `templates/`, found from the package root (the nearest folder up from this module with the
 * `tailnet-cdk` package.json), so templates resolve the same from the TypeScript sources and from a bundle.
 */
export function templatePath(...parts: string[]): string {
  root ??= packageRoot(__dirname);
  return path.join(root, 'templates', ...parts);
}

function packageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tailnet-cdk'
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`templates/ not found above ${start}`);
  }
}
