// `stacky config get|set|unset|path`: the saved client settings (run: source/commands/config.ts).
import type {CommandSpec} from '../spec.js';

export const configSpec = {
  name: 'config',
  group: 'client',
  summary: 'Show or change the saved client settings: url, deployment, service, poll, token, ca.',
  args: 'get [KEY] | set KEY VALUE | unset KEY | path',
  argHelp: [
    ['get [KEY]', 'print the saved settings, or one'],
    ['set KEY VALUE', 'save a setting'],
    ['unset KEY', 'forget a setting'],
    ['path', 'print where the settings file lives'],
  ],
  details: [
    'Keys:',
    '  url         server URL (default http://127.0.0.1:8000)',
    '  deployment  all, a deployment name or a numeric id (default all; used by watch and the console)',
    '  service     nova, glance or generic (default nova)',
    '  poll        seconds between watch polls (default 2)',
    '  token       bearer token for a server with --auth-file (STACKY_TOKEN overrides; get shows only "(set)")',
    '  ca          CA certificate file for an https:// server (STACKY_CA and --ca override)',
    'Flags and STACKTACH_URL / STACKY_URL override the saved url. The file lives in $STACKY_CONFIG_DIR, else ' +
      '$XDG_CONFIG_HOME/stacky, else ~/.config/stacky (see stacky config path).',
  ],
  flags: {},
  examples: ['stacky config set url http://stacktach.example.com:8000', 'stacky config get'],
} as const satisfies CommandSpec;
