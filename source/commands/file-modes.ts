// Files that hold secrets (a RabbitMQ password, a URL with credentials) should be readable by
// their owner only. Written by stacky with mode 0600; an existing file open to others is
// tightened when stacky writes it, and named in a warning when stacky only reads it.
import {chmodSync, readFileSync, statSync} from 'node:fs';

/** A warning when `path` can be read by its group or others; undefined otherwise (or when it cannot be checked). */
export function looseModeWarning(path: string, what: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0 || process.platform === 'win32') return undefined;
  return `${path} holds ${what} and can be read by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); ` +
    `run: chmod 600 ${path}`;
}

/** Makes `path` owner-only; false when that is not possible (not the owner, read-only disk). */
export function tighten(path: string): boolean {
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return true;
  } catch {
    return false;
  }
}

/** Whether a worker config text holds a password (StackTach's rabbit_password). */
export function holdsPassword(text: string): boolean {
  return /"rabbit_password"\s*:\s*"[^"]/.test(text);
}

/** The warning for a worker config that holds a password and is open to other users. */
export function workerConfigWarning(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return holdsPassword(text) ? looseModeWarning(path, 'a RabbitMQ password') : undefined;
}
