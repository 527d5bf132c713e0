// `stacky` / `stacky console`: the interactive terminal console. Refuses to start without a TTY
// (it would hang or crash in raw mode) and points at the print commands instead.
import {parseArgs} from 'node:util';
import {loadSettings} from './settings.js';
import {credentialsOf} from './credentials.js';
import {setDefaultCredentials} from '../client/credentials.js';

const usage = `usage: stacky [console] [--url URL] [--ca FILE] [--deployment all|NAME|ID] [--service nova|glance|generic] [--poll SECONDS]`;

export async function run(argv: string[]): Promise<number> {
  const args = argv[0] === 'console' ? argv.slice(1) : argv;
  let values: {url?: string; ca?: string; deployment?: string; service?: string; poll?: string; help?: boolean};
  try {
    ({values} = parseArgs({
      args,
      options: {
        url: {type: 'string'},
        ca: {type: 'string'},
        deployment: {type: 'string'},
        service: {type: 'string'},
        poll: {type: 'string'},
        help: {type: 'boolean', short: 'h'},
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`stacky console: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\nKeys: ? inside the console lists them all.\n`);
    return 0;
  }
  let settings;
  try {
    const poll = values.poll === undefined ? undefined : Number(values.poll);
    settings = loadSettings({url: values.url, deployment: values.deployment, service: values.service, poll,
      ...(values.ca !== undefined ? {ca: values.ca} : {})});
    // The console builds its own clients (source/console/data-source.ts): they take these.
    setDefaultCredentials(credentialsOf(settings));
  } catch (error) {
    process.stderr.write(`stacky console: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(
      'stacky console needs an interactive terminal (stdin and stdout must be a TTY).\n' +
        'For scripts and pipes use the print commands instead, e.g.\n' +
        '  stacky watch all nova      stacky uuid <uuid>      stacky search nova <field> <value>\n' +
        '  stacky show <id>           stacky reports           stacky summary\n' +
        'See stacky --help for the full list.\n',
    );
    return 2;
  }
  const {launchConsole} = await import('../console/launch.js');
  return launchConsole(settings);
}
