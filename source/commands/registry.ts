// The one table of commands: what `stacky <name>` runs (dispatch in source/cli.ts) and what
// `stacky --help` lists. Specs are plain data; each run function is imported only when its
// command runs, so a print command never loads the server, the store or ink.
import type {CommandSpec} from './spec.js';
import {printSpecs} from './print/specs.js';
import {serveSpec} from './specs/serve.js';
import {ingestSpec} from './specs/ingest.js';
import {demoSpec} from './specs/demo.js';
import {workerSpec} from './specs/worker.js';
import {reportSummarySpec} from './specs/report-summary.js';
import {quarantineSpec} from './specs/quarantine.js';
import {pruneSpec} from './specs/prune.js';
import {tokenSpec} from './specs/token.js';
import {consoleSpec} from './specs/console.js';
import {configSpec} from './specs/config.js';
import {helpSpec} from './specs/help.js';

/** argv after the command's words → exit status. */
export type Run = (argv: string[]) => Promise<number>;

export interface Command {
  spec: CommandSpec;
  load(): Promise<Run>;
}

export const registry: readonly Command[] = [
  ...printSpecs.map((spec): Command => ({
    spec, load: async () => {
      const {run} = await import('./print.js');
      return (argv) => run([spec.name, ...argv]);
    },
  })),
  {spec: serveSpec, load: async () => (await import('./serve.js')).run},
  {spec: ingestSpec, load: async () => (await import('./ingest.js')).run},
  {spec: demoSpec, load: async () => (await import('./demo.js')).run},
  {spec: workerSpec, load: async () => (await import('./worker.js')).run},
  {spec: reportSummarySpec, load: async () => (await import('./report.js')).run},
  {spec: quarantineSpec, load: async () => (await import('./quarantine.js')).run},
  {spec: pruneSpec, load: async () => (await import('./prune.js')).run},
  {spec: tokenSpec, load: async () => (await import('./token.js')).run},
  {spec: consoleSpec, load: async () => (await import('./console.js')).run},
  {spec: configSpec, load: async () => (await import('./config.js')).run},
  {spec: helpSpec, load: async () => (await import('./help.js')).run},
];

/** The command argv starts with (the longest name: `report summary` before `report`), and the rest. */
export function findCommand(argv: readonly string[]): {command: Command; rest: string[]} | undefined {
  let found: {command: Command; rest: string[]} | undefined;
  for (const command of registry) {
    const words = command.spec.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!found || words.length > found.command.spec.name.split(' ').length)) {
      found = {command, rest: argv.slice(words.length)};
    }
  }
  return found;
}
