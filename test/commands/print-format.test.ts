// Pure parts of the print commands: tables, CSV, time arguments, argument parsing, watch lines.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {UsageError} from '../../source/commands/args.js';
import {printArgs, type PrintArgs} from '../../source/commands/print/args.js';
import {findSpec} from '../../source/commands/print/specs.js';
import {parseCommand} from '../../source/commands/spec.js';
import {csvField, renderCsv} from '../../source/commands/print/csv.js';
import {reportRange} from '../../source/commands/print/handlers.js';
import {columnRule, layoutColumns} from '../../source/commands/print/columns.js';
import {createOutput, emitTable, flushJson, tableWidth} from '../../source/commands/print/output.js';
import {center, cellText, renderTable, truncate} from '../../source/commands/print/table.js';
import {formatMonthDayTime, formatUtc, formatWeekdayDate, utcMidnight} from '../../source/commands/print/time.js';
import {epochArgString} from '../../source/core/time.js';
import {watchCells, watchColumns, watchHeader, watchLine, watchTarget} from '../../source/commands/print/watch.js';
import {defaultSettings} from '../../source/commands/settings.js';

/** A print command's argv, name first, as `stacky` parses it. */
function parsePrintArgs([name, ...rest]: string[]): PrintArgs {
  const spec = findSpec(name!)!;
  return printArgs(spec, parseCommand(spec, rest));
}

describe('table', () => {
  it('centres like PrettyTable: odd spare space goes right for odd-length text, left for even', () => {
    assert.equal(center('#', 10), '    #     ');
    assert.equal(center('2014-01-16', 15), '   2014-01-16  ');
    assert.equal(center('ab', 5), '  ab ');
    assert.equal(center('abc', 6), ' abc  ');
    assert.equal(center('abcd', 4), 'abcd');
  });

  it('shows JSON values the way the Python client did', () => {
    assert.equal(cellText(null), 'None');
    assert.equal(cellText(true), 'True');
    assert.equal(cellText(12), '12');
    assert.equal(cellText(' '), ' ');
    assert.equal(cellText(['a']), '["a"]');
  });

  it('renders a framed table with every cell centred', () => {
    const text = renderTable(['#', 'Name'], [[1, 'region-1'], [12, 'r2']]);
    assert.equal(text, [
      '+----+----------+',
      '| #  |   Name   |',
      '+----+----------+',
      '| 1  | region-1 |',
      '| 12 |    r2    |',
      '+----+----------+',
      '',
    ].join('\n'));
  });

  it('splits multi-line cells over several lines', () => {
    const text = renderTable(['E', 'M'], [['Bad', 'one\ntwo!']]);
    assert.equal(text.split('\n')[3], '| Bad | one  |');
    assert.equal(text.split('\n')[4], '|     | two! |');
  });

  const nova = ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'State', "State'", "Task'"];
  const novaRows = [
    [40065879, ' ', '2014-01-14 15:39:00', 'region-1.example.com', 'compute.instance.update', 'compute-0042', 'building', null, null],
    [40065880, 'E', '2014-01-14 15:39:10.250000', 'region-1.example.com', 'compute.instance.create.error', 'compute-0042', 'error', 'building', 'spawning'],
  ];

  it('leaves out the lowest-priority columns at 80 columns, cutting no id, event name or time', () => {
    assert.equal(renderTable(nova, novaRows, {maxWidth: 80}), [
      '+----------+---+----------------------------+-------------------------------+',
      '|    #     | ? |            When            |             Event             |',
      '+----------+---+----------------------------+-------------------------------+',
      '| 40065879 |   |    2014-01-14 15:39:00     |    compute.instance.update    |',
      '| 40065880 | E | 2014-01-14 15:39:10.250000 | compute.instance.create.error |',
      '+----------+---+----------------------------+-------------------------------+',
      '',
    ].join('\n'));
    assert.equal(renderTable(nova, novaRows.map((r) => [1, ...r.slice(1)]), {maxWidth: 100}), [
      '+---+---+----------------------------+--------------+-------------------------------+--------------+',
      '| # | ? |            When            |  Deployment  |             Event             |     Host     |',
      '+---+---+----------------------------+--------------+-------------------------------+--------------+',
      '| 1 |   |    2014-01-14 15:39:00     | region-1.ex… |    compute.instance.update    | compute-0042 |',
      '| 1 | E | 2014-01-14 15:39:10.250000 | region-1.ex… | compute.instance.create.error | compute-0042 |',
      '+---+---+----------------------------+--------------+-------------------------------+--------------+',
      '',
    ].join('\n'));
  });

  it('lets a table be wider than the limit rather than cut the columns that identify a row', () => {
    const text = renderTable(nova, novaRows, {maxWidth: 40});
    assert.equal(text.split('\n')[1], '|    #     |            When            |             Event             |');
    assert.equal(text.split('\n')[4], '| 40065880 | 2014-01-14 15:39:10.250000 | compute.instance.create.error |');
    const timings = renderTable(['compute.instance.create', 'Time'], [['2222bbbb-6352-4dbc-8271-96cc54bf14cd', '0d 00:00:55.50']], {maxWidth: 40});
    assert.equal(timings.split('\n')[3], '| 2222bbbb-6352-4dbc-8271-96cc54bf14cd | 0d 00:00:55.50 |');
  });

  it('shows free text whole when it fits, else cuts it to the room left (10 characters at least)', () => {
    const header = ['Id', 'Start', 'End', 'Created', 'Name', 'Version'];
    const row = [5975, 'Jan 18 00:00', 'Jan 19 00:00', 'Tue Jan 14', 'summary for region: region-1 (hourly)', 4];
    assert.equal(renderTable(header, [row], {maxWidth: 80}), [
      '+------+--------------+--------------+---------------------------------------+',
      '|  Id  |    Start     |     End      |                  Name                 |',
      '+------+--------------+--------------+---------------------------------------+',
      '| 5975 | Jan 18 00:00 | Jan 19 00:00 | summary for region: region-1 (hourly) |',
      '+------+--------------+--------------+---------------------------------------+',
      '',
    ].join('\n'));
    assert.deepEqual(layoutColumns(header.map(columnRule), [4, 12, 12, 10, 37, 7], [2, 5, 3, 7, 4, 7], 50, 3, 1), [
      {index: 0, width: 4, cut: false}, {index: 1, width: 12, cut: false}, {index: 4, width: 24, cut: true},
    ]);
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('abc', 4), 'abc');
  });

  it('never cuts when there is no limit', () => {
    const long = 'x'.repeat(500);
    assert.ok(renderTable(['A'], [[long]]).includes(long));
  });
});

