import { spawnSync } from 'node:child_process';

/**
 * Real-tool tests: under CI (`CI=true`, where `.ci/run` installed the Debian packages) a missing tool fails the
 * run; on a developer machine the test is skipped with a notice naming the package to install.
 */
export function hasTool(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Returns true when the tool is there; otherwise throws under CI or prints a notice and returns false. */
export function requireTool(command: string, debianPackage = command): boolean {
  if (hasTool(command)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${command} is missing: .ci/run should have installed the Debian package "${debianPackage}"`);
  }
  process.stderr.write(`notice: skipping tests that need ${command} (apt-get install ${debianPackage})\n`);
  return false;
}

/** Root and `ip netns` available (network-namespace tests need both). */
export function canUseNetns(): boolean {
  if (!hasTool('ip') || process.getuid?.() !== 0) return false;
  const name = `tncdk-probe-${process.pid}`;
  const ok = spawnSync('ip', ['netns', 'add', name], { stdio: 'ignore' }).status === 0;
  if (ok) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  return ok;
}
