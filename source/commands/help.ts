// `stacky --help` and `stacky help [command]`: the registry's commands, a line each, or one
// command's help. Everything here is derived from source/commands/registry.ts.
import {UsageError} from './args.js';
import {printFlags} from './print/specs.js';
import {findCommand, registry} from './registry.js';
import {command, helpText, wrap, WIDTH, type CommandSpec} from './spec.js';
import {helpSpec} from './specs/help.js';

const sections: [CommandSpec['group'], string][] = [
  ['print', 'Print commands (arguments as in the original stacky client):'],
  ['server', 'Server and data:'],
  ['client', 'Console, settings and help:'],
];

export function fullHelp(): string {
  const lines = [
    'stacky: a live monitor for OpenStack notifications, compatible with StackTach.',
    '',
    'Usage: stacky <command> [arguments] [flags]',
    '       stacky [console flags]     open the console',
    '       stacky --version',
  ];
  for (const [group, title] of sections) {
    lines.push('', title);
    for (const {spec} of registry.filter((c) => c.spec.group === group)) {
      lines.push(`  ${spec.name}${spec.args ? ` ${spec.args}` : ''}`, ...wrap(spec.summary, WIDTH - 6).map((l) => `      ${l}`));
    }
    if (group === 'print') lines.push(`Each prints a table and takes ${Object.keys(printFlags).map((f) => `--${f}`).join(', ')}.`);
  }
  lines.push(
    '',
    'Environment: STACKTACH_URL or STACKY_URL (server URL), STACKY_TOKEN (bearer',
    'token), STACKY_CA (CA file for https), STACKY_CONFIG_DIR, STACKY_DB (database).',
    'Exit status: 0 ok, 1 server error or unreachable server, 2 usage error.',
    'Run `stacky <command> --help` for one command\'s arguments, flags and examples.',
  );
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  return command(helpSpec, argv, async ({positionals}) => {
    if (positionals.length === 0) {
      process.stdout.write(fullHelp());
      return 0;
    }
    const found = findCommand(positionals);
    if (!found || found.rest.length > 0) throw new UsageError(`unknown command '${positionals.join(' ')}'`);
    process.stdout.write(helpText(found.command.spec));
    return 0;
  });
}
