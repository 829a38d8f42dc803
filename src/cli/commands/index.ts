import type { Command } from 'commander';
import { EXIT, UsageError } from '../exit';

/**
 * Runs a command module loaded on demand (plain `require`: the CLI is CommonJS, and loading only the command
 * being run keeps start-up fast) and turns its outcome into an exit code.
 */
export async function runCommand(
  load: () => { run(...args: never[]): Promise<number> | number },
  ...args: unknown[]
): Promise<void> {
  try {
    const mod = load();
    process.exitCode = await (mod.run as (...a: unknown[]) => Promise<number> | number)(...args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    throw e;
  }
}

export function registerCommands(program: Command): void {
  program
    .command('synth')
    .description('synthesize every stack of the app named in cdktf.json into out/')
    .option('--check', 'do not write; exit 1 and name the files when out/ differs from a fresh synth')
    .option('--app <command>', 'app command (default: "app" of cdktf.json)')
    .option('--out <dir>', 'output folder', 'out')
    .action((opts) => runCommand(() => require('./synth') as typeof import('./synth'), opts));
}
