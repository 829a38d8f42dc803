import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { EXIT } from './exit';

/**
 * `tailnet-cdk`. Commands load their modules only when run, so `--version` and `--help` stay as fast as node
 * itself (cdktf and the emitters are never loaded for them).
 */
export function buildProgram(): Command {
  const program = new Command('tailnet-cdk')
    .description('Infrastructure as code for Tailscale networks')
    .version(readVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

function readVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit through here with code 0; usage errors are exit 2 (DESIGN.md command line).
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw e;
  }
}

if (require.main === module || process.argv[1]?.endsWith('tailnet-cdk.js')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(
        `${process.env.TAILNET_DEBUG === '1' && e instanceof Error ? e.stack : String(e instanceof Error ? e.message : e)}\n`,
      );
      process.exitCode = EXIT.findings;
    },
  );
}
