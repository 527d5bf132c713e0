// What a view kind declares (one file per kind under views/, gathered in registry.ts): its
// pane, breadcrumb label, key scopes, whether and how it fetches, how its reply becomes lines,
// and what Enter on one of its rows opens.
import type {ConsoleSource} from '../data-source.js';
import type {Scope} from '../keymap.js';
import type {Command} from '../commands.js';
import type {DataOf, Listing, Pane, Target, View, ViewInit} from '../views.js';

/** What Enter on a row asks the app to do. */
export type Intent =
  | {kind: 'push'; view: ViewInit}
  | {kind: 'instance'}
  | {kind: 'show'}
  | {kind: 'watch'; command: Command}
  | {kind: 'status'; text: string};

export interface ViewDef<V extends View> {
  /** The tab it lives under (a raw event belongs to none). */
  pane?: Pane;
  /** Key scopes, most specific first (keymap.ts). */
  scopes: Scope[];
  label(v: V): string;
  /** What it shows (a uuid, an id): opening the same thing on top of itself stacks nothing. */
  identity?(v: V): string;
  needsLoad(v: V): boolean;
  fetch(v: V, source: ConsoleSource): Promise<DataOf<V>>;
  listing(v: V, data: DataOf<V>): Listing;
  /** What the pane says when the view has nothing to load yet (an instance pane opened empty). */
  idle?(v: V): string;
  /** A part of the status line once loaded (the search's page, the report's sort). */
  status?(v: V, data: DataOf<V>): string | undefined;
  /** Enter on a row of `v` whose target is `t`. */
  open(t: Target, v: V): Intent;
}

export const eventScopes: Scope[] = ['event', 'list', 'global'];

export const showOrSay = (t: Target): Intent =>
  t.eventId !== undefined ? {kind: 'show'} : {kind: 'status', text: 'timing rows have no drill-down; Enter on an event row shows it'};

/** The fetch of a view that loads nothing (needsLoad is always false for it). */
export const loadsNothing = (): Promise<never> => Promise.reject(new Error('this view loads nothing'));
export const noLines = (): Listing => ({tables: [], lines: []});
