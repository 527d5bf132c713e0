// Every key of every binding in keymap.ts, driven through the real app with a fake source.
// A meta-test fails when a binding is added without a scenario here.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {keymap, type ActionId} from '../../source/console/keymap.js';
import {keys, start, type Harness} from './helpers.js';
import {REQ, U1, watchRow} from './fake-source.js';

const raw: Record<string, string> = {
  enter: keys.enter,
  esc: keys.esc,
  tab: keys.tab,
  'shift+tab': keys.shiftTab,
  up: keys.up,
  down: keys.down,
  left: keys.left,
  right: keys.right,
  pageup: keys.pageUp,
  pagedown: keys.pageDown,
  home: keys.home,
  end: keys.end,
  backspace: keys.backspace,
  space: ' ',
  'ctrl+c': keys.ctrlC,
};
const seq = (name: string) => raw[name] ?? name;

/** The crumb line (second line of the frame). */
const crumb = (h: Harness) => (h.frame().split('\n')[1] ?? '').replace(/\s+http:\/\/fake:8000\s*$/, '').replace(/\s+ev\/s .*$/, '');

async function withWatchRows(h: Harness, n = 3) {
  h.source.watchBatches.push(Array.from({length: n}, (_, i) => watchRow(i + 1, `compute.instance.e${i + 1}`, {error: i % 5 === 1})));
  await h.until(new RegExp(`e${n}\\b`));
}

async function searchResults(h: Harness) {
  await h.press(':');
  await h.type('search tenant abc');
  await h.press(keys.enter);
  await h.until(/1003/);
}

/** Search results with the filter "100" applied. */
async function filteredSearchResults(h: Harness) {
  await searchResults(h);
  await h.press('/');
  await h.type('100');
  await h.press(keys.enter);
  await h.until(/hidden/);
}

async function openShow(h: Harness) {
  await h.press(':');
  await h.type('show 12');
  await h.press(keys.enter);
  await h.until(/JSON/);
}

async function openReport(h: Harness) {
  await h.press('5');
  await h.until(/summary for region/);
  await h.press(keys.enter);
  await h.until(/Operation/);
}

/** A raw event whose Reason is far wider than 80 columns, with the cursor on it. */
async function openLongEvent(h: Harness) {
  h.source.showData[77] = [
    [['Key', 'Value'], ['#', 77], ['Reason', `${'NoValidHost: No valid host was found. '.repeat(4)}the end of the reason`]],
    '{}',
    null,
  ];
  await h.press(':');
  await h.type('show 77');
  await h.press(keys.enter);
  await h.until(/Reason/);
  await h.press('j');
  await h.until(() => /Reason/.test(h.selected() ?? ''));
  assert.doesNotMatch(h.frame(), /the end of the reason/);
}

type Scenario = (h: Harness, key: string) => Promise<void>;

