// End to end: the real binary in a real pseudo-terminal (tmux) against a real `stacky serve`
// loaded with a known corpus. Keys go in with send-keys; assertions read capture-pane.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'stacky.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const session = `stacky-e2e-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'stacky-e2e-'));
const db = join(dir, 'stacky.db');
let port = 0;
let server: ChildProcess | undefined;

const UA = 'e2e0aaaa-0000-4000-8000-00000000000a';
const UB = 'e2e0bbbb-0000-4000-8000-00000000000b';
const REQ_A = 'req-e2e0cccc-0000-4000-8000-00000000000c';

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '000');
}

function body(event: string, uuid: string, ms: number, opts: {error?: boolean; request?: string; state?: string} = {}) {
  return {
    message_id: `m-${event}-${ms}`,
    event_type: event,
    publisher_id: 'compute.e2e-host-1',
    priority: opts.error ? 'ERROR' : 'INFO',
    timestamp: stamp(ms),
    _context_request_id: opts.request ?? REQ_A,
    _context_project_id: 'e2e-tenant',
    payload: {instance_id: uuid, tenant_id: 'e2e-tenant', state: opts.state ?? 'active', old_state: 'building', image_type: 1},
  };
}

async function post(lines: unknown[], deployment = 'e2e-east'): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}/ingest/?deployment=${deployment}&exchange=nova`, {
    method: 'POST',
    body: lines.map((l) => JSON.stringify(l)).join('\n'),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as {port: number}).port;
      s.close(() => resolve(p));
    });
  });
}

async function startServer(): Promise<void> {
  server = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', String(port)], {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/listening on http:\/\//.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    server!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    server!.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  server.removeAllListeners('exit');
}

async function stopServer(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s || s.exitCode !== null) return;
  const gone = new Promise((r) => s.once('exit', r));
  s.kill('SIGTERM');
  await Promise.race([gone, delay(5000)]);
  if (s.exitCode === null) s.kill('SIGKILL');
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, {encoding: 'utf8'});
}

const screen = () => tmux('capture-pane', '-p', '-t', session);

async function waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = screen();
    if (pattern.test(last)) return last;
    await delay(100);
  }
  throw new Error(`timed out waiting for ${pattern}; screen:\n${last}`);
}

// A short gap between keys is pacing, not waiting: Esc followed at once by a key reads as Alt+key.
// Every step below then waits for the screen it expects.
async function keys(...k: string[]) {
  for (const key of k) {
    tmux('send-keys', '-t', session, key);
    await delay(60);
  }
}

/** Types literally, then waits until the typed text is on screen (the input line echoes it). */
async function typeText(text: string) {
  tmux('send-keys', '-t', session, '-l', text);
  await waitFor(new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
}

before(async () => {
  if (!hasTmux) return;
  // Compile the current sources so bin/stacky.js runs them (type errors elsewhere do not stop emit).
  spawnSync('npx', ['tsc', '-p', '.'], {cwd: root, stdio: 'ignore'});
  port = await freePort();
  await startServer();

  // A known corpus: the demo generator's seeded corpus (for a stored report), then two instances.
  const corpus = join(dir, 'corpus.jsonl');
  execFileSync(process.execPath, [bin, 'demo', '--write', corpus, '--count', '3000', '--seed', '1'], {stdio: 'ignore'});
  const res = await fetch(`http://127.0.0.1:${port}/ingest/?deployment=e2e-west&exchange=nova`, {method: 'POST', body: readFileSync(corpus)});
  assert.equal(res.status, 200);
  execFileSync(process.execPath, [bin, 'report', 'summary', '--db', db, '--start', '2026-01-01 00:00:00', '--hours', '1', '--store'], {stdio: 'ignore'});
  const t = Date.now() - 60_000;
  await post([
    body('compute.instance.create.start', UA, t),
    body('compute.instance.update', UA, t + 3000, {state: 'building'}),
    body('compute.instance.create.end', UA, t + 8000),
    body('compute.instance.resize.prep.start', UB, t + 9000, {request: 'req-e2e0dddd-0000-4000-8000-00000000000d'}),
  ]);

  const script = join(dir, 'run.sh');
  writeFileSync(script, `#!/bin/sh\ncd ${JSON.stringify(root)}\nenv -u CI NO_COLOR= node bin/stacky.js console --url http://127.0.0.1:${port} --poll 1\necho EXIT=$?\nsleep 30\n`);
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `sh ${script}`);
});

after(async () => {
  if (!hasTmux) return;
  spawnSync('tmux', ['kill-session', '-t', session]);
  await stopServer();
  rmSync(dir, {recursive: true, force: true});
});

