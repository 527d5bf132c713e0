// argv → one command of source/commands/registry.ts, its module imported lazily so print
// commands never load ink.
import {findCommand} from './commands/registry.js';

export async function main(argv: string[]): Promise<number> {
  const [first] = argv;
  if (first === '--version') {
    const {version} = await import('./version.js');
    process.stdout.write(`${version}\n`);
    return 0;
  }
  // `stacky --help` is `stacky help`; plain `stacky` (or `stacky --url …`) opens the console.
  const words = first === '--help' || first === '-h' ? ['help', ...argv.slice(1)]
    : first === undefined || first.startsWith('-') ? ['console', ...argv] : argv;
  const found = findCommand(words);
  if (!found) {
    process.stderr.write(`stacky: unknown command '${first}'; see stacky --help\n`);
    return 2;
  }
  return (await found.command.load())(found.rest);
}
