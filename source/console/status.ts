// The status line's text: the tail's state on the watch pane, the view's load state elsewhere,
// the filter and highlight, and the last message. Parts are toned; one that repeats an earlier
// part's words is dropped (#7).
import type {StatusPart} from './components/Chrome.js';
import {countData, type Body} from './frame.js';
import {keyFor} from './keymap.js';
import type {AppState} from './state.js';
import type {WatchTail} from './tail.js';
import {sparkline, truncate} from './text.js';
import type {View} from './views.js';
import {viewStatus} from './views/registry.js';

const statusTtlMs = 6000;

export function buildStatus(state: AppState, top: View, tail: WatchTail, body: Body, now: number, stuckMs: number): StatusPart[] {
  const parts: StatusPart[] = [{text: ' '}];
  const msg = state.status && now - state.status.at < statusTtlMs ? state.status : undefined;
  const msgTone = msg?.tone === 'error' ? ('error' as const) : msg?.tone === 'ok' ? ('ok' as const) : ('accent' as const);
  if (top.kind === 'watch') {
    const s = tail.status;
    let stalled = '';
    if (s.kind === 'live') parts.push({text: '● live', tone: 'ok'});
    else if (s.kind === 'connecting') parts.push({text: '… connecting', tone: 'warn'});
    else {
      const secs = Math.max(0, Math.ceil((s.retryAt - now) / 1000));
      // No answers, no rate: a decaying figure would pretend events still arrive (#9). The
      // stall comes first so it survives a cut; `?` shows the whole line.
      const last = tail.lastAnswerAt;
      stalled = last === undefined ? 'no answer yet' : `stalled ${Math.max(0, Math.round((now - last) / 1000))}s`;
      parts.push({text: `✖ ${stalled} · ${s.message} · retry in ${secs}s (#${s.attempt})`, tone: 'error'});
    }
    if (state.watch.pausedAt !== undefined) {
      parts.push({text: ` · ❚❚ PAUSED ${Math.max(0, tail.buffer.lastSeq - state.watch.pausedAt)} new`, tone: 'warn'});
    }
    if (top.filter) parts.push({text: ` · filter "${top.filter}" ${body.hidden} hidden`, tone: 'accent'});
    if (top.highlight) parts.push({text: ` · highlight "${top.highlight}"`, tone: 'accent'});
    if (msg) parts.push({text: ` · ${msg.text}`, tone: msgTone});
    const dep = tail.deployment.toLowerCase() === 'all' ? 'all' : tail.deployment;
    parts.push({text: ` · ${stalled ? '' : `${formatRate(tail.rate())} ev/s · `}${dep} · ${tail.service}${tail.eventName ? ` · ${tail.eventName}` : ''} · ${plural(body.rows.length, 'row')}`});
    return dedupe(parts);
  }
  // A fresh error from an action comes first in the other views: it is what the user just did.
  if (msg?.tone === 'error') parts.push({text: `✖ ${msg.text}`, tone: 'error'});
  if (top.kind === 'inflight') parts.push({text: ` · ${countData(body.rows)} in flight · yellow after ${Math.round(stuckMs / 1000)}s · from the last ${plural(tail.buffer.size, 'tail row')}`});
  if (top.load.state === 'loading') parts.push({text: ' · … loading', tone: 'warn'});
  else if (top.load.state === 'error') {
    parts.push({text: ` · ✖ ${top.load.problem.message}`, tone: 'error'});
    if (top.load.problem.kind === 'unreachable') parts.push({text: ` · retrying (${keyFor('refresh')} now)`});
  } else if (top.load.state === 'ok') {
    parts.push({text: ` · ${plural(countData(body.rows), top.kind === 'show' ? 'line' : 'row')}`});
    const own = viewStatus(top);
    if (own) parts.push({text: ` · ${own}`});
  }
  if (top.filter) parts.push({text: ` · filter "${top.filter}" ${body.hidden} hidden`, tone: 'accent'});
  if (top.highlight) parts.push({text: ` · highlight "${top.highlight}"`, tone: 'accent'});
  // The tail keeps polling behind every pane, so a lost server shows here too (once, #7).
  if (tail.status.kind === 'unreachable' && !(top.load.state === 'error' && top.load.problem.kind === 'unreachable')) {
    parts.push({text: ` · ✖ ${tail.status.message}`, tone: 'error'});
  }
  if (msg && msg.tone !== 'error') parts.push({text: ` · ${msg.text}`, tone: msgTone});
  return tidy(dedupe(parts));
}

/** The first part of a non-watch status line starts without its ` · ` joiner. */
function tidy(parts: StatusPart[]): StatusPart[] {
  const i = parts.findIndex((p) => p.text.trim() !== '');
  if (i >= 0) parts[i] = {...parts[i]!, text: parts[i]!.text.replace(/^ · /, '')};
  return parts;
}

/** Drops a part whose words an earlier part already says (the same error from two places, #7). */
function dedupe(parts: StatusPart[]): StatusPart[] {
  const said: string[] = [];
  const core = (t: string) => t.replace(/^[\s·✖]+/, '').trim();
  return parts.filter((p) => {
    const c = core(p.text);
    if (c.length > 3 && said.some((s) => s.includes(c))) return false;
    said.push(c);
    return true;
  });
}

const peak = (v: number[]) => formatRate(Math.max(0, ...v));

/** Events/s and errors/s as sparklines of `bars` bars over the last five minutes, each with its peak. */
function totals(tail: WatchTail, bars: number): string {
  const per = Math.max(1, Math.ceil(300 / bars));
  const ev = tail.rates(bars, per);
  const err = tail.rates(bars, per, true);
  return `ev/s ${sparkline(ev)} ${peak(ev)}  err/s ${sparkline(err)} ${peak(err)}`;
}

/** Bars of each deployment's sparkline under `:watch all`. */
const depBars = 10;

/** One deployment's events/s sparkline, its name cut as the Deployment column cuts it (20). */
function deploymentRate(tail: WatchTail, dep: string): string {
  const ev = tail.rates(depBars, Math.ceil(300 / depBars), false, dep);
  return `${truncate(dep, 20)} ${sparkline(ev)} ${peak(ev)}`;
}

/**
 * The watch header's rates in `room` characters: events/s and errors/s as sparklines over the
 * last five minutes, each with its peak. Under `:watch all`, one events/s sparkline per
 * deployment follows (busiest first) as room allows, the totals then drawn at their narrowest.
 */
export function rateLines(tail: WatchTail, room: number): string {
  const wide = totals(tail, Math.max(4, Math.min(30, Math.floor((room - 24) / 2))));
  const all = tail.deployment.trim() === '' || tail.deployment.trim().toLowerCase() === 'all';
  if (!all) return wide;
  const deps = tail.deploymentsSeen();
  if (deps.length < 2) return wide;
  let line = totals(tail, 8);
  let shown = 0;
  for (const dep of deps) {
    const next = `${line} │ ${deploymentRate(tail, dep)}`;
    if (next.length > room) break;
    line = next;
    shown++;
  }
  return shown === 0 ? wide : line;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatRate(r: number): string {
  if (r >= 100) return String(Math.round(r));
  return r.toFixed(1);
}
