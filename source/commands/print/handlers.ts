// One handler per print command. Positional arguments mean what they meant in the original
// stacky.py; flags add the API's paging, time ranges and service.
import type {StackyService} from '../../client/types.js';
import {isService} from '../settings.js';
import {UsageError} from '../args.js';
import {parseTime} from './args.js';
import type {Handler, PrintContext} from './context.js';
import {renderCsv} from './csv.js';
import {emitKeyValues, emitTable, flushJson} from './output.js';
import {formatMonthDayTime, formatUtc, formatWeekdayDate, utcMidnight} from './time.js';
import {watch} from './watch.js';

function positionals(ctx: PrintContext, min: number, max: number, names: string): string[] {
  const p = ctx.args.positionals;
  if (p.length < min) throw new UsageError(`missing ${names.split(' ').slice(p.length, min).join(' ')}`);
  if (p.length > max) {
    throw new UsageError(max === 0 ? `unexpected argument '${p[0]}'` : `too many arguments (expected ${names})`);
  }
  return p;
}

function paging(ctx: PrintContext): {limit?: number; offset?: number} {
  const {limit, offset} = ctx.args;
  return {...(limit !== undefined ? {limit} : {}), ...(offset !== undefined ? {offset} : {})};
}

function range(ctx: PrintContext): {whenMin?: string; whenMax?: string} {
  const {whenMin, whenMax} = ctx.args;
  return {...(whenMin !== undefined ? {whenMin} : {}), ...(whenMax !== undefined ? {whenMax} : {})};
}

/** The service: --service, else the configured one (default nova). */
function service(ctx: PrintContext): StackyService {
  return (ctx.args.service as StackyService | undefined) ?? ctx.settings.service;
}

