// The one table of keys. Input handling, the footer hints and the `?` help are all read from it,
// so they cannot drift apart. Every action has a plain letter key; nothing needs F-keys or
// Ctrl-A/B, and Esc only ever goes back or closes.
import type {Key} from 'ink';

/** Where a binding applies. `list` = every pane with rows; `input` = the `/` and `:` lines and the search form. */
export type Scope =
  | 'global'
  | 'list'
  | 'event'
  | 'watch'
  | 'show'
  | 'search'
  | 'report'
  | 'summary'
  | 'form'
  | 'input';

export type ActionId =
  | 'quit'
  | 'back'
  | 'backOrQuit'
  | 'help'
  | 'command'
  | 'filter'
  | 'nextPane'
  | 'prevPane'
  | 'pane1'
  | 'pane2'
  | 'pane3'
  | 'pane4'
  | 'pane5'
  | 'pane6'
  | 'pane7'
  | 'refresh'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'open'
  | 'nextMatch'
  | 'prevMatch'
  | 'nextError'
  | 'prevError'
  | 'pause'
  | 'showEvent'
  | 'openRequest'
  | 'openInstance'
  | 'save'
  | 'editSearch'
  | 'nextPage'
  | 'prevPage'
  | 'sort'
  | 'sortReverse'
  | 'cycleView'
  | 'relativeTime'
  | 'highlight'
  | 'mark'
  | 'nextMark'
  | 'wrap'
  | 'scrollLeft'
  | 'scrollRight'
  | 'submit'
  | 'cancel'
  | 'complete'
  | 'nextField'
  | 'prevField'
  | 'runSearch'
  | 'closeForm'
  | 'erase';

export interface Binding {
  id: ActionId;
  /** Key names as keyName() produces them: 'j', 'G', 'down', 'enter', 'esc', 'space', 'ctrl+c'… */
  keys: string[];
  scope: Scope;
  /** Short words for the footer. */
  hint: string;
  /** One line for the help screen. */
  help: string;
  /** Footer order; lower shows first and is dropped last. Absent = help only. */
  rank?: number;
  /** The footer words while a state holds (e.g. `resume` while paused, #12). */
  alt?: {when: Flag; hint: string};
}

/** States the footer words depend on. */
export type Flag = 'paused';

