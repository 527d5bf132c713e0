// Where Stacky keeps its database by default: the per-user data directory.
import {homedir} from 'node:os';
import {join} from 'node:path';
import {DEFAULT_DB_POOL, withPool} from '../store/location.js';

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STACKY_DATA_DIR) return env.STACKY_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'stacky');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'stacky');
}

/** The --db location (STACKY_DB, then the data directory's stacky.db), with its --db-pool size. */
export function dbLocation(values: {db?: string; 'db-pool'?: number}, env: NodeJS.ProcessEnv = process.env): string {
  return withPool(values.db ?? defaultDbPath(env), values['db-pool'] ?? DEFAULT_DB_POOL);
}

/** STACKY_DB wins, then the data directory's stacky.db. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.STACKY_DB || join(dataDir(env), 'stacky.db');
}
