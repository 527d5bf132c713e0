// `stacky` / `stacky console`: the interactive terminal console. Refuses to start without a TTY
// (it would hang or crash in raw mode) and points at the print commands instead.
import {loadSettings} from './settings.js';
import {credentialsOf} from './credentials.js';
import {setDefaultCredentials} from '../client/credentials.js';
import {UsageError} from './args.js';
import {command} from './spec.js';
import {consoleSpec} from './specs/console.js';

export async function run(argv: string[]): Promise<number> {
  return command(consoleSpec, argv, async ({values}) => {
    let settings;
    try {
      const poll = values.poll === undefined ? undefined : Number(values.poll);
      settings = loadSettings({url: values.url, deployment: values.deployment, service: values.service, poll,
        ...(values.ca !== undefined ? {ca: values.ca} : {})});
      // The console builds its own clients (source/console/data-source.ts): they take these.
      setDefaultCredentials(credentialsOf(settings));
    } catch (error) {
      throw new UsageError((error as Error).message);
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
  });
}