const scenarios: Record<ActionId, Scenario> = {
  quit: async (h, key) => {
    await h.press(':');
    await h.press(seq(key));
    assert.equal(h.exited(), 0);
  },
  back: async (h, key) => {
    await openShow(h);
    await h.press(seq(key));
    await h.until(() => /^ watch\s*$/.test(crumb(h)));
    await h.press('/');
    await h.type('zzz');
    await h.press(keys.enter);
    await h.until(/filter "zzz"/);
    await h.press(seq(key));
    await h.until((f) => !/filter "zzz"/.test(f));
    assert.equal(h.exited(), undefined, 'clearing a filter does not quit');
    await h.press(seq(key));
    assert.equal(h.exited(), undefined, 'Esc at the top never quits');
  },
  backOrQuit: async (h, key) => {
    await openShow(h);
    await h.press(seq(key));
    await h.until(() => /^ watch\s*$/.test(crumb(h)));
    await h.press('/');
    await h.type('zzz');
    await h.press(keys.enter);
    await h.until(/filter "zzz"/);
    await h.press(seq(key));
    await h.until((f) => !/filter "zzz"/.test(f));
    assert.equal(h.exited(), undefined, 'clearing a filter does not quit');
    await h.press(seq(key));
    assert.equal(h.exited(), 0, 'q at the top quits');
  },
  help: async (h, key) => {
    await h.press(seq(key));
    await h.until(/Anywhere/);
    await h.press('j', 'G');
    await h.until(/Commands \(after :/);
    await h.press(seq(key));
    await h.until((f) => !/Anywhere/.test(f));
  },
  command: async (h, key) => {
    await h.press(seq(key));
    await h.until(/^:/m);
    await h.type(`uuid ${U1}`);
    await h.press(keys.enter);
    await h.until(/Timings \(4\)/);
  },
  filter: async (h, key) => {
    await withWatchRows(h, 5);
    await h.press(seq(key));
    await h.type('e2');
    const f = await h.until(/4 hidden/);
    assert.doesNotMatch(f.split('\n').slice(3, -2).join('\n'), /e3/);
    assert.match(f, /e2/);
  },
  nextPane: async (h, key) => {
    await h.press(seq(key));
    await h.until((f) => /search/.test(crumb(h)) && /field/.test(f));
    await h.press(keys.esc, seq(key));
    await h.until(() => /instance/.test(crumb(h)));
  },
  prevPane: async (h, key) => {
    await h.press(seq(key));
    await h.until(() => /inflight/.test(crumb(h)));
  },
  pane1: async (h, key) => {
    await h.press('5');
    await h.until(() => /reports/.test(crumb(h)));
    await h.press(seq(key));
    await h.until(() => /^ watch\s*$/.test(crumb(h)));
  },
  pane2: async (h, key) => {
    await h.press(seq(key));
    await h.until(/when_min/);
  },
  pane3: async (h, key) => {
    await h.press(seq(key));
    await h.until(/No instance yet/);
  },
  pane4: async (h, key) => {
    await h.press(seq(key));
    await h.until(/No request yet/);
  },
  pane5: async (h, key) => {
    await h.press(seq(key));
    await h.until(/summary for region/);
  },
  pane6: async (h, key) => {
    await h.press(seq(key));
    await h.until(/52\.88/);
  },
  pane7: async (h, key) => {
    h.source.watchBatches.push([watchRow(1, 'compute.instance.resize.start', {uuid: U1}), watchRow(2, 'compute.instance.reboot.start', {uuid: U1}), watchRow(3, 'compute.instance.reboot.end', {uuid: U1})]);
    await h.until(/reboot\.end/);
    await h.press(seq(key));
    await h.until(/1 in flight/);
    assert.match(h.frame(), /compute\.instance\.resize\s+compute\.instance\.reboot\.end/);
  },
  refresh: async (h, key) => {
    await h.press('6');
    await h.until(/52\.88/);
    await h.press(seq(key));
    await h.until(() => h.source.callsTo('summary').length === 2);
  },
  up: async (h, key) => {
    await withWatchRows(h, 3);
    await h.press(seq(key));
    await h.until(/PAUSED 0 new/);
    assert.match(h.selected() ?? '', /e2/);
  },
  down: async (h, key) => {
    await searchResults(h);
    assert.match(h.selected() ?? '', /1000/);
    await h.press(seq(key));
    await h.until(() => /1001/.test(h.selected() ?? ''));
  },
  pageUp: async (h, key) => {
    await withWatchRows(h, 60);
    await h.press(seq(key));
    await h.until(/PAUSED/);
    await h.until(() => /e42\b/.test(h.selected() ?? ''));
  },
  pageDown: async (h, key) => {
    await searchResults(h);
    await h.press(seq(key));
    await h.until(() => /10(1[5-9]|2\d)\s/.test(h.selected() ?? ''));
  },
  top: async (h, key) => {
    await searchResults(h);
    await h.press('f', 'f');
    await h.until(() => !/1000/.test(h.selected() ?? ''));
    await h.press(seq(key));
    await h.until(() => /1000/.test(h.selected() ?? ''));
  },
  bottom: async (h, key) => {
    await withWatchRows(h, 3);
    await h.press('k');
    await h.until(/PAUSED/);
    await h.press(seq(key));
    await h.until((f) => !/PAUSED/.test(f));
    await searchResults(h);
    await h.press(seq(key));
    await h.until(() => /1049/.test(h.selected() ?? ''));
  },
  open: async (h, key) => {
    await withWatchRows(h, 3);
    await h.press(seq(key));
    await h.until(/Events of 2222bbbb/);
    await h.press('j', seq(key));
    await h.until(/Event #12/);
  },
  nextMatch: async (h, key) => {
    await filteredSearchResults(h);
    await h.press(seq(key));
    await h.until(() => /1001/.test(h.selected() ?? ''));
  },
  prevMatch: async (h, key) => {
    await filteredSearchResults(h);
    await h.press(seq(key));
    await h.until(() => /1009/.test(h.selected() ?? ''), 3000);
  },
  nextError: async (h, key) => {
    await searchResults(h);
    await h.press(seq(key));
    await h.until(() => /1007 E/.test(h.selected() ?? ''));
  },
  prevError: async (h, key) => {
    await searchResults(h);
    await h.press('e', 'e');
    await h.until(() => /1014 E/.test(h.selected() ?? ''));
    await h.press(seq(key));
    await h.until(() => /1007 E/.test(h.selected() ?? ''));
  },
  pause: async (h, key) => {
    await withWatchRows(h, 3);
    await h.press(seq(key));
    await h.until(/PAUSED 0 new/);
    h.source.watchBatches.push([watchRow(50, 'compute.instance.late'), watchRow(51, 'compute.instance.later')]);
    await h.until(/PAUSED 2 new/);
    assert.doesNotMatch(h.frame(), /instance\.late/, 'paused rows stay frozen');
    await h.press(seq(key));
    await h.until(/instance\.later/);
    assert.doesNotMatch(h.frame(), /PAUSED/);
  },
  showEvent: async (h, key) => {
    await withWatchRows(h, 3);
    await h.press(seq(key));
    await h.until(/Event #3/);
    await h.press('G');
    await h.until(/"needle": "haystack"/);
  },
  openRequest: async (h, key) => {
    await openShow(h);
    await h.press(seq(key));
    await h.until(/resize\.start/);
    assert.match(crumb(h), /request req-8888/);
    assert.ok(h.source.callsTo('request').some((c) => c.args[0] === REQ));
  },
  openInstance: async (h, key) => {
    await openShow(h);
    await h.press(seq(key));
    await h.until(/Events of 2222bbbb/);
  },
  save: async (h, key) => {
    await openShow(h);
    await h.press(seq(key));
    await h.until(/copied event #12; saved to/);
  },
  editSearch: async (h, key) => {
    await searchResults(h);
    await h.press(seq(key));
    await h.until(/Tab next field/);
    await h.press(keys.backspace, keys.backspace, keys.backspace);
    await h.type('xyz');
    await h.press(keys.enter);
    await h.until(/search tenant=xyz/);
  },
  nextPage: async (h, key) => {
    await searchResults(h);
    await h.press(seq(key));
    await h.until(/1050/);
    await h.until(/page 2/);
  },
  prevPage: async (h, key) => {
    await searchResults(h);
    await h.press(']');
    await h.until(/1050/);
    await h.press(seq(key));
    await h.until(/1000/);
    await h.until(/page 1/);
  },
  sort: async (h, key) => {
    await openReport(h);
    await h.press(seq(key));
    await h.until(/Image▲/);
    await h.until(/sorted by Image/);
  },
  sortReverse: async (h, key) => {
    await openReport(h);
    await h.press(seq(key));
    const f = await h.until(/Operation▼/);
    assert.ok(f.indexOf('zzz-resize') < f.indexOf('aaa-create'));
  },
  cycleView: async (h, key) => {
    await h.press('6');
    await h.until(/52\.88/);
    await h.press(seq(key));
    await h.until(/3333cccc/);
    await h.press(seq(key));
    await h.until(/dep2/);
    await h.press(seq(key));
    await h.until(/Event Name/);
    await h.press(seq(key));
    await h.until(/Host Name/);
    await h.press(seq(key));
    await h.until(/52\.88/);
  },
  submit: async (h, key) => {
    await withWatchRows(h, 5);
    await h.press('/');
    await h.type('e4');
    await h.press(seq(key));
    await h.until(/filter "e4" 4 hidden/);
    await h.until((f) => !/^\/e4/m.test(f));
  },
  cancel: async (h, key) => {
    await withWatchRows(h, 5);
    await h.press('/');
    await h.type('e4');
    await h.until(/4 hidden/);
    await h.press(seq(key));
    await h.until((f) => !/hidden/.test(f) && /e5/.test(f));
  },
  complete: async (h, key) => {
    await h.press(':');
    await h.type('ser');
    await h.press(seq(key));
    await h.until(/^:service /m);
    await h.type('gl');
    await h.press(seq(key));
    await h.until(/^:service glance /m);
    await h.press(keys.enter);
    await h.until(/glance/);
    await h.until(() => h.source.callsTo('watch').some((c) => (c.args[1] as {service?: string}).service === 'glance'));
  },
  nextField: async (h, key) => {
    await h.press('2');
    await h.until(/when_min/);
    await h.type('host');
    await h.press(seq(key));
    await h.type('compute-1');
    await h.press(keys.enter);
    await h.until(/search host=compute-1/);
  },
  prevField: async (h, key) => {
    await h.press('2');
    await h.until(/when_min/);
    await h.press(keys.tab);
    await h.type('abc');
    await h.press(seq(key));
    await h.type('tenant');
    await h.press(keys.enter);
    await h.until(/search tenant=abc/);
  },
  runSearch: async (h, key) => {
    await h.press('2');
    await h.until(/when_min/);
    await h.type('host');
    await h.press(keys.tab);
    await h.type('compute-1');
    await h.press(seq(key));
    await h.until(/search host=compute-1/);
    await h.until(/1000 E/);
  },
  closeForm: async (h, key) => {
    await searchResults(h);
    await h.press('s');
    await h.until(/Tab next field/);
    await h.press(seq(key));
    await h.until((f) => !/Tab next field/.test(f) && /1000 E/.test(f));
  },
  highlight: async (h, key) => {
    await searchResults(h);
    await h.press(seq(key));
    await h.type('1003');
    await h.press(keys.enter);
    await h.until(() => /^1003/.test(h.selected() ?? ''));
    assert.match(h.frame(), /^1000 E/m, 'nothing hidden');
    assert.match(h.frame(), /highlight "1003"/);
    const hit = h.raw().split('\n').find((l) => l.includes('1003'))!;
    assert.match(hit, /\u001B\[1m\u001B\[4m1003\u001B\[24m\u001B\[22m/);
    await h.press('n');
    await h.until(/no rows match|^1003/m);
  },
  mark: async (h, key) => {
    await withWatchRows(h, 5);
    await h.press('k');
    await h.until(() => /e4/.test(h.selected() ?? ''));
    await h.press(seq(key));
    await h.until(/marked #4/);
    await h.press(' ');
    await h.until((f) => !/PAUSED/.test(f));
    assert.match(h.frame(), /^▸.*compute\.instance\.e4/m, 'the mark survives the pause');
    await h.press('k', 'k', seq(key));
    await h.until(/marked #3/);
    await h.press(seq(key));
    await h.until(/unmarked #3/);
    assert.doesNotMatch(h.frame(), /^▸.*compute\.instance\.e3/m);
  },
  nextMark: async (h, key) => {
    await withWatchRows(h, 5);
    await h.press('g', 'm');
    await h.until(/marked #1/);
    await h.press('j', 'j', 'j', 'm');
    await h.until(/marked #4/);
    await h.press(seq(key));
    await h.until(() => /e1\b/.test(h.selected() ?? ''));
    await h.press(seq(key));
    await h.until(() => /e4\b/.test(h.selected() ?? ''));
  },
  relativeTime: async (h, key) => {
    await withWatchRows(h, 3);
    await h.until(/Time UTC/);
    await h.press(seq(key));
    await h.until(/Ago/);
    assert.match(h.frame(), /\d+[hms]\S* ago/);
    await h.press(seq(key));
    await h.until(/Time UTC/);
  },
  wrap: async (h, key) => {
    await openLongEvent(h);
    await h.press(seq(key));
    await h.until(/the end of the reason/);
  },
  scrollRight: async (h, key) => {
    await openLongEvent(h);
    await h.press(seq(key), seq(key), seq(key), seq(key), seq(key), seq(key));
    await h.until(/the end of the reason/);
  },
  scrollLeft: async (h, key) => {
    await openLongEvent(h);
    await h.press(keys.right);
    await h.until((f) => !/Reason/.test(f));
    await h.press(seq(key));
    await h.until(/Reason/);
  },
  erase: async (h, key) => {
    await h.press(':');
    await h.type('uuidx');
    await h.press(seq(key));
    await h.until(/^:uuid\s/m);
    assert.doesNotMatch(h.frame(), /^:uuidx/m);
  },
};

test('every keymap action has a scenario', () => {
  for (const b of keymap) assert.ok(scenarios[b.id], `no key test for ${b.id}`);
});

for (const binding of keymap) {
  for (const key of binding.keys) {
    test(`key ${key} → ${binding.id} (${binding.scope})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'stacky-keys-'));
      const h = await start({saveDir: dir});
      try {
        await scenarios[binding.id](h, key);
        if (binding.id === 'save') {
          const file = join(dir, 'stacky-event-12.json');
          assert.match(readFileSync(file, 'utf8'), /"needle": "haystack"/);
        }
      } finally {
        h.unmount();
        rmSync(dir, {recursive: true, force: true});
      }
    });
  }
}
