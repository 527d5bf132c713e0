// Typed HTTP client for the stacky API, shared by the console and the print commands.
import type {Agent as HttpAgent} from 'node:http';
import type {Agent as HttpsAgent} from 'node:https';
import {StackyHttpError, StackyUnreachableError, errorTableMessage, htmlErrorMessage} from './errors.js';
import {defaultCredentials, type Credentials} from './credentials.js';
import {agentFor, getText, TransportError} from './transport.js';
import type {IngestReply, Paging, ShowReply, StackyService, Table, TimeRange, WatchReply} from './types.js';
import type {Readable} from 'node:stream';
import {upload} from './upload.js';

export interface ClientOptions {
  /** Base URL like http://127.0.0.1:8000 (a trailing slash is tolerated). */
  url: string;
  timeoutMs?: number;
  /** Called with every 200 reply's raw text before it is parsed (print --json echoes it verbatim). */
  onReply?: (reply: RawReply) => void;
  /** Aborting it cancels every request in flight (watch stops on Ctrl-C this way). */
  signal?: AbortSignal;
  /** Bearer token and CA; defaults to what commands/ set with setDefaultCredentials. */
  credentials?: Credentials;
}

export interface RawReply {
  path: string;
  status: number;
  /** The body exactly as the server sent it ('' for an empty body). */
  text: string;
}

type Params = Record<string, string | number | undefined>;

function paging(p: Paging = {}): Params {
  return {limit: p.limit, offset: p.offset};
}

function range(r: TimeRange = {}): Params {
  return {when_min: r.whenMin, when_max: r.whenMax};
}

export class StackyClient {
  readonly baseUrl: string;
  private readonly onReply: ((reply: RawReply) => void) | undefined;
  private readonly credentials: Credentials;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(options: ClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.onReply = options.onReply;
    this.credentials = options.credentials ?? defaultCredentials();
    this.agent = agentFor(this.baseUrl, this.credentials);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.signal = options.signal;
  }

  /** GET a stacky path; returns the parsed JSON, or null for an empty body. */
  async get(path: string, params: Params = {}): Promise<unknown> {
    let url: URL;
    try {
      url = new URL(this.baseUrl + path);
    } catch {
      throw new StackyUnreachableError(this.baseUrl, 'not a URL');
    }
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    let res;
    try {
      res = await getText(url, {agent: this.agent, token: this.credentials.token, timeoutMs: this.timeoutMs, signal: this.signal});
    } catch (error) {
      throw new StackyUnreachableError(this.baseUrl, error instanceof TransportError ? error.code : String(error));
    }
    const text = res.text;
    let body: unknown = null;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (res.status !== 200) {
      const message = errorTableMessage(body) ?? htmlErrorMessage(text) ?? `HTTP ${res.status} from ${path}`;
      throw new StackyHttpError(res.status, message, body);
    }
    this.onReply?.({path, status: res.status, text});
    return body;
  }

  deployments(): Promise<Table> {
    return this.get('/stacky/deployments/') as Promise<Table>;
  }

  events(service: StackyService | 'all' = 'all'): Promise<Table> {
    return this.get('/stacky/events/', {service}) as Promise<Table>;
  }

  hosts(service: StackyService = 'nova'): Promise<Table> {
    return this.get('/stacky/hosts/', {service}) as Promise<Table>;
  }

  uuid(uuid: string, opts: {service?: StackyService} & Paging & TimeRange = {}): Promise<Table> {
    return this.get('/stacky/uuid/', {uuid, service: opts.service ?? 'nova', ...paging(opts), ...range(opts)}) as Promise<Table>;
  }

  timingsForUuid(uuid: string, opts: Paging = {}): Promise<Table> {
    return this.get('/stacky/timings/uuid/', {uuid, ...paging(opts)}) as Promise<Table>;
  }

  timings(name: string, opts: {endWhenMin?: string; endWhenMax?: string} & Paging = {}): Promise<Table> {
    return this.get('/stacky/timings/', {
      name, end_when_min: opts.endWhenMin, end_when_max: opts.endWhenMax, ...paging(opts),
    }) as Promise<Table>;
  }

  summary(opts: Paging = {}): Promise<Table> {
    return this.get('/stacky/summary/', paging(opts)) as Promise<Table>;
  }

  request(requestId: string, opts: Paging & TimeRange = {}): Promise<Table> {
    return this.get('/stacky/request/', {request_id: requestId, ...paging(opts), ...range(opts)}) as Promise<Table>;
  }

  /** null when the event does not exist (the server answers an empty 200). */
  show(id: number | string, service: StackyService = 'nova'): Promise<ShowReply | null> {
    return this.get(`/stacky/show/${id}/`, {service}) as Promise<ShowReply | null>;
  }

  /**
   * deployment 0 means all deployments. Always gapless (docs/api.md §2.10): rows committed late
   * with an earlier time come in the next reply instead of never.
   */
  watch(deployment: number, opts: {service?: StackyService; eventName?: string; since?: string; extra?: boolean} = {}): Promise<WatchReply> {
    return this.get(`/stacky/watch/${deployment}/`, {
      service: opts.service ?? 'nova', event_name: opts.eventName, since: opts.since, extra: opts.extra ? '1' : undefined,
      gapless: '1',
    }) as Promise<WatchReply>;
  }

  search(field: string, value: string, opts: {service?: StackyService} & Paging & TimeRange = {}): Promise<Table> {
    return this.get('/stacky/search/', {field, value, service: opts.service ?? 'nova', ...paging(opts), ...range(opts)}) as Promise<Table>;
  }

  kpi(tenant?: string): Promise<Table> {
    return this.get(tenant ? `/stacky/kpi/${encodeURIComponent(tenant)}/` : '/stacky/kpi/') as Promise<Table>;
  }

  /** createdFrom/createdTo are decimal epoch seconds; the server defaults to the last 24 h. */
  reports(opts: {createdFrom?: string; createdTo?: string} & Paging = {}): Promise<Table> {
    return this.get('/stacky/reports/', {created_from: opts.createdFrom, created_to: opts.createdTo, ...paging(opts)}) as Promise<Table>;
  }

  reportsSearch(filters: Record<string, string>, opts: Paging = {}): Promise<Table> {
    return this.get('/stacky/reports/search/', {...filters, ...paging(opts)}) as Promise<Table>;
  }

  /** The stored report JSON, verbatim (a list with a metadata object first, for summary reports). */
  report(id: number | string): Promise<unknown> {
    return this.get(`/stacky/report/${id}/`);
  }

  usage(kind: 'launches' | 'deletes' | 'exists', opts: {instance?: string} & Paging = {}): Promise<Table> {
    return this.get(`/stacky/usage/${kind}/`, {instance: opts.instance, ...paging(opts)}) as Promise<Table>;
  }

  /**
   * POST /ingest/: JSON Lines from `body`, streamed (upload.ts). Resolves with the reply; an error
   * table rejects with a StackyIngestError carrying the counts committed before the failure.
   * On an early answer the rest of `body` is not read and the stream is destroyed.
   */
  ingest(body: Readable, opts: {deployment: string; exchange: string}): Promise<IngestReply> {
    return upload(body, {baseUrl: this.baseUrl, credentials: this.credentials, ...opts});
  }
}
