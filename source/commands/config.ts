// `stacky config get [key] | set <key> <value> | unset <key> | path`: the saved client settings.
import {looseModeWarning, tighten} from './file-modes.js';
import {command, helpText, usageLine} from './spec.js';
import {configSpec} from './specs/config.js';
import {MemoryConfig, configKeys, isConfigKey, openConfig, parseConfigValue, savedSettings, type ConfigKey, type Settings} from './settings.js';

/** Whether a URL carries a password (http://user:password@host). */
function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

interface Out {
  write(text: string): unknown;
}

export interface ConfigRunOptions {
  env?: NodeJS.ProcessEnv;
  stdout?: Out;
  stderr?: Out;
}

const fieldOf: Record<ConfigKey, keyof Settings> = {url: 'url', deployment: 'deployment', service: 'service', poll: 'pollSeconds',
  token: 'token', ca: 'ca'};

/** A saved value as `get` shows it: the token never, only that one is set. */
function shown(key: ConfigKey, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return key === 'token' ? '(set)' : String(value);
}

export async function run(argv: string[], options: ConfigRunOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  return command(configSpec, argv, ({positionals}) => configure(positionals, env, stdout, stderr), {stdout, stderr});
}

async function configure(argv: string[], env: NodeJS.ProcessEnv, stdout: Out, stderr: Out): Promise<number> {
  const usage = (message: string): number => {
    stderr.write(usageLine('config', message));
    return 2;
  };
  const [action, ...rest] = argv;
  if (action === undefined || action === 'help') {
    stdout.write(helpText(configSpec));
    return action === undefined ? 2 : 0;
  }
  const checkKey = (key: string | undefined): key is ConfigKey => key !== undefined && isConfigKey(key);
  const unknownKey = (key: string) => usage(`unknown key '${key}' (keys: ${configKeys.join(', ')})`);

  let store;
  try {
    store = openConfig(env);
  } catch (error) {
    stderr.write(`stacky config: cannot read the config: ${(error as Error).message}\n`);
    return 1;
  }
  const notSaved = () => {
    if (store instanceof MemoryConfig) {
      stderr.write(`stacky config: ${store.reason}; the change was not saved\n`);
      return true;
    }
    return false;
  };

  switch (action) {
    case 'path':
      if (rest.length > 0) return usage('path takes no arguments');
      stdout.write(`${store.path}\n`);
      return 0;
    case 'get': {
      if (rest.length > 1) return usage('get takes at most one key');
      const values = savedSettings(store);
      if (rest[0] !== undefined) {
        if (!checkKey(rest[0])) return unknownKey(rest[0]);
        stdout.write(`${shown(rest[0], values[fieldOf[rest[0]]]) ?? ''}\n`);
        return 0;
      }
      for (const key of configKeys) {
        const value = shown(key, values[fieldOf[key]]);
        if (value !== undefined) stdout.write(`${key}=${value}\n`);
      }
      const loose = hasPassword(values.url) ? looseModeWarning(store.path, 'a URL with a password') : undefined;
      if (loose) stderr.write(`stacky config: warning: ${loose}\n`);
      const envUrl = env.STACKTACH_URL || env.STACKY_URL;
      if (envUrl) stderr.write(`(the environment overrides url: ${envUrl})\n`);
      return 0;
    }
    case 'set': {
      const [key, value, ...extra] = rest;
      if (key === undefined || value === undefined || extra.length > 0) return usage('set takes a key and one value');
      if (!checkKey(key)) return unknownKey(key);
      const parsed = parseConfigValue(key, value);
      if ('error' in parsed) return usage(parsed.error);
      try {
        store.set(key, parsed.value);
      } catch (error) {
        stderr.write(`stacky config: cannot save ${store.path}: ${(error as Error).message}\n`);
        return 1;
      }
      if (notSaved()) return 1;
      // A file from an older stacky (or another umask) may be open to others: owner-only now.
      if (!tighten(store.path)) stderr.write(`stacky config: warning: ${looseModeWarning(store.path, 'your settings') ?? ''}\n`);
      return 0;
    }
    case 'unset': {
      const [key, ...extra] = rest;
      if (key === undefined || extra.length > 0) return usage('unset takes one key');
      if (!checkKey(key)) return unknownKey(key);
      try {
        store.delete(key);
      } catch (error) {
        stderr.write(`stacky config: cannot save ${store.path}: ${(error as Error).message}\n`);
        return 1;
      }
      return notSaved() ? 1 : 0;
    }
    default:
      return usage(`unknown action '${action}'`);
  }
}
