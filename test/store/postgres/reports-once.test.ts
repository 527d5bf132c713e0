// The hourly report is built once per hour however many API nodes run --reports hourly: two
// stores on one PostgreSQL database insert the same period at once, one row is kept.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {openStore} from '../../../source/store/open.js';
import {createTestDatabase, pgSkip} from './test-database.js';

const skip = await pgSkip();

test('two servers storing the same report period at once keep one row', {skip}, async () => {
  const db = await createTestDatabase();
  const nodes = await Promise.all(Array.from({length: 4}, () => openStore(db.url)));
  try {
    const report = {periodStart: 1_389_726_000_000_000, periodEnd: 1_389_729_600_000_000, created: 1_389_729_900_000_000,
      name: 'summary for region: all', version: 4, json: '[["a"], [1]]'};
    for (let round = 0; round < 5; round++) {
      const ids = await Promise.all(nodes.map((n) => n.reportSource.insertReportOnce({...report, periodStart: report.periodStart + round})));
      assert.equal(ids.filter((id) => id !== null).length, 1, `round ${round}: ${JSON.stringify(ids)}`);
    }
    const rows = await nodes[0]!.reports.search({name: 'summary for region: all'}, 100, 0);
    assert.equal(rows.length, 5);
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    await db.drop();
  }
});
