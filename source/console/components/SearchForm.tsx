// The search view's form: field and value, the time range, and a line saying what to do next.
import React from 'react';
import {Text} from 'ink';
import type {StackyService} from '../../client/types.js';
import {keyFor} from '../keymap.js';
import type {Theme} from '../theme.js';
import {pageSize, type SearchView} from '../views.js';
import {needsLoad} from '../views/registry.js';

function Field({label, value, focused, width}: {label: string; value: string; focused: boolean; width: number}) {
  const shown = value.length > width ? `…${value.slice(value.length - width + 1)}` : value.padEnd(width);
  return (
    <Text>
      {` ${label} `}
      <Text inverse={focused} underline={!focused}>
        {shown}
      </Text>
    </Text>
  );
}

export function SearchForm({view, width, theme, active, service}: {view: SearchView; width: number; theme: Theme; active: boolean; service: StackyService}) {
  const s = view.search;
  const w = Math.max(10, Math.floor((width - 20) / 2));
  const at = (i: number) => active && s.focus === i;
  const offset = view.query?.offset ?? 0;
  const info = needsLoad(view)
    ? `results ${offset + 1}–${offset + pageSize} · ${service}${active ? '' : ` · ${keyFor('editSearch')} edits · ${keyFor('nextPage')} next page · ${keyFor('prevPage')} prev page`}`
    : active
      ? 'a field and a value, then Enter · dates: epoch or YYYY-MM-DD HH:MM:SS (UTC)'
      : `${keyFor('editSearch')} opens the search form`;
  return (
    <>
      <Text wrap="truncate">
        <Field label="field   " value={s.field} focused={at(0)} width={w} />
        <Field label="value" value={s.value} focused={at(1)} width={w} />
      </Text>
      <Text wrap="truncate">
        <Field label="when_min" value={s.whenMin} focused={at(2)} width={w} />
        <Field label="max  " value={s.whenMax} focused={at(3)} width={w} />
      </Text>
      <Text wrap="truncate" color={theme.color('dim')}>
        {` ${info}`.slice(0, width)}
      </Text>
    </>
  );
}