function digits(ctx: PrintContext, what: string, text: string): string {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a number (got '${text}')`);
  return text;
}

/** Between two --csv sections of one command. */
function csvBreak(ctx: PrintContext): void {
  if (ctx.out.mode === 'csv') ctx.out.write('\n');
}

const deployments: Handler = async (ctx) => {
  positionals(ctx, 0, 0, '');
  emitTable(ctx.out, await ctx.client.deployments());
  return 0;
};

const events: Handler = async (ctx) => {
  positionals(ctx, 0, 0, '');
  emitTable(ctx.out, await ctx.client.events((ctx.args.service as StackyService | 'all' | undefined) ?? 'all'));
  return 0;
};

const hosts: Handler = async (ctx) => {
  positionals(ctx, 0, 0, '');
  emitTable(ctx.out, await ctx.client.hosts(service(ctx)));
  return 0;
};

const uuid: Handler = async (ctx) => {
  const [id] = positionals(ctx, 1, 1, '<uuid>') as [string];
  const related = await ctx.client.uuid(id, {service: service(ctx), ...paging(ctx), ...range(ctx)});
  const timings = await ctx.client.timingsForUuid(id);
  if (ctx.out.mode === 'json') return flushJson(ctx.out, ['events', 'timings']), 0;
  if (ctx.out.mode === 'table') ctx.out.write(`Events related to ${id}\n`);
  emitTable(ctx.out, related);
  if (related.length > 0) csvBreak(ctx);
  emitTable(ctx.out, timings);
  return 0;
};

const timings: Handler = async (ctx) => {
  const [name, from, to] = positionals(ctx, 1, 3, '<event> [from] [to]') as [string, string?, string?];
  if (from !== undefined && ctx.args.whenMin !== undefined) throw new UsageError('give the start either as an argument or as --when-min');
  if (to !== undefined && ctx.args.whenMax !== undefined) throw new UsageError('give the end either as an argument or as --when-max');
  const endWhenMin = from !== undefined ? parseTime('from', from) : ctx.args.whenMin;
  const endWhenMax = to !== undefined ? parseTime('to', to) : ctx.args.whenMax;
  emitTable(ctx.out, await ctx.client.timings(name, {
    ...(endWhenMin !== undefined ? {endWhenMin} : {}), ...(endWhenMax !== undefined ? {endWhenMax} : {}), ...paging(ctx),
  }));
  return 0;
};

const summary: Handler = async (ctx) => {
  positionals(ctx, 0, 0, '');
  emitTable(ctx.out, await ctx.client.summary(paging(ctx)));
  return 0;
};

const request: Handler = async (ctx) => {
  const [id] = positionals(ctx, 1, 1, '<request-id>') as [string];
  emitTable(ctx.out, await ctx.client.request(id, {...paging(ctx), ...range(ctx)}));
  return 0;
};

const search: Handler = async (ctx) => {
  let p = ctx.args.positionals;
  let svc = ctx.args.service as StackyService | undefined;
  if (p[0] !== undefined && isService(p[0])) {
    if (svc !== undefined && svc !== p[0]) throw new UsageError(`the service is given twice ('${p[0]}' and --service ${svc})`);
    svc = p[0];
    p = p.slice(1);
  } else if (svc === undefined) {
    throw new UsageError(p.length === 0 ? 'missing <service> <field> <value>' : `<service> must be nova, glance or generic (got '${p[0]}')`);
  }
  if (p.length < 2) throw new UsageError(`missing ${['<field>', '<value>'].slice(p.length).join(' ')}`);
  if (p.length > 3) throw new UsageError('too many arguments (expected <service> <field> <value> [limit])');
  const [field, value, limitText] = p as [string, string, string?];
  let limit = ctx.args.limit;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText)) throw new UsageError(`limit must be a whole number (got '${limitText}')`);
    if (limit !== undefined && limit !== Number(limitText)) throw new UsageError('the limit is given twice');
    limit = Number(limitText);
  }
  const table = await ctx.client.search(field, value, {
    service: svc, ...paging(ctx), ...(limit !== undefined ? {limit} : {}), ...range(ctx),
  });
  emitTable(ctx.out, table, {emptyMessage: `Event with ${field} ${value} not found`});
  return 0;
};

/** `show --json`: the show reply, and the uuid reply of its related events (null when there are none). */
const showKeys = ['event', 'related'];

const show: Handler = async (ctx) => {
  const p = positionals(ctx, 1, 2, '[service] <event-id>');
  let svc = service(ctx);
  if (p.length === 2) {
    if (!isService(p[0])) throw new UsageError(`service must be nova, glance or generic (got '${p[0]}')`);
    if (ctx.args.service !== undefined && ctx.args.service !== p[0]) throw new UsageError(`the service is given twice ('${p[0]}' and --service ${ctx.args.service})`);
    svc = p[0];
  }
  const id = digits(ctx, 'event-id', p[p.length - 1]!);
  const reply = await ctx.client.show(id, svc);
  if (reply === null || reply === undefined || (typeof reply === 'string' && reply === '')) {
    ctx.out.raw.length = 0;
    ctx.out.error(`stacky show: event ${id} not found in ${svc} (Server reported: ObjectDoesNotExist)\n`);
    return 1;
  }
  if (!Array.isArray(reply)) {
    if (ctx.out.mode === 'json') flushJson(ctx.out, showKeys);
    else ctx.out.write(`${JSON.stringify(reply, null, 2)}\n`);
    return 0;
  }
  const [kv, json, related] = reply;
  const relatedTable = related ? await ctx.client.uuid(related, {service: svc}) : undefined;
  if (ctx.out.mode === 'json') return flushJson(ctx.out, showKeys), 0;
  if (ctx.out.mode === 'csv') {
    ctx.out.write(renderCsv(kv));
  } else {
    const [head, ...rows] = kv;
    emitTable(ctx.out, [head ?? ['Key', 'Value'], ...rows]);
    ctx.out.write(`${prettyJson(json)}\n`);
  }
  if (relatedTable && relatedTable.length > 0) {
    csvBreak(ctx);
    emitTable(ctx.out, relatedTable);
  }
  return 0;
};

/** The show reply's JSON text, re-indented by 2 like the original; as is when it is not JSON. */
function prettyJson(text: unknown): string {
  if (typeof text !== 'string') return JSON.stringify(text, null, 2);
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const kpi: Handler = async (ctx) => {
  const [tenant] = positionals(ctx, 0, 1, '[tenant]');
  const table = await ctx.client.kpi(tenant);
  if (tenant !== undefined && ctx.out.mode === 'table') ctx.out.write(`Filtering by Tenant ID: ${tenant}\n`);
  emitTable(ctx.out, table);
  return 0;
};

const dateOnly = /^\d{4}-\d{1,2}-\d{1,2}$/;
const timeOnly = /^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** `reports` arguments: "YYYY-MM-DD HH:MM" as two words (like the original) or one. */
export function reportRange(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    if (dateOnly.test(word) && next !== undefined && timeOnly.test(next)) {
      out.push(`${word} ${next}`);
      i++;
    } else {
      out.push(word);
    }
  }
  return out;
}

const reports: Handler = async (ctx) => {
  const points = reportRange(ctx.args.positionals);
  if (points.length > 2) throw new UsageError('too many arguments (expected [YYYY-MM-DD HH:MM [YYYY-MM-DD HH:MM]])');
  if (points[0] !== undefined && ctx.args.whenMin !== undefined) throw new UsageError('give the start either as an argument or as --when-min');
  if (points[1] !== undefined && ctx.args.whenMax !== undefined) throw new UsageError('give the end either as an argument or as --when-max');
  const midnight = utcMidnight();
  const from = points[0] !== undefined ? parseTime('start', points[0]) : ctx.args.whenMin ?? String(midnight);
  const to = points[1] !== undefined ? parseTime('end', points[1]) : ctx.args.whenMax ?? String(midnight + 23 * 3600 + 59 * 60);
  const table = await ctx.client.reports({createdFrom: from, createdTo: to, ...paging(ctx)});
  if (ctx.out.mode === 'table') ctx.out.write(`Querying for reports created from ${formatUtc(Math.floor(Number(from)))} to ${formatUtc(Math.floor(Number(to)))}\n`);
  emitTable(ctx.out, table, {
    display: (row) => row.map((cell, i) => (i === 1 || i === 2 ? formatMonthDayTime(cell) : i === 3 ? formatWeekdayDate(cell) : cell)),
  });
  return 0;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const report: Handler = async (ctx) => {
  const [idText] = positionals(ctx, 1, 1, '<report-id>') as [string];
  const id = digits(ctx, 'report-id', idText);
  const body = await ctx.client.report(id);
  const out = ctx.out;
  if (out.mode === 'json') return flushJson(out), 0;
  const tabular = Array.isArray(body) && isPlainObject(body[0]);
  if (out.mode === 'csv') {
    if (isPlainObject(body)) {
      out.write(renderCsv([['Key', 'Value'], ...Object.entries(body)]));
      return 0;
    }
    const rows = tabular ? (body as unknown[]).slice(1).filter(Array.isArray) : [];
    if (rows.length === 0) {
      out.error(`stacky report: report ${id} has no table to print as CSV; use --json\n`);
      return 1;
    }
    out.write(renderCsv(rows as unknown[][]));
    return 0;
  }
  if (!tabular) {
    out.write(`${typeof body === 'string' ? body : JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  const [meta, ...rest] = body as [Record<string, unknown>, ...unknown[]];
  if (meta.report_format === 'json') {
    out.write(`${JSON.stringify(rest, null, 4)}\n`);
  } else if (meta.raw_text) {
    for (const line of rest) out.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
  } else {
    out.write('Report Metadata\n');
    emitKeyValues(out, Object.entries(meta));
    out.write('Report Details\n');
    emitTable(out, rest);
  }
  return 0;
};

const usageKinds = new Set(['launches', 'deletes', 'exists']);

const usage: Handler = async (ctx) => {
  const [kind, instance] = positionals(ctx, 1, 2, 'launches|deletes|exists [uuid]') as [string, string?];
  if (!usageKinds.has(kind)) throw new UsageError(`the first argument must be launches, deletes or exists (got '${kind}')`);
  emitTable(ctx.out, await ctx.client.usage(kind as 'launches' | 'deletes' | 'exists', {...(instance ? {instance} : {}), ...paging(ctx)}));
  return 0;
};

export const handlers: Record<string, Handler> = {
  deployments, events, hosts, uuid, timings, summary, request, search, show, watch, kpi, reports, report, usage,
};
