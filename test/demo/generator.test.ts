import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {DemoGenerator, type DemoOptions, type Envelope} from '../../source/demo/generator.js';

/** No flow of the generator lasts longer than an hour from its first to its last notification. */
const MAX_FLOW_MICROS = 3_600_000_000;

// ---------------------------------------------------------------------------------------
// Helpers

const TS = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?$/;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const START = Date.UTC(2026, 0, 1) * 1000;

/** Parse `YYYY-MM-DD HH:MM:SS(.ffffff)` (UTC) into µs since the epoch; NaN if malformed. */
function parseTimestamp(text: unknown): number {
  if (typeof text !== 'string') return NaN;
  const m = TS.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, f] = m;
  return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) * 1000 + (f ? +f : 0);
}

function take(count: number, options?: DemoOptions): Envelope[] {
  const generator = new DemoGenerator(options);
  const out: Envelope[] = [];
  for (let i = 0; i < count; i++) out.push(generator.next());
  return out;
}

type Payload = Record<string, unknown>;

const ev = (e: Envelope) => e.body.event_type as string;
const req = (e: Envelope) => e.body._context_request_id as string | undefined;
const payload = (e: Envelope) => e.body.payload as Payload;
const when = (e: Envelope) => parseTimestamp(e.body.timestamp);

/** The instance a nova notification is about, the way StackTach finds it (docs/ingest.md §2.1). */
function instanceOf(e: Envelope): string | null {
  const p = e.body.payload;
  if (p === null || typeof p !== 'object') return null;
  const pl = p as Payload;
  let id = pl.instance_id;
  if ('instance_uuid' in pl) id = pl.instance_uuid;
  if (!id) id = (pl.exception as {kwargs?: {uuid?: unknown}} | undefined)?.kwargs?.uuid;
  if (!id) id = (pl.instance as {uuid?: unknown} | undefined)?.uuid;
  return typeof id === 'string' && id ? id : null;
}

/** Request ids that saw an error-routed notification. */
function failedRequests(envelopes: readonly Envelope[]): Set<string> {
  const failed = new Set<string>();
  for (const e of envelopes) {
    const r = req(e);
    if (r && e.routing_key.includes('error')) failed.add(r);
  }
  return failed;
}

function groupByRequest(envelopes: readonly Envelope[]): Map<string, Envelope[]> {
  const groups = new Map<string, Envelope[]>();
  for (const e of envelopes) {
    if (e.exchange !== 'nova') continue;
    const r = req(e)!;
    let list = groups.get(r);
    if (!list) groups.set(r, (list = []));
    list.push(e);
  }
  return groups;
}

const isPeriodic = (e: Envelope) => e.body._context_is_admin === true;

