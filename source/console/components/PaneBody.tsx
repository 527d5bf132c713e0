// The rows of the top view between the crumbs and the status line: a placeholder while it
// loads or fails, else the pinned header and the rows from the window's top, the selected one
// inverse (wrapped with `w`), marked ones underlined, highlight matches bold.
import React, {useMemo} from 'react';
import {Text} from 'ink';
import type {StackyService} from '../../client/types.js';
import {layoutColumns} from '../columns.js';
import type {Body} from '../frame.js';
import {clean, fit, wrapText} from '../text.js';
import type {Theme} from '../theme.js';
import {isKind, type View} from '../views.js';
import {idleText, needsLoad} from '../views/registry.js';
import {lineText} from '../line-text.js';
import {LineRow} from './LineRow.js';
import {SearchForm} from './SearchForm.js';

export interface PaneBodyProps {
  view: View;
  body: Body;
  cursor: number;
  windowTop: number;
  listHeight: number;
  width: number;
  natural: number;
  marks: readonly number[];
  theme: Theme;
  formActive: boolean;
  service: StackyService;
}

function Placeholder({text, tone, theme, width}: {text: string; tone?: 'error' | 'dim'; theme: Theme; width: number}) {
  return (
    <Text wrap="truncate" color={tone ? theme.color(tone) : undefined}>
      {` ${clean(text)}`.slice(0, width)}
    </Text>
  );
}

/** What the pane says instead of rows (loading, failed, nothing yet); undefined when it has rows to show. */
function placeholder(view: View): {text: string; tone?: 'error' | 'dim'} | undefined {
  const idle = idleText(view);
  if (idle) return {text: idle, tone: 'dim'};
  if (view.load.state === 'error') return {text: `✖ ${view.load.problem.message}`, tone: 'error'};
  if (needsLoad(view) && view.load.state !== 'ok') return {text: 'loading…', tone: 'dim'};
  return undefined;
}

export function PaneBody({view, body, cursor, windowTop, listHeight, width, natural, marks, theme, formActive, service}: PaneBodyProps) {
  const virtual = Math.max(width, natural);
  const widths = useMemo(() => body.tables.map((t) => layoutColumns(t, width)), [body.tables, width]);
  const wide = useMemo(() => body.tables.map((t) => layoutColumns(t, virtual)), [body.tables, virtual]);
  const laid = view.x > 0 ? wide : widths;
  const out: React.ReactNode[] = [];
  if (isKind(view, 'search')) out.push(<SearchForm key="form" view={view} width={width} theme={theme} active={formActive} service={service} />);
  const say = placeholder(view);
  if (say || (view.kind !== 'watch' && view.kind !== 'inflight' && !needsLoad(view))) {
    if (say) out.push(<Placeholder key="ph" text={say.text} tone={say.tone} theme={theme} width={width} />);
    return <>{out}</>;
  }
  if (body.pinned) {
    const t = body.pinned.table ?? 0;
    out.push(<LineRow key="pinned" line={body.pinned} columns={body.tables[t]} widths={laid[t]} width={width} theme={theme} offset={view.x} virtual={virtual} />);
  }
  if (body.rows.length === 0) {
    const empty = view.kind === 'watch' ? (view.filter ? 'no rows match the filter' : 'waiting for events…') : (body.empty ?? (view.filter ? 'no rows match the filter' : 'nothing here'));
    out.push(<Placeholder key="ph" text={empty} tone="dim" theme={theme} width={width} />);
    return <>{out}</>;
  }
  // Wrapped rows take several lines; rows stop when the list's lines are used up.
  const wrapAll = view.wrap && view.kind === 'show';
  let used = 0;
  for (let i = windowTop; i < body.rows.length && used < listHeight; i++) {
    const line = body.rows.line(i)!;
    const t = line.table ?? 0;
    const selected = i === cursor && !formActive;
    if (view.wrap && (selected || wrapAll)) {
      const parts = wrapText(lineText(line, body.tables[t], wide[t], virtual), width).slice(0, listHeight - used);
      parts.forEach((p, k) => {
        out.push(
          <Text key={`${i - windowTop}.${k}`} inverse={selected} color={line.tone ? theme.color(line.tone) : undefined}>
            {fit(p, width)}
          </Text>,
        );
      });
      used += parts.length;
      continue;
    }
    const marked = line.target?.eventId !== undefined && marks.includes(line.target.eventId);
    out.push(<LineRow key={i - windowTop} line={line} columns={body.tables[t]} widths={laid[t]} width={width} selected={selected} marked={marked} highlight={view.highlight || undefined} theme={theme} offset={view.x} virtual={virtual} />);
    used++;
  }
  return <>{out}</>;
}
