// The SQLite Writer (source/store/sqlite/writer.ts) on a real file: each row's outcome, derive's
// warnings and failures, keyframes per fork, replay, quarantine and deployments.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {openDatabase, type Db} from '../../../source/store/sqlite/database.js';
import {SqliteWriter} from '../../../source/store/sqlite/writer.js';
import {openWriter} from '../../../source/store/open.js';
import {isStorable, Preparer, type Prepared} from '../../../source/ingest/prepare.js';
import type {Derive, RejectedRow, StoreRow} from '../../../source/store/types.js';
import {item} from '../../server/helpers.js';

const I1 = '2222bbbb-6352-4dbc-8271-96cc54bf14cd';
const none: Derive = () => undefined;

let dir: string;
let db: Db;
let writer: SqliteWriter;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stacky-writer-'));
  db = openDatabase(join(dir, 'stacky.db'));
  writer = new SqliteWriter(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, {recursive: true, force: true});
});

function row(p: Prepared): StoreRow {
  assert.ok(isStorable(p));
  return {kind: 'row', line: p.line, deployment: p.deployment, exchange: p.exchange, routingKey: p.routingKey, seq: p.seq,
    notification: p.notification, jsonZ: p.jsonZ, refSeq: p.refSeq, messageKey: p.messageKey};
}

function rejected(error: string, line: number | null = null): RejectedRow {
  return {kind: 'rejected', source: 'test', deployment: 'd', exchange: 'nova', routingKey: 'monitor.info', line, error, raw: '{'};
}

const all = (sql: string) => db.prepare(sql).all();

describe('write', () => {
  it('says what became of each row in order; a warning or a throw of derive keeps the raw row', async () => {
    const preparer = new Preparer();
    const [a, again, b, c] = [
      item({event: 'a.start', at: '2014-01-01 00:00:00', instance: I1, messageId: 'm-1'}),
      item({event: 'a.start', at: '2014-01-01 00:00:00', instance: I1, messageId: 'm-1'}),
      item({event: 'b', at: '2014-01-01 00:00:01', messageId: 'm-2'}),
      item({event: 'c', at: '2014-01-01 00:00:02', messageId: 'm-3'}),
    ].map((i) => row(preparer.prepare(i)));
    const derive: Derive = (_tables, rawId, n) => {
      if (n.event === 'c') throw new Error('no such table');
      return n.event === 'b' ? `warned ${rawId}` : undefined;
    };
    const out = await writer.write([a!, again!, rejected('not JSON', 4), b!, c!], derive, 7);
    assert.deepEqual(out, {statuses: ['stored', 'duplicate', 'rejected', 'stored', 'stored'],
      warnings: [undefined, undefined, undefined, 'warned 2', 'derived tables: no such table']});
    assert.deepEqual(all('SELECT id, event FROM stacktach_rawdata'), [{id: 1, event: 'a.start'}, {id: 2, event: 'b'}, {id: 3, event: 'c'}]);
    assert.deepEqual(all('SELECT received, source, line, error FROM stacky_quarantine'),
      [{received: 7, source: 'test', line: 4, error: 'not JSON'}]);
    // The batch's time dated the id mark, before its inserts.
    assert.deepEqual(all('SELECT ts, nova FROM stacky_id_marks'), [{ts: 7, nova: 0}]);
  });

  it('keyframes belong to one writer: a fork does not know them, and its failed batch leaves nothing', async () => {
    const preparer = new Preparer();
    const [first, second] = [
      item({event: 'x', at: '2014-01-01 00:00:00', instance: I1, messageId: 'm-1'}),
      item({event: 'x', at: '2014-01-01 00:00:01', instance: I1, messageId: 'm-2'}),
    ].map((i) => row(preparer.prepare(i)));
    assert.equal(second!.refSeq, first!.seq);
    await writer.write([first!], none, 0);
    const fork = writer.fork();
    await assert.rejects(fork.write([rejected('kept?'), second!], none, 0), {message: `keyframe ${first!.seq} of a prepared row is unknown`});
    assert.deepEqual(all('SELECT count(*) AS n FROM stacky_quarantine'), [{n: 0}]);
    await fork.close();
    // Closing a fork leaves the connection: the writer that knows the keyframe stores the row.
    assert.deepEqual((await writer.write([second!], none, 0)).statuses, ['stored']);
  });
});

describe('replay, quarantine and deployments', () => {
  it('a replayed entry that stores leaves the quarantine; a rejection stays with its new reason', async () => {
    await writer.quarantine([rejected('old reason'), rejected('old reason')], 5);
    const stored = row(new Preparer().prepare(item({event: 'y', at: '2014-01-01 00:00:00', messageId: 'm-9'})));
    const out = await writer.replay([{id: 1, row: stored}, {id: 2, row: rejected('new reason')}], none);
    assert.deepEqual(out.statuses, ['stored', 'rejected']);
    assert.deepEqual(all('SELECT id, received, error FROM stacky_quarantine'), [{id: 2, received: 5, error: 'new reason'}]);
    assert.deepEqual(all('SELECT event FROM stacktach_rawdata'), [{event: 'y'}]);
  });

  it('addDeployments makes each deployment once', async () => {
    await writer.addDeployments(['east', 'west']);
    await writer.fork().addDeployments(['west', 'north']);
    assert.deepEqual(all('SELECT id, name FROM stacktach_deployment ORDER BY id'),
      [{id: 1, name: 'east'}, {id: 2, name: 'west'}, {id: 3, name: 'north'}]);
  });
});

describe('openWriter', () => {
  it('opens a file of its own, closed with the writer; a PostgreSQL URL goes to PostgreSQL', async () => {
    const path = join(dir, 'other.db');
    const own = await openWriter(path);
    await own.addDeployments(['east']);
    await own.close();
    const check = openDatabase(path);
    assert.deepEqual(check.prepare('SELECT name FROM stacktach_deployment').all(), [{name: 'east'}]);
    check.close();
    await assert.rejects(openWriter('postgres://stacky@127.0.0.1:1/stacky'), {message: 'PostgreSQL at stacky@127.0.0.1:1/stacky: connection refused (is it running?)'});
  });
});
