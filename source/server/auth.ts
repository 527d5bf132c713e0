// Bearer tokens for `serve --auth-file FILE`. The file holds only SHA-256 hashes of the tokens
// (a token is 32 random bytes, so a plain hash cannot be reversed by guessing); it must not be
// readable by group or others. Checking a token hashes it and compares it with every stored
// hash in constant time, so the answer takes as long whoever asks and whatever they send.
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto';
import {chmodSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs';

export const ROLES = ['read', 'ingest', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenEntry {
  name: string;
  role: Role;
  /** hex SHA-256 of the token */
  sha256: string;
  created: string;
}

export class AuthFileError extends Error {}

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/** What a role may do: read the API, post to /ingest/, or both. */
export function allows(role: Role, need: 'read' | 'ingest'): boolean {
  return role === 'admin' || role === need;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token: 32 random bytes, base64url, with a prefix that says what it is. */
export function newToken(): string {
  return `stk_${randomBytes(32).toString('base64url')}`;
}

export function readAuthFile(path: string, mustExist = true): TokenEntry[] {
  let st;
  try {
    st = statSync(path);
  } catch (error) {
    if (!mustExist && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AuthFileError(`cannot read the auth file ${path}: ${(error as Error).message}`);
  }
  if ((st.mode & 0o077) !== 0) {
    throw new AuthFileError(`the auth file ${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); ` +
      `run: chmod 600 ${path}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AuthFileError(`the auth file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const tokens = (data as {tokens?: unknown})?.tokens;
  if (!Array.isArray(tokens)) throw new AuthFileError(`the auth file ${path} has no "tokens" list`);
  return tokens.map((t: Partial<TokenEntry>, i) => {
    if (typeof t?.name !== 'string' || typeof t.role !== 'string' || !isRole(t.role) ||
      typeof t.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(t.sha256)) {
      throw new AuthFileError(`the auth file ${path}: tokens[${i}] needs a name, a role (read, ingest or admin) and a sha256`);
    }
    return {name: t.name, role: t.role, sha256: t.sha256, created: String(t.created ?? '')};
  });
}

/** Writes the file whole (a temporary file renamed over it), mode 0600 from the start. */
export function writeAuthFile(path: string, tokens: TokenEntry[]): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({tokens}, null, 2)}\n`, {mode: 0o600});
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export interface Principal {
  name: string;
  role: Role;
}

/** The tokens a server accepts; reload() re-reads the file (on SIGHUP), keeping the old set on error. */
export class TokenSet {
  private entries: {name: string; role: Role; hash: Buffer}[] = [];

  constructor(readonly path: string) {
    this.reload();
  }

  get size(): number {
    return this.entries.length;
  }

  reload(): void {
    this.entries = readAuthFile(this.path).map((t) => ({name: t.name, role: t.role, hash: Buffer.from(t.sha256, 'hex')}));
  }

  /** The holder of `token`, or null. Looks at every entry, whatever matches. */
  check(token: string): Principal | null {
    const hash = createHash('sha256').update(token, 'utf8').digest();
    let found: Principal | null = null;
    for (const e of this.entries) {
      if (timingSafeEqual(hash, e.hash) && found === null) found = {name: e.name, role: e.role};
    }
    return found;
  }
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}
