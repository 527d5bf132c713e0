// Where the client settings come from: flags > environment > saved config > defaults.
// The saved config is a conf@15 JSON file; `stacky config path` prints where it lives.
// loadSettings reads that file with plain fs, and conf is loaded only by openConfig, so a
// print command does not pay for conf's start-up (the budget is 300 ms).
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {homedir} from 'node:os';
import {join} from 'node:path';
import type ConfClass from 'conf';

export type SettingsService = 'nova' | 'glance' | 'generic';

export interface Settings {
  url: string;
  /** 'all', a deployment name, or a numeric deployment id. */
  deployment: string;
  service: SettingsService;
  pollSeconds: number;
  /** Bearer token for servers started with --auth-file (set only when there is one). */
  token?: string;
  /** File of the CA certificate to trust for https:// servers (set only when there is one). */
  ca?: string;
}

export interface SettingsFlags {
  url?: string;
  deployment?: string;
  service?: string;
  poll?: number;
  ca?: string;
}

export const defaultSettings: Readonly<Settings> = Object.freeze({
  url: 'http://127.0.0.1:8000',
  deployment: 'all',
  service: 'nova',
  pollSeconds: 2,
});

/** The keys `stacky config` manages, as stored in the config file. */
export const configKeys = ['url', 'deployment', 'service', 'poll', 'token', 'ca'] as const;
export type ConfigKey = (typeof configKeys)[number];

export function isConfigKey(key: string): key is ConfigKey {
  return (configKeys as readonly string[]).includes(key);
}

/** What openConfig returns: a Conf instance, or an in-memory stand-in when the disk says no. */
export interface ConfigStore {
  readonly path: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  has(key: string): boolean;
  readonly store: Record<string, unknown>;
}

/** In-memory store used when the config directory cannot be read or created. */
export class MemoryConfig implements ConfigStore {
  readonly inMemory = true;
  private readonly data: Record<string, unknown> = {};
  constructor(readonly path: string, readonly reason: string) {}
  get(key: string): unknown {
    return this.data[key];
  }
  set(key: string, value: unknown): void {
    this.data[key] = value;
  }
  delete(key: string): void {
    delete this.data[key];
  }
  has(key: string): boolean {
    return key in this.data;
  }
  get store(): Record<string, unknown> {
    return {...this.data};
  }
}

/** The folder that holds config.json: STACKY_CONFIG_DIR, else $XDG_CONFIG_HOME/stacky, else ~/.config/stacky. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STACKY_CONFIG_DIR) return env.STACKY_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'stacky');
}

const fallbackCodes = new Set(['EACCES', 'EROFS', 'EPERM', 'ENOTDIR', 'EISDIR']);

let confModule: typeof ConfClass | undefined;

/** conf, loaded on first use (Node ≥ 20.19 can require an ES module). */
function loadConf(): typeof ConfClass {
  confModule ??= (createRequire(import.meta.url)('conf') as {default: typeof ConfClass}).default;
  return confModule;
}

export function openConfig(env: NodeJS.ProcessEnv = process.env): ConfigStore {
  const cwd = configDir(env);
  const path = join(cwd, 'config.json');
  try {
    const Conf = loadConf();
    // 0600: the url may carry credentials (http://user:password@host), for this user's eyes only.
    const conf = new Conf<Record<string, unknown>>({projectName: 'stacky', cwd, configName: 'config',
      accessPropertiesByDotNotation: false, configFileMode: 0o600});
    void conf.store; // reads the file now (and creates the folder), so failures surface here
    return conf as unknown as ConfigStore;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code && fallbackCodes.has(code)) return new MemoryConfig(path, `${code}: cannot use ${cwd}`);
    if (error instanceof SyntaxError) return new MemoryConfig(path, `${path} is not valid JSON`);
    throw error;
  }
}

