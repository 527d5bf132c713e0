// The fixed lines around a pane: tab bar, breadcrumb, status line and footer. One line each.
import React from 'react';
import {Box, Text} from 'ink';
import {fit, truncate} from '../text.js';
import type {Theme, Tone} from '../theme.js';
import {panes, type Pane} from '../views.js';

export function TabBar({current, width, right, theme}: {current: Pane; width: number; right: string; theme: Theme}) {
  const full = panes.map((p, i) => ({p, text: ` ${i + 1} ${p} `}));
  // When every name does not fit, the other panes show their number only.
  const parts = 8 + full.reduce((n, x) => n + x.text.length, 0) <= width ? full : panes.map((p, i) => ({p, text: p === current ? ` ${i + 1} ${p} ` : ` ${i + 1} `}));
  const used = 8 + parts.reduce((n, x) => n + x.text.length, 0);
  const tail = truncate(right, Math.max(0, width - used - 1));
  const pad = Math.max(0, width - used - tail.length);
  return (
    <Text wrap="truncate">
      <Text bold color={theme.color('title')}>{' stacky '}</Text>
      {parts.map(({p, text}) => (
        <Text key={p} inverse={p === current} bold={p === current}>
          {text}
        </Text>
      ))}
      {' '.repeat(pad)}
      <Text color={theme.color('dim')}>{tail}</Text>
    </Text>
  );
}

/** The breadcrumb, and the server's URL at the right: always on screen, whatever the banner (#8). */
export function Crumbs({labels, width, theme, right = '', middle = ''}: {labels: string[]; width: number; theme: Theme; right?: string; middle?: string}) {
  const url = right ? ` ${truncate(right, Math.max(0, Math.floor(width / 2)))} ` : '';
  const mid = middle ? `${middle} ` : '';
  const room = width - url.length - mid.length;
  let text = ` ${labels.join(' › ')}`;
  // Drop from the left (keeping the root) until it fits.
  let from = 1;
  while (text.length > room && from < labels.length - 1) {
    from++;
    text = ` ${labels[0]} › … › ${labels.slice(from).join(' › ')}`;
  }
  return (
    <Text wrap="truncate" color={theme.color('dim')}>
      {fit(text, room)}
      {mid}
      {url}
    </Text>
  );
}

export interface StatusPart {
  text: string;
  tone?: Tone;
}

/** One line of parts; when they do not fit, the last cell is `…` (never a silent cut, #6; `?` shows it whole). */
export function StatusLine({parts, width, theme}: {parts: StatusPart[]; width: number; theme: Theme}) {
  const total = parts.reduce((n, p) => n + p.text.length, 0);
  const cut = total > width;
  let left = cut ? width - 1 : width;
  const shown: StatusPart[] = [];
  for (const p of parts) {
    if (left <= 0) break;
    const text = p.text.slice(0, left);
    shown.push({...p, text});
    left -= text.length;
  }
  if (cut) shown.push({text: '…', tone: shown.at(-1)?.tone});
  return (
    <Text wrap="truncate">
      {shown.map((p, i) => (
        <Text key={i} color={p.tone ? theme.color(p.tone) : undefined} bold={p.tone === 'error' || p.tone === 'warn'}>
          {p.text}
        </Text>
      ))}
      {' '.repeat(Math.max(0, left))}
    </Text>
  );
}

export function Footer({text, width, theme}: {text: string; width: number; theme: Theme}) {
  return (
    <Text wrap="truncate" color={theme.color('dim')}>
      {fit(` ${text}`, width)}
    </Text>
  );
}

/** The `/` or `:` line: the typed text always shows whole (cut from the left only when longer than the line); the note gets what is left (#4). */
export function InputLine({prefix, text, width, note}: {prefix: string; text: string; width: number; note?: string}) {
  const room = Math.max(1, width - prefix.length - 1);
  const visible = text.length > room ? `…${text.slice(text.length - room + 1)}` : text;
  const left = Math.max(0, width - prefix.length - visible.length - 1);
  return (
    <Text wrap="truncate">
      <Text bold>{prefix}</Text>
      {visible}
      <Text inverse> </Text>
      {note && left > 0 ? fit(truncate(`  ${note}`, left), left) : ' '.repeat(left)}
    </Text>
  );
}

export function TooSmall({columns, rows, theme}: {columns: number; rows: number; theme: Theme}) {
  const height = Math.max(1, rows - 1);
  const lines = ['terminal too small', `${columns}×${rows}; stacky needs at least 80×24`, 'enlarge the window, or press q to quit'];
  const pad = Math.max(0, Math.floor((height - lines.length) / 2));
  return (
    <Box flexDirection="column" height={height} width={columns}>
      {Array.from({length: Math.min(pad, height - 1)}, (_, i) => (
        <Text key={`p${i}`}> </Text>
      ))}
      {lines.slice(0, Math.max(1, height - pad)).map((l, i) => (
        <Text key={i} wrap="truncate" color={i === 0 ? theme.color('warn') : undefined} bold={i === 0}>
          {truncate(l, columns)}
        </Text>
      ))}
    </Box>
  );
}
