// A corpus for the summary report whose answer is known by construction (see the table in
// summary.test.ts): requests are lists of steps, stored through the real ingest pipeline.
import {Pipeline} from '../../source/ingest/pipeline.js';
import type {IngestItem} from '../../source/ingest/item.js';
import type {Db} from '../../source/store/sqlite/database.js';
import type {Micros} from '../../source/core/types.js';
import {SqliteWriter} from '../../source/store/sqlite/writer.js';

export const SECOND = 1_000_000;

/** Epoch µs of `YYYY-MM-DD HH:MM:SS[.ffffff]` UTC. */
export function at(text: string): Micros {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`bad test time ${text}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) * 1000 + Number((m[7] ?? '').padEnd(6, '0'));
}

function stamp(us: Micros): string {
  const secs = Math.floor(us / SECOND);
  const iso = new Date(secs * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(us - secs * SECOND).padStart(6, '0')}`;
}

export interface Step {
  /** Seconds after the request's start. */
  t: number;
  event: string;
  state?: string;
  oldState?: string;
  /** Routed to monitor.error with priority ERROR. */
  error?: boolean;
  exception?: unknown;
  deployment?: string;
  /** Overrides the request's instance for this step (null: no instance key). */
  instance?: string | null;
}

export interface Req {
  request: string | null;
  instance: string;
  start: Micros;
  deployment?: string;
  /** payload.image_meta of every step. */
  image?: Record<string, string>;
  steps: Step[];
}

export function items(req: Req): IngestItem[] {
  return req.steps.map((s) => {
    const payload: Record<string, unknown> = {};
    const instance = s.instance === undefined ? req.instance : s.instance;
    if (instance !== null) payload.instance_id = instance;
    if (s.state !== undefined) payload.state = s.state;
    if (s.oldState !== undefined) payload.old_state = s.oldState;
    if (req.image) payload.image_meta = req.image;
    if (s.exception !== undefined) payload.exception = s.exception;
    const body: Record<string, unknown> = {
      event_type: s.event,
      publisher_id: 'compute.host-1',
      priority: s.error ? 'ERROR' : 'INFO',
      timestamp: stamp(req.start + Math.round(s.t * SECOND)),
      payload,
    };
    if (req.request !== null) body._context_request_id = req.request;
    return {deployment: s.deployment ?? req.deployment ?? 'east-1', exchange: 'nova',
      routingKey: s.error ? 'monitor.error' : 'monitor.info', body};
  });
}

/** start, update one second later, end after `seconds`. */
export function simple(op: string, seconds: number, extra: Step[] = []): Step[] {
  return [
    {t: 0, event: `compute.instance.${op}.start`},
    {t: 1, event: 'compute.instance.update', oldState: 'building', state: 'building'},
    ...extra,
    {t: seconds, event: `compute.instance.${op}.end`},
  ];
}

