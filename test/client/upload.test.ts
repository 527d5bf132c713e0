// StackyClient.ingest against a real stacky server: the reply, and an early answer (a bound)
// read as a typed error with the counts committed before it, never as EPIPE, whatever is left
// of the body unsent.
import assert from 'node:assert/strict';
import {Readable} from 'node:stream';
import {after, before, describe, it} from 'node:test';
import {StackyClient} from '../../source/client/client.js';
import {StackyIngestError} from '../../source/client/errors.js';
import {INSTANCE_ID_1, line, startServer, type TestServer} from '../server/helpers.js';

const note = (i: number) => line({event: 'compute.instance.update', at: 1_389_900_000_000_000 + i, instance: INSTANCE_ID_1,
  messageId: `u-${i}`, payload: {pad: 'x'.repeat(1000)}});

/** `count` lines made as they are read, and whether the stream was read to its end. */
function lines(count: number, make: (i: number) => string): {body: Readable; ended: () => boolean} {
  let i = 0;
  let ended = false;
  const body = new Readable({read() {
    if (i === count) {
      ended = true;
      this.push(null);
      return;
    }
    this.push(`${make(i++)}\n`);
  }});
  return {body, ended: () => ended};
}

const stored = async (s: TestServer) => (await s.query('SELECT count(*) AS n FROM stacktach_rawdata'))[0]!.n as number;

describe('StackyClient.ingest', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({limits: {bodyBytes: 1024 * 1024, rejectedLines: 3000, replyRejections: 2}});
  });
  after(() => s.close());

  it('streams the body and resolves with the reply, the exact counts beside the cut lists', async () => {
    const {body} = lines(6, (i) => (i % 2 === 0 ? note(i) : `junk ${i}`));
    const reply = await new StackyClient({url: s.url}).ingest(body, {deployment: 'region-1', exchange: 'nova'});
    assert.equal(reply.stored, 3);
    assert.deepEqual(reply.rejected.map((r) => r.line), [2, 4]);
    assert.equal(reply.rejected_count, 3);
    assert.deepEqual(await s.query('SELECT name FROM stacktach_deployment'), [{name: 'region-1'}]);
  });

  it('a body over the server bound: a StackyIngestError with the counts committed, the rest not sent', async () => {
    const before = (await stored(s));
    // About 100 MiB offered against a bound of 1 MiB: far past what the server drains.
    const {body, ended} = lines(100_000, (i) => note(1000 + i));
    let counts: {stored: number; duplicates: number; rejected: number} | undefined;
    await assert.rejects(new StackyClient({url: s.url}).ingest(body, {deployment: 'region-1', exchange: 'nova'}), (e: unknown) => {
      assert.ok(e instanceof StackyIngestError, String(e));
      assert.equal(e.status, 413);
      assert.match(e.reason, /^The body is larger than 1048576 bytes; lines past that were not read: stored \d+, duplicates 0, rejected 0\. Split the upload\.$/);
      counts = e.counts;
      return true;
    });
    assert.deepEqual(counts, {stored: (await stored(s)) - before, duplicates: 0, rejected: 0});
    assert.ok(counts!.stored > 0);
    assert.equal(ended(), false);
  });

  it('a body of junk: 400 at the rejected-lines bound, with its counts', async () => {
    const {body} = lines(50_000, (i) => `junk ${i}`);
    await assert.rejects(new StackyClient({url: s.url}).ingest(body, {deployment: 'region-1', exchange: 'nova'}), (e: unknown) => {
      assert.ok(e instanceof StackyIngestError, String(e));
      assert.equal(e.status, 400);
      assert.equal(e.counts!.stored, 0);
      assert.ok(e.counts!.rejected >= 3000);
      return true;
    });
  });
});