export const keymap: readonly Binding[] = [
  // Text entry (the `/` filter, the `:` command line, the search form) sees keys first.
  {id: 'submit', keys: ['enter'], scope: 'input', hint: 'apply', help: 'Apply the filter, run the command, or run the search', rank: 1},
  {id: 'cancel', keys: ['esc'], scope: 'input', hint: 'close', help: 'Close the line (the filter goes back to what it was)', rank: 2},
  {id: 'complete', keys: ['tab'], scope: 'input', hint: 'complete', help: 'Complete the word; when nothing can be added, list the choices (Tab again cycles)', rank: 3},
  {id: 'erase', keys: ['backspace'], scope: 'input', hint: 'erase', help: 'Erase the last character'},
  // The search form: Tab moves between fields (it completes nothing, so it does not say so, #11).
  {id: 'runSearch', keys: ['enter'], scope: 'form', hint: 'search', help: 'Run the search', rank: 1},
  {id: 'closeForm', keys: ['esc'], scope: 'form', hint: 'close', help: 'Close the form (the results stay)', rank: 2},
  {id: 'nextField', keys: ['tab', 'down'], scope: 'form', hint: 'next field', help: 'Next field', rank: 3},
  {id: 'prevField', keys: ['shift+tab', 'up'], scope: 'form', hint: 'prev field', help: 'Previous field', rank: 4},

  {id: 'pause', keys: ['space', 'p'], scope: 'watch', hint: 'pause', alt: {when: 'paused', hint: 'resume'}, help: 'Pause/resume the live tail; new rows are counted while paused', rank: 10},
  {id: 'showEvent', keys: ['d'], scope: 'event', hint: 'raw', help: 'Show the raw event: key/value table and JSON', rank: 12},
  {id: 'openRequest', keys: ['r'], scope: 'event', hint: 'request', help: "Open the event's request", rank: 13},
  {id: 'openInstance', keys: ['i'], scope: 'event', hint: 'instance', help: "Open the event's instance", rank: 14},
  {id: 'save', keys: ['y'], scope: 'list', hint: 'copy', help: 'Copy the selected id, or a raw event\'s JSON, to the clipboard (OSC 52: tmux, SSH); the JSON is also saved in the data directory', rank: 16},
  {id: 'editSearch', keys: ['s'], scope: 'search', hint: 'edit search', help: 'Edit the search form (field, value, when_min, when_max)', rank: 10},
  {id: 'nextPage', keys: [']'], scope: 'search', hint: 'next page', help: 'Next page of results', rank: 11},
  {id: 'prevPage', keys: ['['], scope: 'search', hint: 'prev page', help: 'Previous page of results', rank: 12},
  {id: 'sort', keys: ['s'], scope: 'report', hint: 'sort', help: 'Sort by the next column (cycles)', rank: 10},
  {id: 'sortReverse', keys: ['S'], scope: 'report', hint: 'reverse', help: 'Reverse the sort order', rank: 11},
  {id: 'cycleView', keys: ['v'], scope: 'summary', hint: 'summary/kpi/lists', help: 'Cycle summary → kpi → deployments → events → hosts', rank: 10},

  {id: 'up', keys: ['k', 'up'], scope: 'list', hint: 'up', help: 'Move up (in the watch pane this pauses the tail)'},
  {id: 'down', keys: ['j', 'down'], scope: 'list', hint: 'down', help: 'Move down'},
  {id: 'pageUp', keys: ['b', 'pageup'], scope: 'list', hint: 'page up', help: 'Page up'},
  {id: 'pageDown', keys: ['f', 'pagedown'], scope: 'list', hint: 'page down', help: 'Page down'},
  {id: 'top', keys: ['g', 'home'], scope: 'list', hint: 'top', help: 'First row'},
  {id: 'bottom', keys: ['G', 'end'], scope: 'list', hint: 'end/follow', help: 'Last row; in the watch pane, resume following'},
  {id: 'open', keys: ['enter'], scope: 'list', hint: 'open', help: 'Drill down: event → instance or raw event, report → table, …', rank: 5},
  {id: 'mark', keys: ['m'], scope: 'list', hint: 'mark', help: 'Mark or unmark the selected event (marks survive a pause)', rank: 18},
  {id: 'nextMark', keys: ["'"], scope: 'list', hint: 'next mark', help: 'Jump to the next marked row'},
  {id: 'relativeTime', keys: ['t'], scope: 'list', hint: 'times', help: 'Times as ages (12s ago) or UTC clock times', rank: 17},
  {id: 'wrap', keys: ['w'], scope: 'list', hint: 'wrap', help: 'Wrap the selected row (a raw event: every line) instead of cutting it', rank: 15},
  {id: 'scrollLeft', keys: ['left'], scope: 'list', hint: 'scroll left', help: 'Scroll wide rows left'},
  {id: 'scrollRight', keys: ['right'], scope: 'list', hint: 'scroll right', help: 'Scroll wide rows right (see what a column cuts)'},
  {id: 'filter', keys: ['/'], scope: 'list', hint: 'filter', help: 'Filter as you type; the status line counts hidden rows', rank: 6},
  {id: 'highlight', keys: ['h'], scope: 'list', hint: 'highlight', help: 'Search without hiding: matches are highlighted in place, n/N jump', rank: 14},
  {id: 'nextMatch', keys: ['n'], scope: 'list', hint: 'next match', help: 'Next row matching the highlight (or the filter)'},
  {id: 'prevMatch', keys: ['N'], scope: 'list', hint: 'prev match', help: 'Previous row matching the highlight (or the filter)'},
  {id: 'nextError', keys: ['e'], scope: 'list', hint: 'next error', help: 'Next error row', rank: 20},
  {id: 'prevError', keys: ['E'], scope: 'list', hint: 'prev error', help: 'Previous error row'},

  {id: 'command', keys: [':'], scope: 'global', hint: 'command', help: 'Command line (:uuid, :req, :report, :search, :watch, …)', rank: 7},
  {id: 'help', keys: ['?'], scope: 'global', hint: 'help', help: 'This help', rank: 8},
  {id: 'back', keys: ['esc'], scope: 'global', hint: 'back', help: 'Back (an active filter is cleared first); never quits'},
  {id: 'backOrQuit', keys: ['q'], scope: 'global', hint: 'back/quit', help: 'Back (an active filter is cleared first); at the top, quit', rank: 9},
  {id: 'nextPane', keys: ['tab'], scope: 'global', hint: 'pane', help: 'Next pane'},
  {id: 'prevPane', keys: ['shift+tab'], scope: 'global', hint: 'prev pane', help: 'Previous pane'},
  {id: 'pane1', keys: ['1'], scope: 'global', hint: 'watch', help: 'Watch pane (live tail)'},
  {id: 'pane2', keys: ['2'], scope: 'global', hint: 'search', help: 'Search pane'},
  {id: 'pane3', keys: ['3'], scope: 'global', hint: 'instance', help: 'Instance pane'},
  {id: 'pane4', keys: ['4'], scope: 'global', hint: 'request', help: 'Request pane'},
  {id: 'pane5', keys: ['5'], scope: 'global', hint: 'reports', help: 'Reports pane'},
  {id: 'pane6', keys: ['6'], scope: 'global', hint: 'summary', help: 'Summary pane (v cycles kpi and the lists)'},
  {id: 'pane7', keys: ['7'], scope: 'global', hint: 'in flight', help: 'In flight: operations started and not ended (from the tail), oldest first; stuck ones yellow'},
  {id: 'refresh', keys: ['R'], scope: 'global', hint: 'reload', help: 'Reload the pane now; retry at once when the server is down'},
  {id: 'quit', keys: ['ctrl+c'], scope: 'global', hint: 'quit', help: 'Quit from anywhere'},
];