function hashOf(envelopes: readonly Envelope[]): string {
  const h = createHash('sha256');
  for (const e of envelopes) h.update(JSON.stringify(e) + '\n');
  return h.digest('hex');
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

// One default corpus for most checks; low-rate corpora where simulated hours matter.
const corpus = take(20_000);
let slowCorpus: Envelope[] | undefined;
/** rate 2: 20,000 notifications span ~2.8 simulated hours, so flows complete and audits roll over. */
const longCorpus = () => (slowCorpus ??= take(20_000, {rate: 2}));

// ---------------------------------------------------------------------------------------

test('the same seed and options give identical output', () => {
  const a = hashOf(take(2000, {seed: 42}));
  const b = hashOf(take(2000, {seed: 42}));
  assert.equal(a, b);
  assert.equal(hashOf(take(2000)), hashOf(corpus.slice(0, 2000)), 'default seed is stable too');
  assert.notEqual(hashOf(take(2000, {seed: 43})), a, 'another seed gives other output');
});

test('timestamps are Python str() datetimes, non-decreasing, and nowMicros follows them', () => {
  const generator = new DemoGenerator();
  let last = -Infinity;
  let whole = 0;
  for (let i = 0; i < 20_000; i++) {
    const e = generator.next();
    const ts = e.body.timestamp as string;
    const t = parseTimestamp(ts);
    assert.ok(Number.isFinite(t), `bad timestamp ${ts}`);
    assert.ok(t >= last, `timestamp went back: ${ts}`);
    assert.equal(generator.nowMicros(), t);
    if (!ts.includes('.')) {
      whole++;
      assert.equal(t % 1_000_000, 0, 'the fraction is dropped only when it is 0');
    } else {
      assert.notEqual(t % 1_000_000, 0, 'a zero fraction is never printed');
    }
    last = t;
  }
  assert.ok(whole >= 1, 'the first notification sits on the whole start second');
  assert.equal(parseTimestamp(corpus[0]!.body.timestamp), START);
});

test('the clock advances about 1/rate seconds per notification', () => {
  for (const [rate, count] of [[2, 5000], [20, 20_000], [100, 30_000], [1000, 100_000]] as const) {
    const generator = new DemoGenerator({rate, startMicros: START});
    for (let i = 0; i < count; i++) generator.next();
    const elapsed = (generator.nowMicros() - START) / 1e6;
    const expected = count / rate;
    assert.ok(elapsed > expected * 0.8 && elapsed < expected * 1.2, `rate ${rate}: ${elapsed}s for ${expected}s`);
  }
});

test('options: deployments and start time are honoured; bad options are refused', () => {
  const start = Date.UTC(2013, 5, 20, 17, 31, 57) * 1000 + 939614;
  const envelopes = take(3000, {deployments: ['east', 'west.c1'], startMicros: start, seed: 7});
  assert.deepEqual([...new Set(envelopes.map((e) => e.deployment))].sort(), ['east', 'west.c1']);
  assert.equal(envelopes[0]!.body.timestamp, '2013-06-20 17:31:57.939614');
  assert.throws(() => new DemoGenerator({rate: 0}), RangeError);
  assert.throws(() => new DemoGenerator({deployments: []}), RangeError);
  const defaults = new Set(corpus.map((e) => e.deployment));
  assert.deepEqual([...defaults].sort(), ['region-1.cell-a', 'region-1.cell-b', 'region-2.cell-a']);
});

test('envelopes: exchanges, routing keys, priorities and publishers', () => {
  const publishers = new Set<string>();
  for (const e of corpus) {
    const b = e.body;
    assert.match(b.message_id as string, UUID4);
    const error = b.priority === 'ERROR';
    assert.ok(error || b.priority === 'INFO', 'error || b.priority === \'INFO\'');
    if (e.exchange === 'nova') {
      assert.equal(e.routing_key, error ? 'monitor.error' : 'monitor.info');
      assert.match(b.publisher_id as string, /^(api\.api-0[1-4]|scheduler\.scheduler-0[12]|compute\.c-\d{4})$/);
      assert.match(req(e)!, /^req-[0-9a-f-]{36}$/);
      assert.match(b._context_timestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      assert.ok('_context_project_id' in b && '_context_roles' in b && '_context_service_catalog' in b, '\'_context_project_id\' in b && \'_context_roles\' in b && \'_context_service_catalog\' in b');
    } else {
      assert.equal(e.exchange, 'glance');
      assert.equal(e.routing_key, error ? 'monitor_glance.error' : 'monitor_glance.info');
      assert.match(b.publisher_id as string, /^image\.glance-api-0[1-3]$/);
      assert.ok(!('_context_request_id' in b), 'glance bodies carry no request id');
    }
    publishers.add((b.publisher_id as string).split('.')[0]!);
  }
  assert.deepEqual([...publishers].sort(), ['api', 'compute', 'image', 'scheduler']);
  const computeHosts = new Set(corpus.map((e) => e.body.publisher_id as string).filter((p) => p.startsWith('compute.')));
  assert.ok(computeHosts.size > 150, `many compute hosts (${computeHosts.size})`);
});

test('instance payloads look like nova info_from_instance', () => {
  const launched = corpus.find((e) => ev(e) === 'compute.instance.create.end')!;
  const p = payload(launched);
  for (const key of [
    'tenant_id', 'user_id', 'instance_id', 'display_name', 'instance_type', 'instance_type_id',
    'instance_flavor_id', 'memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'disk_gb', 'host', 'node',
    'created_at', 'launched_at', 'terminated_at', 'deleted_at', 'image_ref_url', 'os_type', 'state',
    'state_description', 'fixed_ips', 'image_meta', 'metadata',
  ]) assert.ok(key in p, `payload has ${key}`);
  assert.equal(p.message, 'Success');
  assert.equal(p.state, 'active');
  assert.equal(typeof p.instance_type_id, 'number');
  assert.equal(typeof p.instance_flavor_id, 'string');
  const meta = p.image_meta as Payload;
  for (const key of ['image_type', 'os_type', 'org.openstack__1__architecture', 'org.openstack__1__os_distro',
    'org.openstack__1__os_version', 'com.rackspace__1__options']) assert.ok(key in meta, `image_meta has ${key}`);

  // launched_at is '' until launched; create.end launches; both str() and isoformat() forms occur.
  const start = corpus.find((e) => ev(e) === 'compute.instance.create.start')!;
  assert.equal(payload(start).launched_at, '');
  const forms = new Set<string>();
  for (const e of corpus) {
    const l = (e.body.payload as Payload | undefined)?.launched_at;
    if (typeof l === 'string' && l) forms.add(l.includes('T') ? 'iso' : 'str');
  }
  assert.deepEqual([...forms].sort(), ['iso', 'str']);

  const updates = corpus.filter((e) => ev(e) === 'compute.instance.update');
  for (const u of updates.slice(0, 500)) {
    const up = payload(u);
    assert.ok('old_state' in up && 'old_task_state' in up && 'new_task_state' in up && 'audit_period_ending' in up, '\'old_state\' in up && \'old_task_state\' in up && \'new_task_state\' in up && \'audit_period_ending\' in up');
  }

  // delete.end: terminated_at always, deleted_at sometimes.
  const deletes = corpus.filter((e) => ev(e) === 'compute.instance.delete.end').map(payload);
  assert.ok(deletes.every((d) => d.state === 'deleted' && d.terminated_at && d.launched_at), 'deletes.every((d) => d.state === \'deleted\' && d.terminated_at && d.launched_at)');
  assert.ok(deletes.some((d) => d.deleted_at === '') && deletes.some((d) => d.deleted_at !== ''), 'deletes.some((d) => d.deleted_at === \'\') && deletes.some((d) => d.deleted_at !== \'\')');
});

test('every flow type and error class appears in 20,000 notifications', () => {
  const count = (predicate: (e: Envelope) => boolean) => corpus.filter(predicate).length;
  const byEvent = (name: string) => count((e) => ev(e) === name);
  const info = (e: Envelope) => e.routing_key.endsWith('.info');
  const error = (e: Envelope) => e.routing_key.endsWith('.error');

  for (const name of [
    'compute.instance.create.end', 'compute.instance.delete.end', 'compute.instance.resize.confirm.end',
    'compute.instance.resize.revert.end', 'compute.instance.finish_resize.end', 'compute.instance.snapshot.end',
    'compute.instance.rebuild.end', 'compute.instance.reboot.end', 'compute.instance.pause.end',
    'compute.instance.unpause.end', 'compute.instance.suspend.end', 'compute.instance.resume.end',
    'compute.instance.power_off.end', 'compute.instance.power_on.end', 'compute.instance.rescue.end',
    'compute.instance.unrescue.end', 'compute.instance.shutdown.end', 'scheduler.run_instance.scheduled',
    'image.create', 'image.prepare', 'image.upload', 'image.activate', 'image.delete', 'image.exists',
  ]) assert.ok(byEvent(name) > 0, `${name} appears`);

  // Exists: periodic audits (admin context) and the current-period exists of resize/rebuild.
  assert.ok(count((e) => ev(e) === 'compute.instance.exists' && isPeriodic(e)) > 50, 'periodic audits');
  assert.ok(count((e) => ev(e) === 'compute.instance.exists' && !isPeriodic(e)) > 20, 'resize/rebuild exists');

  // (a) build failure: state error, create.error and a 500 exception wrapper, all for one request.
  const createErrors = corpus.filter((e) => ev(e) === 'compute.instance.create.error');
  assert.ok(createErrors.length > 0, 'createErrors.length > 0');
  for (const e of createErrors) {
    assert.ok(error(e) && e.body.priority === 'ERROR', 'error(e) && e.body.priority === \'ERROR\'');
    assert.equal(payload(e).code, 500);
    assert.equal(typeof payload(e).message, 'string');
    assert.equal(payload(e).state, 'error');
    const wrapper = corpus.find((x) => req(x) === req(e) && ev(x) === 'run_instance');
    assert.ok(wrapper && error(wrapper), 'run_instance exception wrapper follows');
    const exc = payload(wrapper).exception as {kwargs: {code: number; uuid: string}};
    assert.equal(exc.kwargs.code, 500);
    assert.equal(exc.kwargs.uuid, instanceOf(e));
    assert.ok(corpus.some((x) => req(x) === req(e) && ev(x) === 'compute.instance.update' &&
      payload(x).state === 'error' && payload(x).old_state === 'building'));
  }

  // (b) client errors on reboot: 409 and 400.
  const codes = corpus.filter((e) => ev(e) === 'reboot_instance').map((e) => {
    assert.ok(error(e), 'error(e)');
    return (payload(e).exception as {kwargs: {code: number}}).kwargs.code;
  });
  assert.ok(codes.includes(409) && codes.includes(400), `codes ${[...new Set(codes)]}`);

  // (c) no valid host: scheduler error, then a scheduler-service update to state error.
  const noHost = corpus.filter((e) => ev(e) === 'scheduler.run_instance');
  assert.ok(noHost.length > 0, 'noHost.length > 0');
  for (const e of noHost) {
    assert.ok(error(e) && (e.body.publisher_id as string).startsWith('scheduler.'), 'error(e) && (e.body.publisher_id as string).startsWith(\'scheduler.\')');
    assert.equal(payload(e).state, 'error');
    assert.match(payload(e).reason as string, /No valid host/);
    assert.ok(corpus.some((x) => req(x) === req(e) && ev(x) === 'compute.instance.update' &&
      (x.body.publisher_id as string).startsWith('scheduler.') && payload(x).state === 'error'));
  }

  // (d) recovery within a request: an update from error back to active, on info.
  assert.ok(corpus.some((e) => ev(e) === 'compute.instance.update' && payload(e).old_state === 'error' &&
    payload(e).state === 'active' && info(e)), 'a recovery from error appears');

  // Glance upload failure (non-object payload) and the nova snapshot_instance 500.
  const uploadErrors = corpus.filter((e) => ev(e) === 'image.upload' && error(e));
  assert.ok(uploadErrors.length > 0 && uploadErrors.every((e) => typeof e.body.payload === 'string'), 'uploadErrors.length > 0 && uploadErrors.every((e) => typeof e.body.payload === \'string\')');
  assert.ok(count((e) => ev(e) === 'snapshot_instance' && error(e)) > 0, 'count((e) => ev(e) === \'snapshot_instance\' && error(e)) > 0');

  // Errors are 2–3% of user requests.
  const requests = groupByRequest(corpus);
  let user = 0;
  let failed = 0;
  for (const list of requests.values()) {
    if (isPeriodic(list[0]!)) continue;
    user++;
    if (list.some(error)) failed++;
  }
  const share = failed / user;
  assert.ok(share > 0.015 && share < 0.04, `error share ${share}`);
  assert.ok(count(info) > count(error), 'count(info) > count(error)');
});

test('create is about 35% of user requests', () => {
  const requests = groupByRequest(corpus);
  let user = 0;
  let creates = 0;
  for (const list of requests.values()) {
    const first = list[0]!;
    if (isPeriodic(first)) continue;
    user++;
    if (payload(first).new_task_state === 'scheduling') creates++;
  }
  const share = creates / user;
  assert.ok(share > 0.3 && share < 0.42, `create share ${share}`);
});

test('an api-service compute.instance.update opens every nova user request', () => {
  const requests = groupByRequest(corpus);
  let checked = 0;
  for (const [id, list] of requests) {
    if (list.every((e) => ev(e) === 'compute.instance.exists')) {
      assert.ok(list.every(isPeriodic), `${id}: exists-only requests are periodic audits`);
      continue;
    }
    const first = list[0]!;
    assert.equal(ev(first), 'compute.instance.update', `${id} opens with an update`);
    assert.match(first.body.publisher_id as string, /^api\./, `${id} opens on the api service`);
    assert.equal(payload(first).old_task_state, null, `${id}: the api update starts a task`);
    assert.ok(payload(first).new_task_state !== undefined, 'payload(first).new_task_state !== undefined');
    checked++;
  }
  assert.ok(checked > 1000, 'checked > 1000');
});

test('every .start of a completed flow has a matching .end (same request and instance)', () => {
  const envelopes = longCorpus();
  const failed = failedRequests(envelopes);
  const last = when(envelopes[envelopes.length - 1]!);
  const cutoff = last - MAX_FLOW_MICROS;
  const open = new Map<string, number[]>();
  let matched = 0;
  for (const e of envelopes) {
    if (e.exchange !== 'nova') continue;
    const name = ev(e);
    const step = name.slice(name.lastIndexOf('.') + 1);
    if (step !== 'start' && step !== 'end') continue;
    const key = `${req(e)} ${instanceOf(e)} ${name.slice(0, name.lastIndexOf('.'))}`;
    assert.ok(instanceOf(e) || name.startsWith('scheduler.'), `${name} names its instance`);
    if (step === 'start') {
      let list = open.get(key);
      if (!list) open.set(key, (list = []));
      list.push(when(e));
    } else {
      const list = open.get(key);
      assert.ok(list && list.length > 0, `${name} of ${key} has an open .start`);
      list.shift();
      matched++;
    }
  }
  for (const [key, starts] of open) {
    const request = key.split(' ')[0]!;
    if (failed.has(request)) continue; // a failed build leaves create.start open, as nova does
    for (const t of starts) assert.ok(t >= cutoff, `${key} started at ${t} and never ended`);
  }
  assert.ok(matched > 2000, `matched ${matched}`);
});

test('no request spans more than MAX_FLOW_MICROS; some take longer than 30 minutes', () => {
  const envelopes = take(20_000, {rate: 5});
  const failed = failedRequests(envelopes);
  let slow = 0;
  for (const [id, list] of groupByRequest(envelopes)) {
    const span = when(list[list.length - 1]!) - when(list[0]!);
    assert.ok(span <= MAX_FLOW_MICROS, `${id} spans ${span} µs`);
    if (span > 1800e6 && !failed.has(id) && !isPeriodic(list[0]!)) slow++;
  }
  assert.ok(slow >= 1, `slow requests: ${slow}`);
});

test('snapshots: glance activate carries properties.instance_uuid of the snapshotted instance', () => {
  assert.ok(corpus.some((e) => ev(e) === 'image.activate'), 'activates in the default corpus');
  const envelopes = longCorpus();
  const snapshotted = new Map<string, string>();
  for (const e of envelopes) {
    if (ev(e) === 'compute.instance.snapshot.start') snapshotted.set(instanceOf(e)!, payload(e).tenant_id as string);
  }
  const activates = envelopes.filter((e) => ev(e) === 'image.activate');
  assert.ok(activates.length > 100, `activates: ${activates.length}`);
  for (const e of activates) {
    const p = payload(e);
    const props = p.properties as Payload;
    assert.match(props.instance_uuid as string, UUID4);
    assert.equal(props.image_type, 'snapshot');
    assert.ok(snapshotted.has(props.instance_uuid as string), 'the instance had a snapshot.start');
    assert.equal(p.owner, snapshotted.get(props.instance_uuid as string));
    assert.equal(p.status, 'active');
    assert.match(p.created_at as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(typeof p.size, 'number');
    assert.equal(p.deleted_at, null);
    // The same image went through create, prepare and upload first.
    const steps = envelopes.filter((x) => x.exchange === 'glance' && payload(x)?.id === p.id).map(ev);
    assert.deepEqual(steps.slice(0, 4), ['image.create', 'image.prepare', 'image.upload', 'image.activate']);
    assert.ok(steps.slice(4).every((s) => s === 'image.delete'), 'only a delete may follow');
  }
});

test('glance image.delete and image.exists have the fields StackTach reads', () => {
  const deletes = corpus.filter((e) => ev(e) === 'image.delete');
  for (const e of deletes) {
    assert.equal(payload(e).status, 'deleted');
    assert.match(payload(e).deleted_at as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  }
  const exists = corpus.filter((e) => ev(e) === 'image.exists');
  assert.ok(exists.length > 5, 'exists.length > 5');
  for (const e of exists) {
    const p = payload(e);
    assert.ok(Number.isFinite(parseTimestamp((p.audit_period_beginning as string))), 'Number.isFinite(parseTimestamp((p.audit_period_beginning as string)))');
    assert.equal(typeof p.owner, 'string');
    const images = p.images as Payload[];
    assert.ok(images.length >= 1, 'images.length >= 1');
    for (const image of images) {
      for (const key of ['id', 'created_at', 'deleted_at', 'size']) assert.ok(key in image, `image has ${key}`);
    }
  }
});

test('usage links: resize/rebuild exists and deleted instances get a final periodic exists', () => {
  const envelopes = longCorpus();
  const deleted = new Map<string, Payload>();
  let linked = 0;
  for (const e of envelopes) {
    if (ev(e) === 'compute.instance.delete.end') deleted.set(instanceOf(e)!, payload(e));
    if (ev(e) === 'compute.instance.exists' && payload(e).deleted_at) {
      const d = deleted.get(instanceOf(e)!);
      assert.ok(d, 'exists with deleted_at follows a delete.end');
      assert.equal(payload(e).launched_at, d.launched_at);
      assert.ok(isPeriodic(e), 'isPeriodic(e)');
      linked++;
    }
  }
  assert.ok(linked > 0, 'some deleted instances got their final exists');
  // resize: prep.start carries the old flavor, finish_resize.end the new one and a newer launched_at.
  const byRequest = groupByRequest(envelopes);
  let resizes = 0;
  for (const list of byRequest.values()) {
    const prep = list.find((e) => ev(e) === 'compute.instance.resize.prep.start');
    const finish = list.find((e) => ev(e) === 'compute.instance.finish_resize.end');
    if (!prep || !finish) continue;
    resizes++;
    assert.notEqual(payload(prep).instance_type_id, payload(finish).instance_type_id);
    assert.ok(payload(finish).launched_at !== payload(prep).launched_at, 'payload(finish).launched_at !== payload(prep).launched_at');
    assert.ok(list.some((e) => ev(e) === 'compute.instance.exists'), 'resize sends a current-period exists');
  }
  assert.ok(resizes > 10, 'resizes > 10');
});

test('bodies are 2–5 KB of JSON', () => {
  const sizes = corpus.map((e) => Buffer.byteLength(JSON.stringify(e.body))).sort((a, b) => a - b);
  const min = sizes[0]!;
  const max = sizes[sizes.length - 1]!;
  assert.ok(min >= 2048, `smallest body ${min} bytes`);
  assert.ok(max <= 5000, `largest body ${max} bytes`);
  const median = quantile(sizes, 0.5);
  assert.ok(median > 3000 && median < 4500, `median ${median}`);
  assert.ok(quantile(sizes, 0.9) - quantile(sizes, 0.1) > 500, 'sizes vary');
  const glance = corpus.filter((e) => e.exchange === 'glance').map((e) => JSON.stringify(e.body).length);
  assert.ok(glance.length > 100 && Math.min(...glance) >= 2048 && Math.max(...glance) <= 5000, 'glance.length > 100 && Math.min(...glance) >= 2048 && Math.max(...glance) <= 5000');
});

test('instance and request ids are unique per flow', () => {
  const creates = corpus.filter((e) => ev(e) === 'compute.instance.update' && payload(e).new_task_state === 'scheduling'
    && (e.body.publisher_id as string).startsWith('api.'));
  const instances = creates.map(instanceOf);
  assert.equal(new Set(instances).size, instances.length);
  const opening = corpus.filter((e) => (e.body.publisher_id as string).startsWith('api.')).map(req);
  assert.equal(new Set(opening).size, opening.length, 'each api update opens its own request');
  const messageIds = corpus.map((e) => e.body.message_id);
  assert.equal(new Set(messageIds).size, messageIds.length);
});
