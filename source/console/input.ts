// Keys by input mode: the help screen, the `/` filter and `h` highlight lines, the `:` command
// line, the search form, and the keymap's actions everywhere else. Every key reads the state as
// it is now (ctx.get()), so several keys in one read are handled one after the other as if
// typed slowly, with no queue.
import type {Key} from 'ink';
import {complete} from './commands.js';
import type {Actions, Ctx} from './actions.js';
import {charKeyName, keyName, lookup} from './keymap.js';
import {topView, type Mode} from './state.js';
import {isKind} from './views.js';
import {scopesOf} from './views/registry.js';

const printable = /^[^\u0000-\u001f\u007f]+$/;

/** A key that types its character (letters, digits, punctuation, space) in a text field. */
function typed(name: string, input: string): boolean {
  return input.length === 1 && printable.test(input) && (name === input || name === charKeyName(input));
}

/** The text after an edit key (Backspace, a typed character); undefined for other keys. */
function edited(text: string, name: string, input: string): string | undefined {
  if (lookup(name, ['input'])?.id === 'erase') return text.slice(0, -1);
  if (typed(name, input)) return text + input;
  return undefined;
}

/** Ink's keys as the console's: several plain characters in one read (a paste, keys sent together by tmux/SSH) are keys one by one. */
export function splitKeys(input: string, key: Key): {name: string; input: string}[] {
  if (input.length > 1 && !input.includes('\u001B') && !key.ctrl) return [...input].map((ch) => ({name: charKeyName(ch), input: ch}));
  return [{name: keyName(input, key), input}];
}

function onHelpKey(ctx: Ctx, mode: Extract<Mode, {kind: 'help'}>, name: string, input: string): void {
  const setMode = (m: Mode) => ctx.dispatch({type: 'mode', mode: m});
  if (mode.typing) {
    const b = lookup(name, ['input']);
    if (b?.id === 'submit' || b?.id === 'cancel') return setMode({...mode, typing: false, filter: b.id === 'cancel' ? '' : mode.filter});
    const next = edited(mode.filter ?? '', name, input);
    return next === undefined ? undefined : setMode({...mode, filter: next, top: 0});
  }
  const b = lookup(name, ['list', 'global']);
  if (b?.id === 'filter') return setMode({...mode, typing: true, filter: mode.filter ?? ''});
  if (b?.id === 'back' && mode.filter) return setMode({...mode, filter: '', top: 0});
  const f = ctx.frame();
  const page = f.bodyHeight;
  const scroll = (t: number) => setMode({...mode, top: Math.max(0, Math.min(t, Math.max(0, f.helpLines - page)))});
  switch (b?.id) {
    case 'up':
      return scroll(mode.top - 1);
    case 'down':
      return scroll(mode.top + 1);
    case 'pageUp':
      return scroll(mode.top - page);
    case 'pageDown':
      return scroll(mode.top + page);
    case 'top':
      return scroll(0);
    case 'bottom':
      return scroll(f.helpLines);
    case 'back':
    case 'backOrQuit':
    case 'help':
      return setMode({kind: 'normal'});
    default:
      return;
  }
}

function onFormKey(ctx: Ctx, actions: Actions, name: string, input: string): void {
  const v = topView(ctx.get());
  if (!isKind(v, 'search')) return ctx.dispatch({type: 'mode', mode: {kind: 'normal'}});
  const s = v.search;
  const b = lookup(name, ['form', 'input']);
  if (b?.id === 'runSearch') return actions.runSearch();
  if (b?.id === 'closeForm') return ctx.dispatch({type: 'mode', mode: {kind: 'normal'}});
  const fields = ['field', 'value', 'whenMin', 'whenMax'] as const;
  let search = s;
  if (b?.id === 'nextField') search = {...s, focus: (s.focus + 1) % 4};
  else if (b?.id === 'prevField') search = {...s, focus: (s.focus + 3) % 4};
  else {
    const k = fields[s.focus]!;
    const value = edited(s[k], name, input);
    if (value === undefined) return;
    search = {...s, [k]: value};
  }
  ctx.dispatch({type: 'update', key: v.key, update: (c) => (isKind(c, 'search') ? {...c, search} : c)});
}

export function onKey(ctx: Ctx, actions: Actions, name: string, input: string): void {
  if (name === '') return;
  if (lookup(name, ['global'])?.id === 'quit') return ctx.quit();
  const state = ctx.get();
  const mode = state.mode;
  const setMode = (m: Mode) => ctx.dispatch({type: 'mode', mode: m});
  switch (mode.kind) {
    case 'help':
      return onHelpKey(ctx, mode, name, input);
    case 'form':
      return onFormKey(ctx, actions, name, input);
    case 'filter':
    case 'highlight': {
      const field = mode.kind;
      const b = lookup(name, ['input']);
      if (b?.id === 'submit') {
        setMode({kind: 'normal'});
        return field === 'highlight' ? actions.perform('nextMatch') : undefined;
      }
      if (b?.id === 'cancel') {
        ctx.dispatch({type: 'patchTop', patch: field === 'filter' ? {filter: mode.previous, cursor: -1, top: 0} : {highlight: mode.previous}});
        return setMode({kind: 'normal'});
      }
      const text = edited(mode.text, name, input);
      if (text === undefined) return;
      setMode({...mode, text});
      return ctx.dispatch({type: 'patchTop', patch: field === 'filter' ? {filter: text, cursor: -1, top: 0} : {highlight: text}});
    }
    case 'command': {
      const b = lookup(name, ['input']);
      if (b?.id === 'submit') return actions.runCommand(mode.text);
      if (b?.id === 'cancel') return setMode({kind: 'normal'});
      if (b?.id === 'complete') {
        const r = complete(mode.text, ctx.completion, mode.completion);
        return setMode({kind: 'command', text: r.line, completion: r.state, options: r.state?.options});
      }
      const text = edited(mode.text, name, input);
      return text === undefined ? undefined : setMode({kind: 'command', text});
    }
    case 'normal': {
      const b = lookup(name, scopesOf(topView(state).kind));
      if (b) actions.perform(b.id);
    }
  }
}
