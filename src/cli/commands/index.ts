import { type Command, Option } from 'commander';
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
  registerPolicyCommands(program);
  registerImportCommands(program);
  program
    .command('graph [policy]')
    .description('draw the access map of a synthesized stack, or of a policy file with a device inventory')
    .option('--stack <name>', 'a synthesized stack: reads <dir>/<name>/policy.hujson and devices.json')
    .option('--devices <file>', 'device inventory (body of GET /api/v2/tailnet/{tailnet}/devices)')
    .option('--format <format>', 'svg, html (the access report), mermaid or dot', 'svg')
    .option('--expand', 'list the devices inside every tag, group and user')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--dir <dir>', 'where synthesized stacks are', 'out')
    .action((policy, opts) => runCommand(() => require('./graph') as typeof import('./graph'), policy, opts));
}

const DIALECT = () =>
  new Option('--dialect <dialect>', 'policy dialect').choices(['tailscale', 'headscale']).default('tailscale');
const DEVICES = '--devices <file>';
const DEVICES_HELP = 'device inventory (body of GET /api/v2/tailnet/{tailnet}/devices, or out/<stack>/devices.json)';

/** validate, test, explain, plan, lint: the policy engine on any policy file (src/policy). */
function registerPolicyCommands(program: Command): void {
  program
    .command('validate <policy>')
    .description('check a policy file the way Tailscale does on save; every problem at file:line:col')
    .addOption(DIALECT())
    .option('--json', 'print the result as JSON')
    .action((policy, opts) => runCommand(() => require('./validate') as typeof import('./validate'), policy, opts));
  program
    .command('test [policy]')
    .description("run a policy's tests and sshTests (default: every stack under out/ with its devices.json)")
    .option(DEVICES, DEVICES_HELP)
    .addOption(DIALECT())
    .option('--out <dir>', 'where synthesized stacks are', 'out')
    .option('--json', 'print the results as JSON')
    .action((policy, opts) => runCommand(() => require('./test') as typeof import('./test'), policy, opts));
  program
    .command('explain <policy> <src> <dst>')
    .description('why traffic from src to dst:port is accepted or denied (src/dst: device name or IP)')
    .option(DEVICES, `${DEVICES_HELP} (default: devices.json beside the policy)`)
    .option('--proto <proto>', 'protocol name or number', 'tcp')
    .option('--ssh-user <login>', 'explain Tailscale SSH as this login instead (and whether tcp/22 is open)')
    .option('--limit <n>', 'how many near-miss rules to show', '5')
    .addOption(DIALECT())
    .option('--json', 'print the explanation as JSON')
    .action((policy, src, dst, opts) =>
      runCommand(() => require('./explain') as typeof import('./explain'), policy, src, dst, opts),
    );
  program
    .command('lint <policy>')
    .description('find unused definitions, redundant and over-broad rules, accidental exit-node use, idle tests')
    .option(DEVICES, `${DEVICES_HELP}; enables the checks that need devices`)
    .addOption(DIALECT())
    .option('--json', 'print the findings as JSON')
    .action((policy, opts) => runCommand(() => require('./lint') as typeof import('./lint'), policy, opts));
  program
    .command('plan')
    .description('who gains and who loses access between two policy versions (default: out/ against git HEAD)')
    .option('--base <ref>', 'compare every stack under out/ with the same files at this git revision', undefined)
    .option('--before <policy>', 'the old policy file (with --after)')
    .option('--after <policy>', 'the new policy file (with --before)')
    .option(DEVICES, `${DEVICES_HELP} (default: the stacks' devices.json)`)
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json', 'html']).default('text'),
    )
    .option('--exit-code', 'exit 1 when access changed')
    .option('--out <dir>', 'where synthesized stacks are', 'out')
    .addOption(DIALECT())
    .action((opts) => runCommand(() => require('./plan') as typeof import('./plan'), opts));
}

/** Options of the commands that call the Tailscale API (src/import). */
function apiOptions(command: Command): Command {
  return command
    .option(
      '--tailnet <tailnet>',
      "tailnet ID, organization name, or - for the credential's own (default: $TAILSCALE_TAILNET or -)",
    )
    .option('--api-url <url>', 'Tailscale API base URL (default: $TAILSCALE_BASE_URL or https://api.tailscale.com)')
    .option('--credentials-file <file>', 'file holding the API key or OAuth client secret, readable only by you')
    .option('--no-cache', 'do not use or refresh the 5-minute device-list cache');
}

/** import devices, import policy, drift: bringing a live tailnet under code and watching it (src/import). */
function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('turn a live tailnet or a policy file into a TypeScript stack');
  apiOptions(imp.command('devices'))
    .description("list the tailnet's devices (sorted by name) and write them as a stack and/or an inventory")
    .option('--from-file <devices.json>', 'read a saved device list instead of calling the API')
    .option('--online', 'only devices connected to the control server')
    .option('--offline', 'only devices not connected to the control server')
    .option('--os <os>', 'only devices with this OS (linux, macOS, windows, iOS, android …)')
    .option('--tag <tag...>', 'only devices carrying every one of these tags')
    .option('--out <file.ts>', 'write a TypeScript stack declaring the devices')
    .option('--inventory <devices.json>', 'write the device list in the API format')
    .option('--json', 'print the device list (every field) as JSON')
    .option('--class-name <name>', 'class of the generated stack (default: from the --out file name)')
    .option('--stack-name <id>', 'default stack name of the generated stack', 'imported-devices')
    .option('--import-from <module>', 'module the generated code imports the constructs from', 'tailnet-cdk')
    .action((opts) => runCommand(() => require('./import-devices') as typeof import('./import-devices'), opts));
  apiOptions(imp.command('policy [policy]'))
    .description('turn a policy file (or --from-api, the live one) into a TypeScript stack of constructs')
    .option('--from-api', 'import the live policy (and, unless --no-devices, the devices) of the tailnet')
    .option('--devices <devices.json>', "declare these devices too (synth runs the policy's tests on declared devices)")
    .option('--no-devices', "with --from-api: do not declare the tailnet's devices")
    .option('--out <file.ts>', 'write the stack to this file (default: stdout)')
    .option('--class-name <name>', 'class of the generated stack (default: from the --out file name)')
    .option('--stack-name <id>', 'default stack name of the generated stack', 'imported')
    .option('--import-from <module>', 'module the generated code imports the constructs from', 'tailnet-cdk')
    .action((policy, opts) =>
      runCommand(() => require('./import-policy') as typeof import('./import-policy'), policy, opts),
    );
  apiOptions(program.command('drift'))
    .description('compare a synthesized stack (policy and devices) with the live tailnet; exit 1 on drift')
    .option('--stack <name>', 'stack under the output folder (required when there are several)')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--out-dir <dir>', 'where synthesized stacks are', 'out')
    .action((opts) => runCommand(() => require('./drift') as typeof import('./drift'), opts));
}