export async function ingest(db: Db, reqs: Req[]): Promise<void> {
  const pipeline = new Pipeline(new SqliteWriter(db), {source: 'test'});
  const result = await pipeline.ingest(reqs.flatMap(items));
  if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected)}`);
}

const BASE_LINUX = {image_type: 'base', os_type: 'linux'};
const SNAP_WINDOWS = {image_type: 'snapshot', os_type: 'windows'};
const IMPORT_FREEBSD = {image_type: 'import', os_type: 'freebsd'};

/** The hour the main corpus is about: 2014-01-14 19:00:00 → 19:59:59 UTC (1389726000 → 1389729599). */
export const HOUR_START = at('2014-01-14 19:00:00');

const h = (text: string) => at(`2014-01-14 ${text}`);

/**
 * | request | bucket                 | duration | class                                         |
 * | req-1   | create base linux      | 10 s     | ok (an exists event 40 min later is ignored)  |
 * | req-2   | create base linux      | 65 s     | ok                                            |
 * | req-3   | create base linux      | 344 s    | ok                                            |
 * | req-4   | create base linux      | 1860 s   | > 30 (31 minutes)                             |
 * | req-5   | create base linux      | 3725 s   | state (started 18:00, before the window)      |
 * | req-6   | create snap windows    | 20 s     | 4xx (code 409 on a monitor.error raw)         |
 * | req-7   | create snap windows    | 30 s     | 5xx (code 500)                                |
 * | req-8   | create snap windows    | 40 s     | ok: state error, then recovered               |
 * | req-9   | create snap windows    | 50 s     | ok, on deployment west-1                      |
 * | req-10  | resize base linux      | 100 s    | http only: counted, never reported            |
 * | req-11  | aux ? ?                | 5 s      | ok (delete, no image_meta)                    |
 * | req-12  | snapshot snap ?        | 7 s      | ok (import image, freebsd)                    |
 * | req-13  | -                      |          | update at exactly 19:00:00.000000: left out   |
 * | req-14  | -                      |          | update at 19:59:59.5: left out                |
 * | req-15  | aux ? ?                | 1 s      | ok: update at exactly 19:59:59.000000 counts  |
 */
export const MAIN: Req[] = [
  {request: 'req-1', instance: 'inst-1', start: h('19:05:00'), image: BASE_LINUX, steps: [
    ...simple('create', 10), {t: 40 * 60, event: 'compute.instance.exists'}]},
  {request: 'req-2', instance: 'inst-2', start: h('19:06:00'), image: BASE_LINUX, steps: simple('create', 65)},
  {request: 'req-3', instance: 'inst-3', start: h('19:07:00'), image: BASE_LINUX, steps: simple('create', 344)},
  {request: 'req-4', instance: 'inst-4', start: h('19:20:00'), image: BASE_LINUX, steps: simple('create', 1860)},
  {request: 'req-5', instance: 'inst-5', start: h('18:00:00'), image: BASE_LINUX, steps: [
    {t: 0, event: 'compute.instance.create.start'},
    {t: 3660, event: 'compute.instance.update', oldState: 'building', state: 'error'},
    {t: 3725, event: 'compute.instance.create.end'},
  ]},
  {request: 'req-6', instance: 'inst-6', start: h('19:10:00'), image: SNAP_WINDOWS, steps: [
    {t: 0, event: 'compute.instance.create.start'},
    {t: 1, event: 'compute.instance.update', oldState: 'building', state: 'building'},
    {t: 15, event: 'compute.instance.create.error', error: true,
      exception: {kwargs: {code: 409, uuid: 'inst-6'}, message: 'Conflict'}},
    {t: 20, event: 'compute.instance.update', oldState: 'building', state: 'error'},
  ]},
  {request: 'req-7', instance: 'inst-7', start: h('19:11:00'), image: SNAP_WINDOWS, steps: [
    {t: 0, event: 'compute.instance.create.start'},
    {t: 1, event: 'compute.instance.update', oldState: 'building', state: 'building'},
    {t: 30, event: 'compute.instance.create.error', error: true, exception: {kwargs: {code: 500}}},
  ]},
  {request: 'req-8', instance: 'inst-8', start: h('19:12:00'), image: SNAP_WINDOWS, steps: [
    {t: 0, event: 'compute.instance.create.start'},
    {t: 1, event: 'compute.instance.update', oldState: 'building', state: 'error'},
    {t: 30, event: 'compute.instance.update', oldState: 'error', state: 'active'},
    {t: 40, event: 'compute.instance.create.end'},
  ]},
  {request: 'req-9', instance: 'inst-9', start: h('19:13:00'), image: SNAP_WINDOWS, deployment: 'west-1',
    steps: simple('create', 50)},
  {request: 'req-10', instance: 'inst-10', start: h('19:30:00'), image: BASE_LINUX, steps: [
    {t: 0, event: 'compute.instance.resize.prep.start'},
    {t: 1, event: 'compute.instance.update', oldState: 'active', state: 'active'},
    {t: 50, event: 'compute.instance.resize.error', error: true},
    {t: 100, event: 'compute.instance.finish_resize.end'},
  ]},
  {request: 'req-11', instance: 'inst-11', start: h('19:40:00'), steps: simple('delete', 5)},
  {request: 'req-12', instance: 'inst-12', start: h('19:41:00'), image: IMPORT_FREEBSD, steps: simple('snapshot', 7)},
  {request: 'req-13', instance: 'inst-13', start: h('18:59:50'), image: BASE_LINUX, steps: [
    {t: 0, event: 'compute.instance.create.start'},
    {t: 10, event: 'compute.instance.update'},
  ]},
  {request: 'req-14', instance: 'inst-14', start: h('19:59:59.2'), image: BASE_LINUX, steps: [
    {t: 0, event: 'compute.instance.create.start'},
    {t: 0.3, event: 'compute.instance.update'},
  ]},
  {request: 'req-15', instance: 'inst-15', start: h('19:59:58'), steps: [
    {t: 0, event: 'compute.instance.reboot.start'},
    {t: 1, event: 'compute.instance.update'},
  ]},
];
