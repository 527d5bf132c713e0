import {test} from 'node:test';
import {start, keys} from './helpers.js';
test('dbg', async () => {
  const h = await start();
  await h.press('2');
  await h.until(/when_min/);
  await h.type('tenant');
  await h.press(keys.tab);
  await h.type('abc');
  await new Promise((r) => setTimeout(r, 100));
  process.stderr.write(h.frame() + '\n');
  h.unmount();
});
