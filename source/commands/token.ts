// `stacky token add NAME --role R | list | remove NAME --auth-file FILE`: the tokens of
// `serve --auth-file`. add prints the new token alone on stdout, once; the file keeps its hash.
import {existsSync} from 'node:fs';
import {AuthFileError, hashToken, isRole, newToken, readAuthFile, ROLES, writeAuthFile} from '../server/auth.js';
import {UsageError} from './args.js';
import {command, helpText} from './spec.js';
import {tokenSpec} from './specs/token.js';

export async function run(argv: string[]): Promise<number> {
  return command(tokenSpec, argv, async ({values, positionals}) => {
    if (positionals.length === 0) {
      process.stdout.write(helpText(tokenSpec));
      return 2;
    }
    const [action, name, ...extra] = positionals;
    const file = values['auth-file'] ?? process.env.STACKY_AUTH_FILE;
    if (!file) throw new UsageError('--auth-file FILE is required');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    try {
      switch (action) {
        case 'add': {
          if (!name) throw new UsageError('add needs a NAME');
          if (!values.role || !isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
          const tokens = readAuthFile(file, false);
          if (tokens.some((t) => t.name === name)) throw new UsageError(`a token named '${name}' exists; remove it first`);
          const token = newToken();
          tokens.push({name, role: values.role, sha256: hashToken(token), created: new Date().toISOString()});
          writeAuthFile(file, tokens);
          process.stdout.write(`${token}\n`);
          return 0;
        }
        case 'list': {
          if (name) throw new UsageError('list takes no NAME');
          if (!existsSync(file)) return 0;
          for (const t of readAuthFile(file)) process.stdout.write(`${t.name}\t${t.role}\t${t.created}\n`);
          return 0;
        }
        case 'remove': {
          if (!name) throw new UsageError('remove needs a NAME');
          const tokens = readAuthFile(file);
          const left = tokens.filter((t) => t.name !== name);
          if (left.length === tokens.length) {
            process.stderr.write(`stacky token: no token named '${name}' in ${file}\n`);
            return 1;
          }
          writeAuthFile(file, left);
          return 0;
        }
        default:
          throw new UsageError(`unknown action '${action}' (add, list or remove)`);
      }
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error;
      process.stderr.write(`stacky token: ${error.message}\n`);
      return 1;
    }
  });
}
