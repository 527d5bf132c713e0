// GET /metrics scraped over HTTP and read with a strict Prometheus text-format (0.0.4) parser;
// GET /healthz answers 200 "ok" or 503 with the reasons.
import assert from 'node:assert/strict';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {startServer, type Running} from '../../source/commands/serve.js';
import {setupFrom} from '../../source/commands/serve-setup.js';
import {line, micros, send} from './helpers.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Family {
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Parses exposition text; throws on anything the format does not allow. */
function parseProm(text: string): Map<string, Family> {
  assert.ok(text.endsWith('\n'), 'ends with a line feed');
  const families = new Map<string, Family>();
  const familyOf = (sample: string): Family => {
    for (const suffix of ['', '_bucket', '_sum', '_count', '_total', '_created']) {
      if (suffix && !sample.endsWith(suffix)) continue;
      const base = sample.slice(0, sample.length - suffix.length);
      const f = families.get(base);
      if (f && (suffix === '' || (f.type === 'histogram' && ['_bucket', '_sum', '_count'].includes(suffix)) ||
        (f.type === 'summary' && ['_sum', '_count'].includes(suffix)))) return f;
    }
    throw new Error(`sample ${sample} before its # TYPE`);
  };
  for (const raw of text.slice(0, -1).split('\n')) {
    if (raw === '') continue;
    let m = /^# HELP ([^ ]+) (.*)$/.exec(raw);
    if (m) {
      assert.match(m[1]!, NAME);
      const f = families.get(m[1]!) ?? {type: 'untyped', help: '', samples: []};
      f.help = m[2]!;
      families.set(m[1]!, f);
      continue;
    }
    m = /^# TYPE ([^ ]+) (counter|gauge|histogram|summary|untyped)$/.exec(raw);
    if (m) {
      const f = families.get(m[1]!) ?? {type: 'untyped', help: '', samples: []};
      assert.equal(f.samples.length, 0, `TYPE of ${m[1]} after its samples`);
      f.type = m[2]!;
      families.set(m[1]!, f);
      continue;
    }
    assert.ok(!raw.startsWith('#'), `unknown comment line: ${raw}`);
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([^ ]+)(?: (-?\d+))?$/.exec(raw);
    if (!m) throw new Error(`not a sample line: ${raw}`);
    const labels: Record<string, string> = {};
    let rest = m[2] ?? '';
    while (rest !== '') {
      const l = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
      if (!l) throw new Error(`bad labels in ${raw}`);
      assert.ok(!(l[1]! in labels), `label ${l[1]} twice in ${raw}`);
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(l[0].length);
    }
    const v = m[3]!;
    const value = v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : v === 'NaN' ? NaN : Number(v);
    if (!/^(\+Inf|-Inf|NaN|[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)$/.test(v)) throw new Error(`bad value in ${raw}`);
    familyOf(m[1]!).samples.push({name: m[1]!, labels, value});
  }
  // Histograms: cumulative buckets per label set, ending in +Inf equal to _count.
  for (const [name, f] of families) {
    if (f.type !== 'histogram') continue;
    const series = new Map<string, Sample[]>();
    for (const s of f.samples.filter((x) => x.name === `${name}_bucket`)) {
      const {le, ...others} = s.labels;
      assert.ok(le !== undefined, `${name}_bucket without le`);
      const key = JSON.stringify(others);
      series.set(key, [...(series.get(key) ?? []), s]);
    }
    for (const [key, buckets] of series) {
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, `${name} buckets decrease`);
      assert.equal(buckets.at(-1)!.labels.le, '+Inf');
      const count = f.samples.find((x) => x.name === `${name}_count` && JSON.stringify(x.labels) === key);
      assert.equal(count?.value, buckets.at(-1)!.value, `${name}_count`);
    }
  }
  return families;
}

const value = (fs: Map<string, Family>, name: string, labels: Record<string, string> = {}) =>
  [...fs.values()].flatMap((f) => f.samples).find((s) => s.name === name &&
    Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('/metrics and /healthz', () => {
  let dir: string;
  let running: Running;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stacky-metrics-'));
    running = await startServer({db: join(dir, 'stacky.db'), host: '127.0.0.1', port: 0,
      setup: setupFrom({'metrics-open': true, insecure: true, 'log-level': 'error'}, '127.0.0.1')});
  });
  after(async () => {
    await running.close();
    rmSync(dir, {recursive: true, force: true});
  });

  it('counts ingest by deployment, exchange and outcome, and times requests', async () => {
    const at = '2014-01-16 17:10:07.000000';
    const body = [
      line({event: 'compute.instance.update', at, instance: 'aaaaaaaa-0000-0000-0000-000000000001', messageId: 'm1', deployment: 'east'}),
      line({event: 'compute.instance.update', at, instance: 'aaaaaaaa-0000-0000-0000-000000000001', messageId: 'm1', deployment: 'east'}),
      '{"deployment": "east", "body": nope}',
    ].join('\n');
    assert.equal((await send(`${running.url}/ingest/`, 'POST', body)).status, 200);
    assert.equal((await send(`${running.url}/stacky/deployments/`)).status, 200);
    const scrape = await send(`${running.url}/metrics`);
    assert.equal(scrape.status, 200);
    assert.equal(scrape.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const fs = parseProm(scrape.text);
    assert.equal(fs.get('stacky_notifications_total')?.type, 'counter');
    assert.equal(value(fs, 'stacky_notifications_total', {deployment: 'east', exchange: 'nova', outcome: 'stored'}), 1);
    assert.equal(value(fs, 'stacky_notifications_total', {deployment: 'east', exchange: 'nova', outcome: 'duplicate'}), 1);
    // A line that is not JSON cannot name its deployment: the query's default it is.
    assert.equal(value(fs, 'stacky_notifications_total', {deployment: 'default', exchange: 'nova', outcome: 'quarantined'}), 1);
    assert.equal(fs.get('stacky_http_request_duration_seconds')?.type, 'histogram');
    assert.equal(value(fs, 'stacky_http_request_duration_seconds_count', {kind: 'ingest', status: '200'}), 1);
    assert.equal(value(fs, 'stacky_http_request_duration_seconds_count', {kind: 'query', status: '200'}), 1);
    assert.equal(value(fs, 'stacky_oldest_notification_timestamp_seconds'), micros(at) / 1e6);
    assert.ok(value(fs, 'stacky_database_bytes')! > 0);
    assert.equal(value(fs, 'stacky_http_requests_in_flight'), 1);
    assert.equal(fs.get('process_cpu_user_seconds_total')?.type, 'counter');
    assert.ok(value(fs, 'process_resident_memory_bytes')! > 0);
  });

  it('/healthz is 200 "ok" while the database takes writes, 503 with the reason when it is closed', async () => {
    const ok = await send(`${running.url}/healthz`);
    assert.deepEqual([ok.status, ok.text], [200, 'ok\n']);
    await running.store.close();
    const down = await send(`${running.url}/healthz`);
    assert.deepEqual([down.status, down.text], [503, 'database: closed\n']);
    void (running.server.address() as AddressInfo);
  });
});
