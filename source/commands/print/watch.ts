// `stacky watch`: poll /stacky/watch/<dep>/ until Ctrl-C, sending back the server's `now` as
// the next `since`, and print each event as the original client did: one |-separated line,
// cells centred to the server's widths, the header block repeated every 20 rows. On a narrow
// terminal the columns are left out or cut by the rules of columns.ts.
import type {StackyService, WatchReply} from '../../client/types.js';
import {isService} from '../settings.js';
import {UsageError} from '../args.js';
import {parsePoll} from './args.js';
import type {Handler, PrintContext} from './context.js';
import {csvLine} from './csv.js';
import {flushJson} from './output.js';
import {columnRule, layoutColumns, type ColumnRule, type Placed} from './columns.js';
import {center, truncate} from './table.js';
import {terminalSafe} from '../../core/terminal-text.js';

const headerEvery = 20;

export interface WatchTarget {
  deployment: string;
  service: StackyService;
  eventName: string;
  pollSeconds: number;
}

/** The positional arguments `[deployment|all] [service] [event] [poll]`, with flags and settings as fallbacks. */
export function watchTarget(ctx: Pick<PrintContext, 'args' | 'settings'>): WatchTarget {
  const [dep, svc, event, poll, ...extra] = ctx.args.positionals;
  if (extra.length > 0) throw new UsageError('too many arguments (expected [deployment|all] [service] [event] [poll-seconds])');
  if (svc !== undefined && !isService(svc)) throw new UsageError(`service must be nova, glance or generic (got '${svc}')`);
  if (svc !== undefined && ctx.args.service !== undefined && svc !== ctx.args.service) {
    throw new UsageError(`the service is given twice ('${svc}' and --service ${ctx.args.service})`);
  }
  if (poll !== undefined && ctx.args.poll !== undefined) throw new UsageError('the poll interval is given twice');
  const deployment = dep !== undefined && dep !== '' ? dep : ctx.settings.deployment;
  return {
    deployment,
    service: (svc as StackyService | undefined) ?? (ctx.args.service as StackyService | undefined) ?? ctx.settings.service,
    eventName: event ?? '',
    pollSeconds: poll !== undefined ? parsePoll(poll) : ctx.args.poll ?? ctx.settings.pollSeconds,
  };
}

/** 'all' → 0, digits → the id, anything else is looked up by name in /stacky/deployments/. */
async function deploymentId(ctx: PrintContext, deployment: string): Promise<number> {
  if (deployment.toLowerCase() === 'all') return 0;
  if (/^\d+$/.test(deployment)) return Number(deployment);
  const table = await ctx.client.deployments();
  ctx.out.raw.length = 0;
  const row = table.slice(1).find((r) => r[1] === deployment);
  if (!row) throw new UsageError(`no deployment named '${deployment}' (see stacky deployments)`);
  return Number(row[0]);
}

type WatchRow = WatchReply[1][number];

/** The displayed columns: #, ?, the time (headed by the date), Deployment, Event, UUID. */
const watchRules: ColumnRule[] = ['#', '?', 'Time', 'Deployment', 'Event', 'UUID'].map(columnRule);

/** The columns that fit in maxWidth (all of them when it is undefined), at the server's widths. */
export function watchColumns(serverWidths: readonly number[], maxWidth: number | undefined): Placed[] {
  const floors = [1, 1, 10, 10, 5, 4];
  return layoutColumns(watchRules, floors.map((floor, i) => serverWidths[i] ?? floor), floors, maxWidth, 1, 1);
}

/** The separator line drawn from the widths. */
function watchRule(columns: readonly Placed[]): string {
  return '+' + columns.map((c) => '-'.repeat(c.width)).join('+') + '+\n';
}

function cell(text: unknown, column: Placed): string {
  const s = text === null || text === undefined ? 'None' : terminalSafe(String(text), true);
  return center(column.cut ? truncate(s, column.width) : s, column.width);
}

/**
 * One |-joined line; the flag cell is printed raw, the others centred. A value longer than
 * the server's width stays whole (as in the original) unless its column may be cut. Data can
 * hold escape sequences: every cell is terminal-safe (see core/terminal-text.ts).
 */
export function watchLine(cells: readonly unknown[], columns: readonly Placed[]): string {
  return '|' + columns.map((c) => (c.index === 1 ? terminalSafe(String(cells[1] ?? ''), true) : cell(cells[c.index], c))).join('|') + '|\n';
}

/** Separator, header (with the block's date), separator. */
export function watchHeader(columns: readonly Placed[], date: string): string {
  const rule = watchRule(columns);
  return rule + watchLine(['#', '?', date, 'Deployment', 'Event', 'UUID'], columns) + rule;
}

/** A watch event as the six displayed cells: the date lives in the header, the row shows the time. */
export function watchCells(row: WatchRow): unknown[] {
  const [id, flag, , time, deployment, event, uuid] = row;
  return [id, flag, time, deployment, event, uuid];
}

const csvHeader = ['#', '?', 'Date', 'Time', 'Deployment', 'Event', 'UUID'];

export const watch: Handler = async (ctx) => {
  const target = watchTarget(ctx);
  const out = ctx.out;
  let stopped = false;
  const stop = ctx.stopped.then(() => {
    stopped = true;
  });
  const dep = await Promise.race([deploymentId(ctx, target.deployment), stop.then(() => -1)]);
  if (stopped || dep < 0) return 0;
  if (out.mode === 'table') {
    out.write(`Watching ${target.service}\n`);
    out.write(dep === 0 ? 'All Deployments\n' : `Deployment id: ${dep}\n`);
    if (target.eventName) out.write(`Event name: ${target.eventName}\n`);
    out.write(`Polling every ${target.pollSeconds} seconds\n`);
  }
  let since: string | undefined;
  let count = 0;
  while (!stopped) {
    const pending = ctx.client.watch(dep, {service: target.service, ...(target.eventName ? {eventName: target.eventName} : {}), ...(since ? {since} : {})});
    const reply = await Promise.race([pending, stop.then(() => undefined)]);
    if (stopped || reply === undefined) {
      pending.catch(() => undefined);
      break;
    }
    if (!Array.isArray(reply) || !Array.isArray(reply[0]) || !Array.isArray(reply[1])) {
      out.error(`stacky watch: unexpected reply from the server: ${JSON.stringify(reply)?.slice(0, 200)}\n`);
      return 1;
    }
    const [serverWidths, rows, now] = reply;
    if (out.mode === 'jsonl') {
      flushJson(out);
    } else {
      const columns = watchColumns(serverWidths, out.maxWidth);
      for (const row of rows) {
        if (out.mode === 'csv') {
          if (count === 0) out.write(csvLine(csvHeader));
          out.write(csvLine(row));
        } else {
          if (count % headerEvery === 0) out.write(watchHeader(columns, String(row[2])));
          out.write(watchLine(watchCells(row), columns));
        }
        count++;
      }
    }
    if (now) since = String(now);
    await sleep(target.pollSeconds * 1000, stop);
  }
  return 0;
};

/** Waits ms, or less when stop settles first (the timer is cleared so the process can exit). */
function sleep(ms: number, stop: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void stop.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
