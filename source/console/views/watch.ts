// The watch view (pane 1): the live tail. Its rows come from the tail's ring buffer
// (watch-rows.ts), not from a fetch of its own.
import type {WatchView} from '../views.js';
import {loadsNothing, noLines, type ViewDef} from './def.js';

export const watchView: ViewDef<WatchView> = {
  pane: 'watch',
  scopes: ['watch', 'event', 'list', 'global'],
  label: () => 'watch',
  needsLoad: () => false,
  fetch: loadsNothing,
  listing: noLines,
  open: (t) => (t.uuid ? {kind: 'instance'} : {kind: 'show'}),
};