/** Checks one config value; returns the value to store, or an error message. */
export function parseConfigValue(key: ConfigKey, raw: string): {value: string | number} | {error: string} {
  const text = raw.trim();
  switch (key) {
    case 'url': {
      const error = checkUrl(text);
      return error ? {error} : {value: text.replace(/\/+$/, '')};
    }
    case 'deployment':
      if (text === '') return {error: 'deployment must be "all", a deployment name or a numeric id'};
      return {value: text};
    case 'service':
      if (!isService(text)) return {error: `service must be nova, glance or generic (got '${raw}')`};
      return {value: text};
    case 'poll': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n) || n <= 0 || n > 3600) return {error: `poll must be a number of seconds between 0 and 3600 (got '${raw}')`};
      return {value: n};
    }
    case 'token':
      if (!/^\S+$/.test(text)) return {error: 'token must be one word (the text `stacky token add` printed)'};
      return {value: text};
    case 'ca':
      if (text === '') return {error: 'ca must be the path of a PEM file'};
      return {value: text};
  }
}

export function isService(value: unknown): value is SettingsService {
  return value === 'nova' || value === 'glance' || value === 'generic';
}

/** An error message when text is not an http(s) URL. */
export function checkUrl(text: string): string | undefined {
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `url must start with http:// or https:// (got '${text}')`;
    return undefined;
  } catch {
    return `url is not a valid URL (got '${text}')`;
  }
}

function saved(store: ConfigStore | undefined, key: ConfigKey): string | number | undefined {
  if (!store) return undefined;
  let value: unknown;
  try {
    value = store.get(key);
  } catch {
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const parsed = parseConfigValue(key, String(value));
  return 'value' in parsed ? parsed.value : undefined;
}

/** The saved config read straight from disk, read-only; undefined when missing or unreadable. */
function readConfigFile(env: NodeJS.ProcessEnv): ConfigStore | undefined {
  const path = join(configDir(env), 'config.json');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const store = new MemoryConfig(path, 'read-only snapshot');
  for (const [key, value] of Object.entries(data)) store.set(key, value);
  return store;
}

/** The saved values (invalid or missing ones fall back to the defaults). */
export function savedSettings(store: ConfigStore | undefined): Settings {
  return {
    url: (saved(store, 'url') as string | undefined) ?? defaultSettings.url,
    deployment: (saved(store, 'deployment') as string | undefined) ?? defaultSettings.deployment,
    service: (saved(store, 'service') as SettingsService | undefined) ?? defaultSettings.service,
    pollSeconds: (saved(store, 'poll') as number | undefined) ?? defaultSettings.pollSeconds,
    ...optional('token', saved(store, 'token') as string | undefined),
    ...optional('ca', saved(store, 'ca') as string | undefined),
  };
}

function optional<K extends string>(key: K, value: string | undefined): {[k in K]?: string} {
  return (value === undefined || value === '' ? {} : {[key]: value}) as {[k in K]?: string};
}

/**
 * Effective settings. Precedence: flags > env (STACKTACH_URL, then STACKY_URL) > saved config > defaults.
 * Invalid flag values throw an Error whose message suits a usage line.
 */
export function loadSettings(flags: SettingsFlags = {}, env: NodeJS.ProcessEnv = process.env): Settings {
  const base = savedSettings(readConfigFile(env));
  const envUrl = env.STACKTACH_URL || env.STACKY_URL;
  if (envUrl) base.url = envUrl.replace(/\/+$/, '');
  // STACKY_TOKEN and STACKY_CA override the saved token and CA; --ca overrides both.
  if (env.STACKY_TOKEN) base.token = env.STACKY_TOKEN;
  if (env.STACKY_CA) base.ca = env.STACKY_CA;
  if (flags.ca !== undefined) base.ca = flags.ca;
  if (flags.url !== undefined) {
    const error = checkUrl(flags.url);
    if (error) throw new Error(error);
    base.url = flags.url.replace(/\/+$/, '');
  }
  if (flags.deployment !== undefined) {
    if (flags.deployment.trim() === '') throw new Error('deployment must be "all", a deployment name or a numeric id');
    base.deployment = flags.deployment.trim();
  }
  if (flags.service !== undefined) {
    if (!isService(flags.service)) throw new Error(`service must be nova, glance or generic (got '${flags.service}')`);
    base.service = flags.service;
  }
  if (flags.poll !== undefined) {
    if (!Number.isFinite(flags.poll) || flags.poll <= 0) throw new Error(`poll must be a positive number of seconds (got '${flags.poll}')`);
    base.pollSeconds = flags.poll;
  }
  return base;
}
