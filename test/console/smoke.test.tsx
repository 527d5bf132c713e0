import {test} from 'node:test';
import assert from 'node:assert/strict';
import {start} from './helpers.js';
import {watchRow} from './fake-source.js';

test('smoke', async () => {
  const h = await start();
  h.source.watchBatches.push([watchRow(1, 'compute.instance.create.start'), watchRow(2, 'compute.instance.create.error', {error: true})]);
  const f = await h.until(/create\.error/);
  console.log(JSON.stringify(f.split("\n")));
  h.unmount();
  assert.ok(true);
});
