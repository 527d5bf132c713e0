// A fake ConsoleSource: canned tables, a scripted watch stream, and a switch to play dead.
import {StackyHttpError, StackyUnreachableError} from '../../source/client/errors.js';
import type {ShowReply, Table, WatchReply} from '../../source/client/types.js';
import type {ConsoleSource} from '../../source/console/data-source.js';

export const U1 = '2222bbbb-6352-4dbc-8271-96cc54bf14cd';
export const U2 = '3333cccc-41d3-4b86-9467-e584edc61dab';
export const REQ = 'req-8888bbbb-9e47-4b27-a95e-27996cc40c06';

const novaHeader = ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'State', "State'", "Task'"];

/** Seven cells, and host, tenant and request id as a server answering `extra=1` sends them. */
export type WatchRowTuple = [number, string, string, string, string, string, string, string?, string?, string?];

export function watchRow(id: number, event: string, opts: {error?: boolean; uuid?: string; dep?: string; time?: string; extra?: [string, string, string]} = {}): WatchRowTuple {
  return [id, opts.error ? 'E' : ' ', '2026-05-01', opts.time ?? `10:00:${String(id % 60).padStart(2, '0')}.123456`, opts.dep ?? 'dep1', event, opts.uuid ?? U1, ...(opts.extra ?? [])];
}

export class FakeSource implements ConsoleSource {
  readonly baseUrl = 'http://fake:8000';
  calls: {method: string; args: unknown[]}[] = [];
  /** Batches returned by successive watch calls; when empty, watch returns no rows. */
  watchBatches: WatchRowTuple[][] = [];
  down = false;
  nowCounter = 1000;
  deploymentsTable: Table = [['#', 'Name'], [1, 'dep1'], [2, 'dep2']];
  reportData: Record<number, unknown> = {};
  showData: Record<number, ShowReply> = {};

  private record(method: string, ...args: unknown[]) {
    this.calls.push({method, args});
    if (this.down) throw new StackyUnreachableError(this.baseUrl, 'ECONNREFUSED');
  }

