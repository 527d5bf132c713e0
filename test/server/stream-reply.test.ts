// Large answers go out as they are made (source/server/stream-reply.ts): search reads its rows a
// page at a time (source/server/handlers/search.ts) and sends them chunked, the same bytes as one
// read of the same rows; a small answer is sent whole; a client that leaves mid-answer costs the
// server nothing it keeps. Real HTTP, on either engine (STACKY_TEST_ENGINE).
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {request} from 'node:http';
import {pyDumps} from '../../source/core/pyjson.js';
import {HEADERS, resultRow} from '../../source/server/handlers/raw-rows.js';
import {micros, SECOND, withServer, type Note} from './helpers.js';

const T = micros('2014-01-16 17:00:00');
// Three rows to an instant, so instants straddle the pages of 500; two tenants interleaved.
const notes: Note[] = Array.from({length: 1500}, (_, i) => ({
  event: i % 10 === 0 ? 'compute.instance.delete.start' : 'compute.instance.update',
  at: T + Math.floor(i / 3) * 1000, instance: `i-${i % 17}`, tenant: i % 2 === 0 ? 'even' : 'odd', messageId: `m-${i}`,
}));

describe('streamed answers', () => {
  const s = withServer((srv) => srv.ingest(...notes), T + 60 * SECOND);

  it('search: 1,000 rows after an offset go out chunked, the same bytes as one read of them, newest first', async () => {
    const r = await s().get('/stacky/search/?field=tenant&value=even&limit=1000&offset=7');
    assert.equal(r.status, 200);
    assert.equal(r.headers['transfer-encoding'], 'chunked');
    assert.equal(r.headers['content-length'], undefined);
    const rows = await s().store.raw.rows({service: 'nova', filters: [{field: 'tenant', lookup: 'exact', value: 'even'}],
      order: 'desc', limit: 1000, offset: 7});
    assert.equal(rows.length, 743);
    assert.equal(r.text, pyDumps([HEADERS.nova, ...rows.map(resultRow)]));
    // The same walk without a tenant filter: pages of 500, 500 (the limit), none left over.
    const all = await s().get('/stacky/search/?field=event&value=compute.instance.update&limit=1000');
    const parsed = all.json() as unknown[][];
    assert.equal(parsed.length, 1001);
    const ids = parsed.slice(1).map((row) => row[0] as number);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    assert.equal(new Set(ids).size, 1000);
  });

  it('a small answer is sent whole, with its length; an empty one is []', async () => {
    const small = await s().get('/stacky/search/?field=event&value=compute.instance.delete.start&limit=3');
    assert.equal(small.headers['content-length'], String(Buffer.byteLength(small.text)));
    assert.equal((small.json() as unknown[]).length, 4);
    const none = await s().get('/stacky/search/?field=tenant&value=nobody');
    assert.equal(none.text, '[]');
    assert.equal(none.headers['content-length'], '2');
  });

  it('a client that leaves mid-answer: the next requests are answered in full', async () => {
    const path = '/stacky/search/?field=event&value=compute.instance.update&limit=1000';
    const whole = (await s().get(path)).text;
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = request(`${s().url}${path}`, {agent: false}, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve() : reject(error)));
        req.end();
      });
    }
    assert.equal((await s().get(path)).text, whole);
    assert.equal((await s().get('/stacky/search/?field=tenant&value=nobody')).text, '[]');
  });
});
