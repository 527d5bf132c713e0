// Read threads (source/server/read-threads.ts, issue #18): every read endpoint answers, byte for
// byte and status for status, what the serving thread answers alone, errors included; watch and
// search stay on the serving thread. Two servers on one database (either engine), real HTTP.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {AddressInfo} from 'node:net';
import type {Server} from 'node:http';
import {openStore} from '../../source/store/open.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {createStackyServer, readThreadsOf} from '../../source/server/app.js';
import {DemoGenerator} from '../../source/demo/generator.js';
import {send, startServer, type TestServer} from './helpers.js';


const START = Date.UTC(2026, 0, 1) * 1000;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A demo cloud's first 20 simulated minutes, stored through the pipeline, and one report. */
async function fill(s: TestServer): Promise<void> {
  const generator = new DemoGenerator({seed: 11, rate: 5, shape: 'mixed', startMicros: START});
  const items = Array.from({length: 6000}, () => {
    const e = generator.next();
    return {deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body};
  });
  await s.pipeline.ingest(items);
  s.clock.now = generator.nowMicros() + 1_000_000;
  await s.addReport({periodStart: START, periodEnd: START + 3_600_000_000, created: START + 3_700_000_000, name: 'summary for region: all',
    json: '[["a"], [1]]'});
}

/** URLs covering every route, with the instances, requests and rows the data holds, and bad input. */
async function urls(s: TestServer): Promise<string[]> {
  const one = async (sql: string) => Object.values((await s.query(sql))[0]!)[0] as string | number;
  const instance = await one('SELECT instance FROM stacktach_rawdata WHERE instance IS NOT NULL ORDER BY id LIMIT 1 OFFSET 40');
  const image = await one(`SELECT uuid FROM stacktach_glancerawdata WHERE uuid IS NOT NULL ORDER BY id LIMIT 1`);
  const req = await one('SELECT request_id FROM stacktach_rawdata WHERE request_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET 70');
  const event = await one('SELECT event FROM stacktach_rawdata ORDER BY id LIMIT 1 OFFSET 5');
  const host = await one('SELECT host FROM stacktach_rawdata WHERE host IS NOT NULL ORDER BY id LIMIT 1');
  const id = await one('SELECT id FROM stacktach_rawdata ORDER BY id LIMIT 1 OFFSET 99');
  const t0 = START / 1_000_000;
  return [
    '/stacky/deployments/', '/stacky/events/', '/stacky/events/?service=glance', '/stacky/hosts/',
    `/stacky/uuid/?uuid=${instance}`, `/stacky/uuid/?uuid=${image}&service=glance`, `/stacky/uuid/?uuid=${instance}&limit=3&offset=2`,
    '/stacky/uuid/?uuid=not-a-uuid', '/stacky/uuid/', `/stacky/uuid/?uuid=${instance}&limit=x`,
    `/stacky/request/?request_id=${req}`, '/stacky/request/?request_id=nope',
    '/stacky/timings/?name=compute.instance.create', `/stacky/timings/uuid/?uuid=${instance}`, '/stacky/summary/',
    '/stacky/summary/?limit=2', '/stacky/reports/', '/stacky/reports/search/', '/stacky/report/1/', '/stacky/report/99/',
    `/stacky/show/${id}/`, '/stacky/show/999999/', '/stacky/kpi/', '/stacky/kpi/region_9/', '/stacky/kpi/region-1.cell-a/',
    `/stacky/usage/launches/?instance=${instance}`, '/stacky/usage/deletes/', '/stacky/usage/exists/?limit=5',
    `/stacky/search/?field=event&value=${event}&when_min=${t0}`, `/stacky/search/?field=host&value=${host}`,
    '/stacky/search/?field=json__contains&value=compute', '/stacky/watch/0/', '/stacky/watch/1/?event_name=compute.instance.update',
  ];
}

describe('read threads', () => {
  it('every read endpoint answers as the serving thread alone does, errors included', async () => {
    const s = await startServer();
    const store = await openStore(s.dbPath);
    const threaded = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'test'}), now: () => s.clock.now,
      cache: false, readThreads: 2, log: () => {}});
    const alone = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'test'}), now: () => s.clock.now,
      cache: false, log: () => {}});
    try {
      await fill(s);
      const [a, b] = [await listen(threaded), await listen(alone)];
      await readThreadsOf.get(threaded)!.whenReady();
      const list = await urls(s);
      const statuses: number[] = [];
      for (const url of list) {
        const [x, y] = await Promise.all([send(a + url), send(b + url)]);
        assert.equal(x.status, y.status, url);
        assert.equal(x.text, y.text, url);
        assert.equal(x.headers['content-type'], y.headers['content-type'], url);
        statuses.push(x.status);
      }
      assert.deepEqual([...new Set(statuses)].sort(), [200, 400, 404], 'answers and errors both compared');
      // All but watch, search and the path no route matches (Django's 404 page) were built on the threads.
      const offloaded = list.filter((u) => !/\/stacky\/(watch|search)\/|\/kpi\/region-1/.test(u)).length;
      assert.equal(readThreadsOf.get(threaded)!.answered, offloaded);
      assert.equal(readThreadsOf.get(alone), undefined);
    } finally {
      for (const server of [threaded, alone]) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      await store.close();
      await s.close();
    }
  });
});
