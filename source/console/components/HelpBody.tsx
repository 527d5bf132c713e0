// The `?` screen: the status line whole, then the keys of the current view first.
import React from 'react';
import {Text} from 'ink';
import {clean, truncate} from '../text.js';

export function HelpBody({lines, top, height, width}: {lines: readonly string[]; top: number; height: number; width: number}) {
  const shown = lines.slice(top, top + height);
  return (
    <>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" bold={!l.startsWith(' ') && l !== ''}>
          {truncate(clean(l), width) || ' '}
        </Text>
      ))}
    </>
  );
}