describe('csv', () => {
  it('quotes only when needed and leaves null empty', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(' '), ' ');
    assert.equal(renderCsv([["#", "State'"], [1, null]]), "#,State'\n1,\n");
  });
});

describe('time', () => {
  it('turns epoch seconds and UTC date-times into decimal epoch strings', () => {
    assert.equal(epochArgString('1389892207'), '1389892207');
    assert.equal(epochArgString('1389892207.5'), '1389892207.500000');
    assert.equal(epochArgString('2014-01-16 17:10:07'), '1389892207');
    assert.equal(epochArgString('2014-01-16T17:10:07.25'), '1389892207.250000');
    assert.equal(epochArgString('2014-01-01'), '1388534400');
    assert.equal(epochArgString('2014-01-14 00:00'), '1389657600');
    assert.equal(epochArgString('2014-02-30 00:00:00'), undefined);
    assert.equal(epochArgString('yesterday'), undefined);
    assert.equal(epochArgString('2014-01-16 25:00:00'), undefined);
  });

  it("formats report cells like the original's strftime calls", () => {
    assert.equal(formatMonthDayTime(1389726000.0), 'Jan 14 19:00');
    assert.equal(formatWeekdayDate(1389726000), 'Tue Jan 14');
    assert.equal(formatMonthDayTime('n/a'), 'n/a');
    assert.equal(formatUtc(1389892207), '2014-01-16 17:10:07');
    assert.equal(utcMidnight(Date.UTC(2014, 0, 16, 17, 10)), 1389830400);
  });

  it('reads reports ranges as two words or one', () => {
    assert.deepEqual(reportRange(['2014-01-14', '00:00', '2014-01-15', '12:30']), ['2014-01-14 00:00', '2014-01-15 12:30']);
    assert.deepEqual(reportRange(['2014-01-14 00:00']), ['2014-01-14 00:00']);
    assert.deepEqual(reportRange([]), []);
  });
});

