// Component tests per view (ink-testing-library): the exact 80×24 frame of every view in its key
// states, one walk through the panes against the fake source (fake-source.ts), with a tail on a
// clock that stands still so rates are the same on every run. A changed frame is a changed
// screen: update it here only when the change is meant.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {keys, startEach} from './helpers.js';
import {FakeSource, U1, watchRow} from './fake-source.js';
import {WatchTail} from '../../source/console/tail.js';

const start = startEach();

/** Keys pressed (longer strings typed), then the frame expected once `until` shows. */
interface Step {
  name: string;
  press: string[];
  until: RegExp;
}

const steps: Step[] = [
  {name: 'watch: following the tail', press: [], until: /select_destinations/},
  {name: 'watch: paused by a move up, the footer offering resume', press: ['k'], until: /PAUSED/},
  {name: 'search: the empty form', press: ['2'], until: /a field and a value/},
  {name: 'search: a page of results', press: [keys.esc, ':', 'search tenant abc', keys.enter], until: /page 1/},
  {name: 'instance: none yet', press: ['3'], until: /No instance yet/},
  {name: 'instance: timings first, then events', press: [':', `uuid ${U1}`, keys.enter], until: /Events of/},
  {name: 'event: key/value table and JSON', press: [keys.enter], until: /JSON/},
  {name: 'request: its events', press: ['r'], until: /resize\.start/},
  {name: 'reports: the list', press: ['5'], until: /summary for region/},
  {name: 'report: metadata and the sorted table', press: [keys.enter], until: /sorted by/},
  {name: 'summary', press: ['6'], until: /0d 00:08:26/},
  {name: 'kpi', press: ['v'], until: /0d 00:00:10\.00/},
  {name: 'deployments', press: ['v'], until: /dep2/},
  {name: 'events', press: ['v'], until: /create\.end/},
  {name: 'hosts', press: ['v'], until: /compute-2/},
  {name: 'in flight: nothing open (the create ended in an error)', press: ['7'], until: /in flight ·/},
  {name: 'help: the status line, then this view\'s keys first', press: ['?'], until: /Status:/},
];