test('console end to end in tmux against stacky serve', {skip: !hasTmux && 'tmux is not installed', timeout: 120_000}, async () => {
  await waitFor(/● live/);

  // Watch rows arrive (fresh timestamps, so they fall inside the tail's window).
  const now = Date.now();
  await post([
    body('compute.instance.reboot.start', UA, now),
    body('compute.instance.reboot.end', UA, now + 1),
    body('compute.instance.resize.error', UB, now + 2, {error: true, request: 'req-e2e0dddd-0000-4000-8000-00000000000d'}),
  ]);
  let s = await waitFor(/compute\.instance\.reboot\.end/);
  assert.match(s, /compute\.instance\.reboot\.start/);
  assert.match(s, /E .*compute\.instance\.resize\.error/);

  // `/` filters as you type and counts the hidden rows.
  await keys('/');
  await typeText('resize.error');
  // Wait for the whole filter text: a partial one ("r") would still show every row.
  s = await waitFor(/filter "resize\.error" \d+ hidden|\/resize\.error\s+\d+ hidden/);
  assert.doesNotMatch(s.split('\n').slice(3, -3).join('\n'), /reboot\.end/);
  await keys('Enter', 'Escape');
  await waitFor(/compute\.instance\.reboot\.end/);

  // :uuid shows the instance's events and timings.
  await keys(':');
  await typeText(`uuid ${UA}`);
  await keys('Enter');
  s = await waitFor(/Timings \(\d\)/);
  assert.match(s, /Events of e2e0aaaa-0000-4000-8000-00000000000a/);
  assert.match(s, /compute\.instance\.create\.start/);
  assert.match(s, /\. compute\.instance\.create\s+0d 00:00:08\.00\s+█+/);

  // Enter on an event shows its key/value table and JSON.
  await keys('Enter');
  s = await waitFor(/JSON/);
  assert.match(s, /Req ID\s+req-e2e0cccc/);
  assert.match(s, /"event_type": "compute\.instance\.create\.start"/);
  await keys('Escape', 'Escape');
  await waitFor(/^ watch\s+ev\/s .* http:\/\/127\.0\.0\.1:\d+\s*$/m);

  // The reports list, and a report opened from it.
  await keys('5');
  await waitFor(/summary for region: all/);
  await keys('Enter');
  s = await waitFor(/Operation/);
  assert.match(s, /failure_grand_rate/);
  await keys('s');
  await waitFor(/Image▲/);
  await keys('1');
  await waitFor(/^ watch\s+ev\/s .* http:\/\/127\.0\.0\.1:\d+\s*$/m);

  // The in-flight view: the resize started by UB has no end yet; Enter opens its instance.
  await post([body('compute.instance.resize.start', UB, Date.now())]);
  await waitFor(/compute\.instance\.resize\.start/);
  await keys('7');
  s = await waitFor(/\d+ in flight/);
  assert.match(s, /compute\.instance\.resize\s+compute\.instance\.resize\.start\s+.*e2e0bbbb/);
  await keys('t');
  await waitFor(/\d+s ago/);
  await keys('t', '1');
  await waitFor(/^ watch\s+ev\/s .* http:\/\/127\.0\.0\.1:\d+\s*$/m);

  // At 200×50 the watch pane adds host and tenant (the request id needs more room), and under
  // `:watch all` one sparkline per deployment that sent rows follows the totals.
  await post([body('compute.instance.pause', UA, Date.now())], 'e2e-west');
  tmux('resize-window', '-t', session, '-x', '200', '-y', '50');
  s = await waitFor(/compute\.instance\.pause\s+e2e0aaaa-0000-4000-8000-00000000000a e2e-host-1\s+e2e-tenant/);
  assert.match(s, /^\? Date +Time UTC +# Deployment +Event +UUID +Host +Tenant\s*$/m);
  assert.match(s, /ev\/s [▁-█]+ [\d.]+ {2}err\/s [▁-█]+ [\d.]+ │ e2e-(east|west) [▁-█]+ [\d.]+ │ e2e-(east|west) /);
  tmux('resize-window', '-t', session, '-x', '100', '-y', '30');
  await waitFor(/^\? Date +Time UTC +# Deployment +Event +UUID\s*$/m);

  // The console survives a server restart and the tail resumes.
  await stopServer();
  await waitFor(/server unreachable/);
  await startServer();
  await waitFor(/● live/, 40_000);
  await post([body('compute.instance.suspend', UA, Date.now())]);
  await waitFor(/compute\.instance\.suspend/, 20_000);

  await keys('q');
  s = await waitFor(/EXIT=0/);
  // The alternate screen is left on the way out: the shell's screen comes back, no frame on it.
  assert.doesNotMatch(s, /1 watch|● live|compute\.instance/);
});

test('stacky console refuses a non-TTY and points to the print commands', () => {
  const r = spawnSync(process.execPath, [bin, 'console', '--url', 'http://127.0.0.1:9'], {encoding: 'utf8', input: '', timeout: 20_000});
  assert.equal(r.status, 2);
  assert.match(r.stderr, /needs an interactive terminal/);
  assert.match(r.stderr, /print commands/);
});