describe('arguments', () => {
  it('reads flags anywhere among the positionals', () => {
    const args = parsePrintArgs(['search', 'nova', '--limit', '5', 'host', 'c-01', '--when-min', '2014-01-01', '--csv']);
    assert.deepEqual(args.positionals, ['nova', 'host', 'c-01']);
    assert.equal(args.limit, 5);
    assert.equal(args.whenMin, '1388534400');
    assert.equal(args.csv, true);
  });

  it('refuses flags a command does not take, bad values and unknown flags', () => {
    assert.throws(() => parsePrintArgs(['deployments', '--limit', '3']), new UsageError('unknown flag --limit'));
    assert.throws(() => parsePrintArgs(['uuid', 'x', '--limit', 'lots']), /^UsageError: --limit must be a whole number >= 0, got 'lots'$/);
    assert.throws(() => parsePrintArgs(['uuid', 'x', '--when-min', 'soon']), /--when-min must be epoch seconds/);
    assert.throws(() => parsePrintArgs(['hosts', '--service', 'all']), /^UsageError: --service must be one of nova, glance, generic, got 'all'$/);
    assert.throws(() => parsePrintArgs(['hosts', '--bogus']), /^UsageError: unknown flag --bogus$/);
    assert.throws(() => parsePrintArgs(['hosts', '--json', '--csv']), /use only one of --json, --jsonl and --csv/);
    assert.equal(parsePrintArgs(['events', '--service', 'all']).service, 'all');
    assert.throws(() => parsePrintArgs(['hosts', '--wide', '--width', '80']), /either --wide or --width N/);
    assert.throws(() => parsePrintArgs(['uuid', 'x', '--jsonl']), /^UsageError: unknown flag --jsonl$/);
    assert.throws(() => parsePrintArgs(['watch', '--json']), /watch streams one JSON document per poll: use --jsonl/);
    assert.throws(() => parsePrintArgs(['watch', '--jsonl', '--csv']), /use only one of --json, --jsonl and --csv/);
    assert.equal(parsePrintArgs(['hosts', '--wide']).wide, true);
  });

  it('takes the watch arguments positionally, with settings as defaults', () => {
    const settings = {...defaultSettings, deployment: 'region-1', pollSeconds: 5};
    assert.deepEqual(watchTarget({args: parsePrintArgs(['watch']), settings}),
      {deployment: 'region-1', service: 'nova', eventName: '', pollSeconds: 5});
    assert.deepEqual(watchTarget({args: parsePrintArgs(['watch', '1', 'glance', 'image.upload', '0.5']), settings}),
      {deployment: '1', service: 'glance', eventName: 'image.upload', pollSeconds: 0.5});
    assert.throws(() => watchTarget({args: parsePrintArgs(['watch', 'all', 'swift']), settings}), /service must be/);
    assert.throws(() => watchTarget({args: parsePrintArgs(['watch', 'all', 'nova', '', 'x']), settings}), /poll seconds/);
  });
});

