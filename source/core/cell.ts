// Values bound for text columns, as StackTach's Python wrote them.
import {pyFloatStr} from './duration.js';
import type {Cell} from './types.js';

/** A value bound for a text column: booleans as Python prints them, containers as JSON. */
export function toCell(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  // Text columns hold Python's str() of a number: 5 → '5', 5.5 → '5.5' (SQLite would write '5.0').
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatStr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return JSON.stringify(v) ?? String(v);
}
