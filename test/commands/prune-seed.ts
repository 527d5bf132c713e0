// What both engines' prune tests start from: three rows "long ago" (no keyframe cache can still
// refer to them), of three instances (no row is compressed against another), and one entry in
// quarantine.
import {openStore} from '../../source/store/open.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {item, micros} from '../server/helpers.js';

export const INSTANCES = ['aaaaaaaa-1111-2222-3333-444444444444', 'bbbbbbbb-1111-2222-3333-444444444444',
  'cccccccc-1111-2222-3333-444444444444'];

export async function seedOld(location: string): Promise<void> {
  const store = await openStore(location);
  try {
    const pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => micros('2014-01-01 00:00:00')});
    await pipeline.ingest([
      item({event: 'compute.instance.create.start', at: '2014-01-01 00:00:00.000000', instance: INSTANCES[0]}),
      item({event: 'compute.instance.create.end', at: '2014-01-01 00:01:00.000000', instance: INSTANCES[1]}),
      item({event: 'compute.instance.update', at: '2014-01-03 00:00:00.000000', instance: INSTANCES[2]}),
    ]);
    await pipeline.quarantine({deployment: 'd', exchange: 'nova', routingKey: 'k', text: '{'}, 'not JSON');
  } finally {
    await store.close();
  }
}