  callsTo(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  async deployments(): Promise<Table> {
    this.record('deployments');
    return this.deploymentsTable;
  }
  async events(): Promise<Table> {
    this.record('events');
    return [['Event Name'], ['compute.instance.create.end'], ['compute.instance.create.start']];
  }
  async hosts(): Promise<Table> {
    this.record('hosts');
    return [['Host Name'], ['compute-1'], ['compute-2']];
  }
  async uuid(uuid: string, opts: {service?: string} = {}): Promise<Table> {
    this.record('uuid', uuid, opts);
    if (!/^[0-9a-f-]{32,36}$/.test(uuid)) throw new StackyHttpError(400, `Bad Request: ${uuid} is not uuid-like`, null);
    return [
      novaHeader,
      [11, ' ', '2026-05-01 10:00:01.5', 'dep1', 'compute.instance.create.start', 'compute-1', 'building', '', ''],
      [12, 'E', '2026-05-01 10:00:02', 'dep1', 'compute.instance.create.error', 'compute-1', 'error', 'building', 'spawning'],
      [13, ' ', '2026-05-01 10:00:09', 'dep1', 'compute.instance.create.end', 'compute-1', 'active', 'building', ''],
    ];
  }
  async timingsForUuid(uuid: string): Promise<Table> {
    this.record('timingsForUuid', uuid);
    return [
      ['?', 'Event', 'Time (secs)'],
      ['.', 'compute.instance.create', '0d 00:00:08.00'],
      ['.', 'compute.instance.resize', '0d 00:00:02.00'],
      ['S', 'compute.instance.snapshot', 'n/a'],
      ['E', 'compute.instance.delete', 'n/a'],
    ];
  }
  async request(id: string): Promise<Table> {
    this.record('request', id);
    return [novaHeader, [21, ' ', '2026-05-01 10:01:00', 'dep1', 'compute.instance.resize.start', 'compute-2', 'active', '', 'resize_prep']];
  }
  async show(id: number | string): Promise<ShowReply | null> {
    this.record('show', id);
    const n = Number(id);
    if (this.showData[n]) return this.showData[n]!;
    if (n === 404) return null;
    return [
      [
        ['Key', 'Value'], ['#', n], ['When', '2026-05-01 10:00:01.5'], ['Deployment', 'dep1'], ['Category', 'monitor.info'],
        ['Publisher', 'compute.compute-1'], ['State', 'active'], ['Event', 'compute.instance.create.end'], ['Service', 'compute'],
        ['Host', 'compute-1'], ['UUID', U1], ['Req ID', REQ],
      ],
      JSON.stringify(['monitor.info', {event_type: 'compute.instance.create.end', payload: {instance_id: U1, state: 'active', needle: 'haystack'}}]),
      U1,
    ];
  }
  async watch(deployment: number, opts: {service?: string; eventName?: string; since?: string} = {}): Promise<WatchReply> {
    this.record('watch', deployment, opts);
    const rows = this.watchBatches.shift() ?? [];
    this.nowCounter += 2;
    return [[10, 1, 15, 20, 30, 36], rows, String(this.nowCounter)];
  }
  async search(field: string, value: string, opts: {offset?: number; limit?: number} = {}): Promise<Table> {
    this.record('search', field, value, opts);
    if (field === 'bogus') throw new StackyHttpError(400, `Bad Request: The requested field 'bogus' does not exist for the corresponding object.`, null);
    const offset = opts.offset ?? 0;
    const total = 120;
    const rows = [];
    for (let i = offset; i < Math.min(total, offset + (opts.limit ?? 50)); i++) {
      rows.push([1000 + i, i % 7 === 0 ? 'E' : ' ', '2026-05-01 10:00:00', 'dep1', `compute.instance.update`, 'compute-1', 'active', '', `hit-${i}`]);
    }
    return rows.length ? [novaHeader, ...rows] : [];
  }
  async reports(): Promise<Table> {
    this.record('reports');
    return [['Id', 'Start', 'End', 'Created', 'Name', 'Version'], [7, 1777593600, 1777597200, 1777597300.5, 'summary for region: all', 4]];
  }
  async report(id: number | string): Promise<unknown> {
    this.record('report', id);
    const n = Number(id);
    if (this.reportData[n] !== undefined) return this.reportData[n];
    if (n !== 7) throw new StackyHttpError(404, `HTTP 404 from /stacky/report/${n}/`, null);
    return [
      {percentile: 97, hours: 1, start: 1777593600, end: 1777597199, region: null, cells: ['dep1'], total: 30, failure_grand_total: 2, failure_grand_rate: 6.7},
      ['Operation', 'Image', 'OS Type', 'Min', 'Max', 'Med', '97%', 'Requests', '4xx', '% 4xx', '5xx', '% 5xx', '> 30', '% > 30', 'state', '% state'],
      ['aaa-create', 'base', 'linux', '5s', '9s', '7s', '9s', 20, 0, 0, 2, 0.1, 0, 0, 0, 0],
      ['zzz-resize', 'snap', 'windows', '1:05s', '2:00s', '1:30s', '2:00s', 10, 0, 0, 0, 0, 0, 0, 0, 0],
    ];
  }
  async summary(): Promise<Table> {
    this.record('summary');
    return [['Event', 'N', 'Min', 'Max', 'Avg'], ['compute.instance.create', 50, '0d 00:00:52.88', '0d 01:41:14.27', '0d 00:08:26']];
  }
  async kpi(tenant?: string): Promise<Table> {
    this.record('kpi', tenant);
    return [['Event', 'Time', 'UUID', 'Deployment'], ['compute.instance.create', '0d 00:00:10.00', U2, 'dep1']];
  }
}
