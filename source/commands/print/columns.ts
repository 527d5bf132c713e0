// Which columns a print table keeps when the terminal is narrow. Ids, event names and times
// are never cut: a column holding them is shown whole or left out, and the columns that
// identify a row are never left out, so a table may end up wider than the terminal. Columns
// are left out lowest priority first, in the console's order (source/console/views.ts).

export interface ColumnRule {
  /** 0 identifies the row and is always shown; higher numbers are left out first. */
  priority: number;
  /** Free text that may be cut (ending in …) down to `cutTo` characters. */
  cut: boolean;
}

/** The narrowest a cut column gets (or its header, when that is wider). */
const cutTo = 10;

const key: ColumnRule = {priority: 0, cut: false};
const whole = (priority: number): ColumnRule => ({priority, cut: false});
const text = (priority: number): ColumnRule => ({priority, cut: true});

/** By header title, for the tables of the stacky API (docs/api.md). */
const rules: Record<string, ColumnRule> = {
  '#': key, When: key, Event: key, 'Event Name': key, Key: key, Value: key, Time: key, 'Time (secs)': key,
  '?': whole(1), UUID: whole(1), Start: whole(1), Name: text(1), N: whole(1),
  Host: whole(2), End: whole(2), 'Launched At': whole(2), Avg: whole(2),
  Deployment: text(3), Instance: whole(3), 'Deleted At': whole(3), Max: whole(3),
  State: whole(4), Status: whole(4), Created: whole(4), Min: whole(4), 'Request id': whole(4),
  "State'": whole(5), "Task'": whole(5), Version: whole(5), 'Instance Type Id': whole(5), 'Instance Flavor Id': whole(5), 'Message ID': whole(5),
};

/**
 * The rule for a column: the first column always identifies its row (the uuid of `timings`,
 * the UUID of `usage`, a report's first column); titles the API does not use (report
 * details) are free text, left out from the right.
 */
export function columnRule(title: string, index: number): ColumnRule {
  if (index === 0) return key;
  return rules[title] ?? text(10 + index);
}

/** A column shown: its index in the row, its width, and whether longer values are cut to it. */
export interface Placed {
  index: number;
  width: number;
  cut: boolean;
}

/**
 * The columns shown and their widths. `natural` holds the widths the values need, `floors`
 * the header widths; a line is `fixed + Σ(width + perColumn)` wide over the columns shown.
 * Without a limit, or when everything fits, every column keeps its natural width (and
 * without a limit nothing is cut). Otherwise the identifying columns come first, then the
 * others best first, each whole if it fits, else cut to the room left if it may be cut, else
 * left out (a narrower one further down may still fit).
 */
export function layoutColumns(rulesOf: readonly ColumnRule[], natural: readonly number[], floors: readonly number[], maxWidth: number | undefined, perColumn: number, fixed: number): Placed[] {
  const limited = maxWidth !== undefined && maxWidth > 0;
  const all = natural.reduce((sum, w) => sum + w + perColumn, fixed);
  const widths: (number | undefined)[] = natural.map((w, i) => (!limited || all <= maxWidth || rulesOf[i]!.priority === 0 ? w : undefined));
  if (limited && all > maxWidth) {
    let used = widths.reduce<number>((sum, w) => sum + (w === undefined ? 0 : w + perColumn), fixed);
    const order = natural.map((_, i) => i).filter((i) => widths[i] === undefined);
    order.sort((a, b) => rulesOf[a]!.priority - rulesOf[b]!.priority || a - b);
    for (const i of order) {
      const room = maxWidth - used - perColumn;
      const least = Math.min(natural[i]!, Math.max(cutTo, floors[i] ?? 0));
      if (room >= natural[i]!) widths[i] = natural[i]!;
      else if (rulesOf[i]!.cut && room >= least) widths[i] = room;
      else continue;
      used += widths[i]! + perColumn;
    }
  }
  const shown: Placed[] = [];
  widths.forEach((width, index) => {
    if (width !== undefined) shown.push({index, width, cut: limited && rulesOf[index]!.cut});
  });
  return shown;
}