describe('watch lines', () => {
  it('match the original client byte for byte', () => {
    const widths = watchColumns([10, 1, 15, 20, 31, 36], undefined);
    const text = watchHeader(widths, '2014-01-16')
      + watchLine(watchCells([101, ' ', '2014-01-16', '17:10:05.250000', 'region-1', 'compute.instance.update', '8eba1a6d-43eb-1343-8d1a-5e596f5233b5']), widths)
      + watchLine(watchCells([102, 'E', '2014-01-16', '17:10:06.000001', 'region-2', 'compute.instance.create.error', '-']), widths);
    assert.equal(text, [
      '+----------+-+---------------+--------------------+-------------------------------+------------------------------------+',
      '|    #     |?|   2014-01-16  |     Deployment     |             Event             |                UUID                |',
      '+----------+-+---------------+--------------------+-------------------------------+------------------------------------+',
      '|   101    | |17:10:05.250000|      region-1      |    compute.instance.update    |8eba1a6d-43eb-1343-8d1a-5e596f5233b5|',
      '|   102    |E|17:10:06.000001|      region-2      | compute.instance.create.error |                 -                  |',
      '',
    ].join('\n'));
  });

  it('fit 80 columns by leaving out the UUID and narrowing the deployment, never cutting an event name', () => {
    const columns = watchColumns([10, 1, 15, 20, 29, 36], 80);
    const text = watchHeader(columns, '2014-01-16')
      + watchLine(watchCells([101, ' ', '2014-01-16', '17:10:05.250000', 'region-1', 'compute.instance.update', '8eba1a6d-43eb-1343-8d1a-5e596f5233b5']), columns)
      + watchLine(watchCells([102, 'E', '2014-01-16', '17:10:06.000001', 'a-very-long-region-name', 'compute.instance.create.error', '-']), columns)
      + watchLine(watchCells([103, ' ', '2014-01-16', '17:10:07', 'r', 'image.activate.with.a.long.name', '-']), columns);
    assert.equal(text, [
      '+----------+-+---------------+-------------------+-----------------------------+',
      '|    #     |?|   2014-01-16  |     Deployment    |            Event            |',
      '+----------+-+---------------+-------------------+-----------------------------+',
      '|   101    | |17:10:05.250000|      region-1     |   compute.instance.update   |',
      '|   102    |E|17:10:06.000001|a-very-long-region…|compute.instance.create.error|',
      '|   103    | |    17:10:07   |         r         |image.activate.with.a.long.name|',
      '',
    ].join('\n'));
    assert.deepEqual(watchColumns([10, 1, 15, 20, 29, 36], 100).map((c) => c.index), [0, 1, 2, 4, 5]);
  });
});

describe('output', () => {
  function capture(mode: 'table' | 'csv' | 'json') {
    let text = '';
    const out = createOutput(mode, undefined, {stdout: {write: (s: string) => (text += s)}, stderr: {write: () => true}});
    return {out, text: () => text};
  }

  it("prints nothing for [], 'No results' for a header alone, the empty message when given", () => {
    const a = capture('table');
    emitTable(a.out, []);
    emitTable(a.out, [['#', 'Name']]);
    emitTable(a.out, [], {emptyMessage: 'Event with host x not found'});
    assert.equal(a.text(), 'No results\nEvent with host x not found\n');
  });

  it('prints raw replies verbatim in --json mode and rows in --csv mode', () => {
    const j = capture('json');
    j.out.raw.push('[["#", "Name"], [1, "a"]]');
    emitTable(j.out, [['#', 'Name'], [1, 'a']]);
    assert.equal(j.text(), '[["#", "Name"], [1, "a"]]\n');
    const c = capture('csv');
    emitTable(c.out, [['#', 'Name']]);
    assert.equal(c.text(), '#,Name\n');
  });

  it('prints one document: the reply unchanged, or an object keyed by reply', () => {
    const one = capture('json');
    one.out.raw.push('[["Host Name"], ["c-01"]]\n');
    flushJson(one.out);
    assert.equal(one.text(), '[["Host Name"], ["c-01"]]\n');
    const two = capture('json');
    two.out.raw.push('[["#", "?"]]', '[["?", "Event", "Time (secs)"]]\n');
    flushJson(two.out, ['events', 'timings']);
    flushJson(two.out, ['event', 'related']);
    assert.equal(two.text(), '{"events": [["#", "?"]], "timings": [["?", "Event", "Time (secs)"]]}\n{"event": null, "related": null}\n');
  });

  it('uses the terminal width on a terminal, no limit when piped, --width when given', () => {
    assert.equal(tableWidth(undefined, {write: () => true, isTTY: true, columns: 100}), 100);
    assert.equal(tableWidth(undefined, {write: () => true, isTTY: true}), 80);
    assert.equal(tableWidth(undefined, {write: () => true}), undefined);
    assert.equal(tableWidth(60, {write: () => true}), 60);
    assert.equal(tableWidth(0, {write: () => true, isTTY: true, columns: 100}), undefined);
  });
});