/** Key name of one character of a multi-character read (a paste, keys sent together over SSH). */
export function charKeyName(ch: string): string {
  const names: Record<string, string> = {'\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007F': 'backspace', '\b': 'backspace', ' ': 'space'};
  return names[ch] ?? (/^[^\u0000-\u001f\u007f]$/.test(ch) ? ch : '');
}

/** Key name for an Ink input event; '' for keys the console ignores. */
export function keyName(input: string, key: Key): string {
  if (key.ctrl && input === 'c') return 'ctrl+c';
  if (key.escape) return 'esc';
  if (key.return) return 'enter';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl) return input ? `ctrl+${input}` : '';
  if (input === ' ') return 'space';
  return input;
}

/** The action bound to `name` in the first of `scopes` that binds it. */
export function lookup(name: string, scopes: readonly Scope[]): Binding | undefined {
  for (const scope of scopes) {
    const hit = keymap.find((b) => b.scope === scope && b.keys.includes(name));
    if (hit) return hit;
  }
  return undefined;
}

/** How a key is shown to people. */
export function keyLabel(name: string): string {
  const names: Record<string, string> = {
    enter: 'Enter', esc: 'Esc', tab: 'Tab', 'shift+tab': 'S-Tab', space: 'Space', up: '↑', down: '↓', left: '←', right: '→',
    pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End', backspace: 'Bksp', 'ctrl+c': 'Ctrl-C',
  };
  return names[name] ?? name;
}

/** How the first key of action `id` is shown (hints written in prose name keys only this way). */
export function keyFor(id: ActionId): string {
  const b = keymap.find((x) => x.id === id);
  if (!b) throw new Error(`no binding for ${id}`);
  return keyLabel(b.keys[0]!);
}

/** Footer hints for the active scopes, most important first, cut to `width` by dropping whole hints. */
export function footerHints(scopes: readonly Scope[], width: number, flags: ReadonlySet<Flag> = new Set()): string {
  const seen = new Set<string>();
  const items: {rank: number; text: string}[] = [];
  for (const scope of scopes) {
    for (const b of keymap) {
      if (b.scope !== scope || b.rank === undefined) continue;
      const key = b.keys[0]!;
      if (seen.has(key)) continue; // a more specific scope already owns this key
      seen.add(key);
      const hint = b.alt && flags.has(b.alt.when) ? b.alt.hint : b.hint;
      items.push({rank: b.rank, text: `${keyLabel(key)} ${hint}`});
    }
  }
  items.sort((a, b) => a.rank - b.rank);
  let line = '';
  for (const item of items) {
    const next = line ? `${line}  ${item.text}` : item.text;
    if (next.length > width) continue;
    line = next;
  }
  return line;
}

const scopeTitles: Record<Scope, string> = {
  input: 'While typing (/ filter, : command)',
  form: 'Search form',
  watch: 'Watch pane',
  event: 'Rows that are events (watch, instance, request, search)',
  show: 'Raw event',
  search: 'Search pane',
  report: 'A report',
  summary: 'Summary pane',
  list: 'Every list',
  global: 'Anywhere',
};

/** The help screen's lines, generated from the keymap: the scopes of the current view first. */
export function helpLines(first: readonly Scope[] = []): string[] {
  const all: Scope[] = ['global', 'list', 'watch', 'event', 'show', 'search', 'form', 'report', 'summary', 'input'];
  const specific: Scope[] = first.filter((s) => s !== 'global' && s !== 'list');
  const order = [...specific, ...all.filter((s) => !specific.includes(s))];
  const out: string[] = [];
  for (const scope of order) {
    out.push(scopeTitles[scope]);
    for (const b of keymap.filter((x) => x.scope === scope)) {
      out.push(`  ${b.keys.map(keyLabel).join(' ').padEnd(14)} ${b.help}`);
    }
    out.push('');
  }
  out.push('Commands (after :, Tab completes)');
  for (const line of commandHelp) out.push(`  ${line}`);
  return out;
}

export const commandHelp: readonly string[] = [
  ':uuid ID              instance events and timings',
  ':req ID               events of a request',
  ':show ID              one raw event',
  ':report ID            open a stored report',
  ':search FIELD VALUE   search raw events (service from :service)',
  ':watch DEP|all        tail one deployment (name or id) or all',
  ':service nova|glance|generic',
  ':event NAME|all       server-side event-name filter for the tail',
  ':kpi [TENANT]  :summary  :reports  :deployments  :events  :hosts  :inflight',
  ':quit',
];