const frames: Record<string, string> = {
  "watch: following the tail":
    `
 stacky  1 watch  2  3  4  5  6  7
 watch    ev/s ▁▁▁▁▁▁▁▁▁▁▁▁▁▁█ 0.1  err/s ▁▁▁▁▁▁▁▁▁▁▁▁▁▁█ 0.1  http://fake:8000
? Time UTC     Deployment      Event                               UUID
  10:00:01.123 dep1            compute.instance.create.start       2222bbbb-635…
E 10:00:02.123 dep1            compute.instance.create.error       2222bbbb-635…
  10:00:03.123 dep1            scheduler.select_destinations.end   -















 ● live · 0.0 ev/s · all · nova · 3 rows
 Enter open  / filter  : command  ? help  q back/quit  Space pause  d raw`.slice(1),
  "watch: paused by a move up, the footer offering resume":
    `
 stacky  1 watch  2  3  4  5  6  7
 watch    ev/s ▁▁▁▁▁▁▁▁▁▁▁▁▁▁█ 0.1  err/s ▁▁▁▁▁▁▁▁▁▁▁▁▁▁█ 0.1  http://fake:8000
? Time UTC     Deployment      Event                               UUID
  10:00:01.123 dep1            compute.instance.create.start       2222bbbb-635…
E 10:00:02.123 dep1            compute.instance.create.error       2222bbbb-635…
  10:00:03.123 dep1            scheduler.select_destinations.end   -















 ● live · ❚❚ PAUSED 0 new · 0.0 ev/s · all · nova · 3 rows
 Enter open  / filter  : command  ? help  q back/quit  Space resume  d raw`.slice(1),
  "search: the empty form":
    `
 stacky  1  2 search  3  4  5  6  7
 watch › search                                                http://fake:8000
 field                                   value
 when_min                                max
 a field and a value, then Enter · dates: epoch or YYYY-MM-DD HH:MM:SS (UTC)

















 Enter search  Esc close  Tab next field  S-Tab prev field`.slice(1),
  "search: a page of results":
    `
 stacky  1  2 search  3  4  5  6  7
 watch › search › search tenant=abc                            http://fake:8000
 field    tenant                         value abc
 when_min                                max
 results 1–50 · nova · s edits · ] next page · [ prev page
   # ? When                Event                          Host     State  State'
1000 E 2026-05-01 10:00:00 compute.instance.update        compute… active
1001   2026-05-01 10:00:00 compute.instance.update        compute… active
1002   2026-05-01 10:00:00 compute.instance.update        compute… active
1003   2026-05-01 10:00:00 compute.instance.update        compute… active
1004   2026-05-01 10:00:00 compute.instance.update        compute… active
1005   2026-05-01 10:00:00 compute.instance.update        compute… active
1006   2026-05-01 10:00:00 compute.instance.update        compute… active
1007 E 2026-05-01 10:00:00 compute.instance.update        compute… active
1008   2026-05-01 10:00:00 compute.instance.update        compute… active
1009   2026-05-01 10:00:00 compute.instance.update        compute… active
1010   2026-05-01 10:00:00 compute.instance.update        compute… active
1011   2026-05-01 10:00:00 compute.instance.update        compute… active
1012   2026-05-01 10:00:00 compute.instance.update        compute… active
1013   2026-05-01 10:00:00 compute.instance.update        compute… active
1014 E 2026-05-01 10:00:00 compute.instance.update        compute… active
 50 rows · page 1
 Enter open  / filter  : command  ? help  q back/quit  s edit search  d raw`.slice(1),
  "instance: none yet":
    `
 stacky  1  2  3 instance  4  5  6  7
 watch › search › search tenant=abc › instance                 http://fake:8000
 No instance yet: Enter on a watch row that has a UUID, or :uuid ID



















 Enter open  / filter  : command  ? help  q back/quit  d raw  r request  w wrap`.slice(1),
  "instance: timings first, then events":
    `
 stacky  1  2  3 instance  4  5  6  7
 watch › … › search tenant=abc › instance › instance 2222bbbb… http://fake:8000
Timings (4)   S = start without end · E = end without start
? Event                     Time (secs)      duration
. compute.instance.create   0d 00:00:08.00   ███████████████████████████████████
. compute.instance.resize   0d 00:00:02.00   █████████
S compute.instance.snapshot n/a              start, no end
E compute.instance.delete   n/a              end, no start

Events of 2222bbbb-6352-4dbc-8271-96cc54bf14cd (3)
 # ? When                Deployment      Event                          Host
11   2026-05-01 10:00:01 dep1            compute.instance.create.start  compute…
12 E 2026-05-01 10:00:02 dep1            compute.instance.create.error  compute…
13   2026-05-01 10:00:09 dep1            compute.instance.create.end    compute…







 7 rows
 Enter open  / filter  : command  ? help  q back/quit  d raw  r request  w wrap`.slice(1),
  "event: key/value table and JSON":
    `
 stacky  1  2  3 instance  4  5  6  7
 watch › … › instance › instance 2222bbbb… › event #11         http://fake:8000
Event #11
Key        Value
#          11
When       2026-05-01 10:00:01.5
Deployment dep1
Category   monitor.info
Publisher  compute.compute-1
State      active
Event      compute.instance.create.end
Service    compute
Host       compute-1
UUID       2222bbbb-6352-4dbc-8271-96cc54bf14cd
Req ID     req-8888bbbb-9e47-4b27-a95e-27996cc40c06

JSON
[
  "monitor.info",
  {
    "event_type": "compute.instance.create.end",
 22 lines
 Enter open  / filter  : command  ? help  q back/quit  d raw  r request  w wrap`.slice(1),
  "request: its events":
    `
 stacky  1  2  3  4 request  5  6  7
 watch › … › event #11 › request req-8888bbbb…                 http://fake:8000
 # ? When                Deployment      Event                          Host
21   2026-05-01 10:01:00 dep1            compute.instance.resize.start  compute…

















 1 row
 Enter open  / filter  : command  ? help  q back/quit  d raw  r request  w wrap`.slice(1),
  "reports: the list":
    `
 stacky  1  2  3  4  5 reports  6  7
 watch › … › event #11 › request req-8888bbbb… › reports       http://fake:8000
      Id Start            End              Name                    Version
       7 2026-05-01 00:00 2026-05-01 01:00 summary for region: all       4

















 1 row
 Enter open  / filter  : command  ? help  q back/quit  h highlight  w wrap`.slice(1),
  "report: metadata and the sorted table":
    `
 stacky  1  2  3  4  5 reports  6  7
 watch › … › request req-8888bbbb… › reports › report #7       http://fake:8000
Report #7
percentile               97             hours                    1
start                    2026-05-01 00:00:00
end                      2026-05-01 00:59:59
region                   null           cells                    ["dep1"]
total                    30             failure_grand_total      2
failure_grand_rate       6.7

Operation▲ Image OS Type Min   Med   97%   Requests % 4xx % 5xx % > 30 % state
aaa-create base  linux   5s    7s    9s          20 0.0%  10.0% 0.0%   0.0%
zzz-resize snap  windows 1:05s 1:30s 2:00s       10 0.0%  0.0%  0.0%   0.0%








 2 rows · sorted by Operation ▲ (s next column, S reverse)
 Enter open  / filter  : command  ? help  q back/quit  s sort  S reverse  w wrap`.slice(1),
  "summary":
    `
 stacky  1  2  3  4  5  6 summary  7
 watch › … › reports › report #7 › summary                     http://fake:8000
Event                    N Min            Max            Avg
compute.instance.create 50 0d 00:00:52.88 0d 01:41:14.27 0d 00:08:26

















 1 row
 Enter open  / filter  : command  ? help  q back/quit  v summary/kpi/lists`.slice(1),
  "kpi":
    `
 stacky  1  2  3  4  5  6 summary  7
 watch › … › request req-8888bbbb… › reports › report #7 › kpi http://fake:8000
Event                   Time           UUID                           Deployment
compute.instance.create 0d 00:00:10.00 3333cccc-41d3-4b86-9467-e584e… dep1

















 1 row
 Enter open  / filter  : command  ? help  q back/quit  v summary/kpi/lists`.slice(1),
  "deployments":
    `
 stacky  1  2  3  4  5  6 summary  7
 watch › … › reports › report #7 › deployments                 http://fake:8000
# Name
1 dep1
2 dep2
















 2 rows
 Enter open  / filter  : command  ? help  q back/quit  v summary/kpi/lists`.slice(1),
  "events":
    `
 stacky  1  2  3  4  5  6 summary  7
 watch › … › reports › report #7 › events                      http://fake:8000
Event Name
compute.instance.create.end
compute.instance.create.start
















 2 rows
 Enter open  / filter  : command  ? help  q back/quit  v summary/kpi/lists`.slice(1),
  "hosts":
    `
 stacky  1  2  3  4  5  6 summary  7
 watch › … › reports › report #7 › hosts                       http://fake:8000
Host Name
compute-1
compute-2
















 2 rows
 Enter open  / filter  : command  ? help  q back/quit  v summary/kpi/lists`.slice(1),
  "in flight: nothing open (the create ended in an error)":
    `
 stacky  1  2  3  4  5  6  7 inflight
 watch › … › reports › report #7 › hosts › inflight            http://fake:8000
     Age Operation                  Last event                     UUID
 nothing in flight: every .start seen has its .end

















 0 in flight · yellow after 60s · from the last 3 tail rows
 Enter open  / filter  : command  ? help  q back/quit  d raw  r request  w wrap`.slice(1),
  "help: the status line, then this view's keys first":
    `
 stacky  1  2  3  4  5  6  7 inflight
 watch › … › reports › report #7 › hosts › inflight            http://fake:8000
Status: 0 in flight · yellow after 60s · from the last 3 tail rows

Rows that are events (watch, instance, request, search)
  d              Show the raw event: key/value table and JSON
  r              Open the event's request
  i              Open the event's instance

Anywhere
  :              Command line (:uuid, :req, :report, :search, :watch, …)
  ?              This help
  Esc            Back (an active filter is cleared first); never quits
  q              Back (an active filter is cleared first); at the top, quit
  Tab            Next pane
  S-Tab          Previous pane
  1              Watch pane (live tail)
  2              Search pane
  3              Instance pane
  4              Request pane
  5              Reports pane
 0 in flight · yellow after 60s · from the last 3 tail rows
 j/k scroll  f/b page  / filter  Esc/? close`.slice(1),
};

test('every view at 80×24, frame by frame', async () => {
  const source = new FakeSource();
  source.watchBatches.push([
    watchRow(1, 'compute.instance.create.start', {uuid: U1}),
    watchRow(2, 'compute.instance.create.error', {uuid: U1, error: true}),
    watchRow(3, 'scheduler.select_destinations.end', {uuid: ''}),
  ]);
  const at = Date.parse('2026-05-01T10:00:30Z');
  const tail = new WatchTail(source, {deployment: 'all', service: 'nova', pollMs: 5, now: () => at});
  const h = await start({tail}, source);
  for (const s of steps) {
    for (const p of s.press) await (p.length > 1 && !p.startsWith('\u001B') && p !== keys.enter ? h.type(p) : h.press(p));
    await h.until(s.until);
    // The frame may still be settling (a status message, a second poll): give it a moment, then compare.
    const shown = () => h.frame().split('\n').map((l) => l.trimEnd()).join('\n');
    await h.until(() => shown() === frames[s.name], 2000).catch(() => undefined);
    assert.equal(shown(), frames[s.name], s.name);
  }
});
