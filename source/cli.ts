// argv → one command module, imported lazily so print commands never load ink.
export type CommandModule = {run: (argv: string[]) => Promise<number>};

const commands: Record<string, () => Promise<CommandModule>> = {
  serve: () => import('./commands/serve.js'),
  ingest: () => import('./commands/ingest.js'),
  demo: () => import('./commands/demo.js'),
  worker: () => import('./commands/worker.js'),
  report: () => import('./commands/report.js'),
  quarantine: () => import('./commands/quarantine.js'),
  config: () => import('./commands/config.js'),
  console: () => import('./commands/console.js'),
  prune: () => import('./commands/prune.js'),
  token: () => import('./commands/token.js'),
};

const printCommands = new Set([
  'deployments', 'events', 'hosts', 'uuid', 'timings', 'summary', 'request', 'search',
  'show', 'watch', 'kpi', 'reports', 'usage',
]);

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name.startsWith('-') && name !== '--help' && name !== '-h' && name !== '--version') {
    return (await import('./commands/console.js')).run(argv);
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    return (await import('./commands/help.js')).run(rest);
  }
  if (name === '--version') {
    const {version} = await import('./version.js');
    process.stdout.write(`${version}\n`);
    return 0;
  }
  // `report <id>` prints a stored report; `report summary …` builds one.
  if (name === 'report' && rest[0] !== 'summary') return (await import('./commands/print.js')).run(argv);
  const load = commands[name];
  if (load) return (await load()).run(rest);
  if (printCommands.has(name)) return (await import('./commands/print.js')).run(argv);
  process.stderr.write(`stacky: unknown command '${name}'; see stacky --help\n`);
  return 2;
}
