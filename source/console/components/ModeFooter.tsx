// The last line: what is being typed (`/`, `h/`, `:`, help's `/`), or the keys of the view and
// mode from the keymap (keymap.ts is the only place a key is named).
import React from 'react';
import {footerHints, keyFor, type Scope} from '../keymap.js';
import type {Mode} from '../state.js';
import type {Theme} from '../theme.js';
import {Footer, InputLine} from './Chrome.js';

export interface ModeFooterProps {
  mode: Mode;
  scopes: Scope[];
  paused: boolean;
  hidden: number;
  helpMatches: number;
  width: number;
  theme: Theme;
}

export function ModeFooter({mode, scopes, paused, hidden, helpMatches, width, theme}: ModeFooterProps) {
  switch (mode.kind) {
    case 'highlight':
      return <InputLine prefix="h/" text={mode.text} width={width} note="Enter next match · Esc cancel" />;
    case 'filter':
      return <InputLine prefix="/" text={mode.text} width={width} note={`${hidden} hidden · Enter keep · Esc cancel`} />;
    case 'command':
      return <InputLine prefix=":" text={mode.text} width={width} note={mode.options ? mode.options.slice(0, 12).join(' ') : 'Tab completes · Enter runs · Esc closes'} />;
    case 'form':
      return <Footer text={footerHints(['form', 'input'], width - 1)} width={width} theme={theme} />;
    case 'help':
      if (mode.typing) return <InputLine prefix="/" text={mode.filter ?? ''} width={width} note={`${helpMatches} lines match`} />;
      return <Footer text={`${keyFor('down')}/${keyFor('up')} scroll  ${keyFor('pageDown')}/${keyFor('pageUp')} page  ${keyFor('filter')} filter  ${keyFor('back')}/${keyFor('help')} close`} width={width} theme={theme} />;
    case 'normal':
      return <Footer text={footerHints(scopes, width - 1, new Set(paused ? ['paused'] : []))} width={width} theme={theme} />;
  }
}
