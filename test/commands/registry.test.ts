// The command registry (source/commands/registry.ts) through the real binary: every command's
// --help and usage errors come from its spec, `stacky --help` lists each command once, and
// dispatch reaches exactly the commands the help lists.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {findCommand, registry} from '../../source/commands/registry.js';
import {UsageError} from '../../source/commands/args.js';
import {helpText, parseCommand, type FlagSpec} from '../../source/commands/spec.js';
import {bin, build, root} from './print-build.js';

let dir = '';

before(() => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'stacky-registry-'));
});

after(() => rmSync(dir, {recursive: true, force: true}));

function stacky(...args: string[]): {code: number | null; stdout: string; stderr: string} {
  const env: NodeJS.ProcessEnv = {...process.env, STACKY_CONFIG_DIR: join(dir, 'config'), STACKY_DB: join(dir, 'stacky.db')};
  delete env.STACKY_URL;
  delete env.STACKTACH_URL;
  const r = spawnSync(process.execPath, [bin, ...args], {env, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe']});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

const words = (name: string) => name.split(' ');
const usageError = (name: string, message: string) => ({code: 2, stdout: '', stderr: `stacky ${name}: ${message}; see stacky ${name} --help\n`});

/** A value each kind of flag refuses, with the message it gets. */
function badValue(name: string, flag: FlagSpec): [string, string] | undefined {
  if (flag.type === 'int') {
    const range = flag.max === undefined ? `>= ${flag.min ?? 0}` : `from ${flag.min ?? 0} to ${flag.max}`;
    return ['lots', `--${name} must be a whole number ${range}, got 'lots'`];
  }
  if (flag.type === 'string' && flag.choices) return ['nope', `--${name} must be one of ${flag.choices.join(', ')}, got 'nope'`];
  return undefined;
}

describe('every command of the registry', () => {
  for (const {spec} of registry) {
    it(`${spec.name}: --help lists every flag; usage errors are one line`, () => {
      const help = stacky(...words(spec.name), '--help');
      assert.equal(help.code, 0);
      assert.equal(help.stderr, '');
      assert.ok(help.stdout.startsWith(`Usage: stacky ${spec.name}`), help.stdout);
      assert.equal(help.stdout, helpText(spec));
      for (const [name, flag] of Object.entries(spec.flags)) {
        const label = `${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.type === 'boolean' ? '' : ` ${flag.value}`}`;
        assert.ok(help.stdout.includes(`\n  ${label} `), `${spec.name} --help lists --${name}`);
      }
      assert.ok(help.stdout.includes('\n  -h, --help '));
      assert.ok(help.stdout.split('\n').every((line) => line.length <= 80), `${spec.name} --help fits 80 columns`);

      assert.deepEqual(stacky(...words(spec.name), '--no-such-flag'), usageError(spec.name, 'unknown flag --no-such-flag'));
    });

    it(`${spec.name}: refuses a missing value, a bad number or choice, and stray arguments, as the spec says`, () => {
      const refused = (argv: string[], message: string) => assert.throws(() => parseCommand(spec, argv), new UsageError(message));
      for (const [name, flag] of Object.entries(spec.flags)) {
        if (flag.type === 'boolean') refused([`--${name}=yes`], `--${name} takes no value`);
        else {
          refused([`--${name}`], `--${name} needs a value`);
          refused([`--${name}`, '-1'], `--${name} needs its value after '=' when it starts with '-' (--${name}=-…)`);
        }
        const bad = badValue(name, flag);
        if (bad) refused([`--${name}`, bad[0]], bad[1]);
      }
      if (spec.args === undefined) refused(['extra'], "unexpected argument 'extra'");
    });
  }
});

describe('stacky --help and dispatch', () => {
  it('lists every command exactly once, each line within 80 columns', () => {
    const r = stacky('--help');
    assert.equal(r.code, 0);
    assert.deepEqual(stacky('help'), r);
    const names = registry.map((c) => c.spec.name);
    // A listing line is "  <name> [arguments]"; the longest name wins (`report summary` over `report`).
    const listed = r.stdout.split('\n').filter((l) => /^ {2}\S/.test(l)).map((line) => {
      const text = line.slice(2);
      const matches = names.filter((n) => text === n || text.startsWith(`${n} `));
      assert.ok(matches.length > 0, `a listing line names a command: ${line}`);
      return matches.sort((a, b) => b.length - a.length)[0]!;
    });
    assert.deepEqual([...listed].sort(), [...names].sort());
    assert.equal(new Set(names).size, names.length, 'names are unique');
    assert.ok(r.stdout.split('\n').every((line) => line.length <= 80));
  });

  it('dispatches exactly the listed commands: stacky help <name> is stacky <name> --help', () => {
    for (const command of registry) {
      const name = command.spec.name;
      assert.equal(findCommand([...words(name), 'x'])?.command, command, name);
      assert.deepEqual(stacky('help', ...words(name)), {code: 0, stdout: helpText(command.spec), stderr: ''}, name);
    }
    assert.deepEqual(stacky('frobnicate'), {code: 2, stdout: '', stderr: "stacky: unknown command 'frobnicate'; see stacky --help\n"});
    assert.deepEqual(stacky('help', 'frobnicate'), usageError('help', "unknown command 'frobnicate'"));
  });

  it('only the registry imports the commands\' modules', () => {
    const registryFile = join(root, 'source', 'commands', 'registry.ts');
    const targets = [...readFileSync(registryFile, 'utf8').matchAll(/import\('\.\/([\w-]+)\.js'\)/g)].map((m) => m[1]!);
    // One module for all print commands, one for each other command.
    assert.equal(new Set(targets).size, 1 + registry.filter((c) => c.spec.group !== 'print').length);
    const files = (d: string): string[] => readdirSync(d, {withFileTypes: true})
      .flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)]));
    for (const file of files(join(root, 'source'))) {
      if (file === registryFile) continue;
      const text = readFileSync(file, 'utf8');
      for (const target of targets) {
        assert.ok(!new RegExp(`import\\('[./]*(commands/)?${target}\\.js'\\)`).test(text), `${relative(root, file)} imports ${target}`);
      }
    }
  });
});
