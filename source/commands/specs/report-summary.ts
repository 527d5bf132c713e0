// `stacky report summary`: build the "summary for region" report (run: source/commands/report.ts).
// (`stacky report <id>` is a print command: source/commands/print/specs.ts.)
import type {CommandSpec} from '../spec.js';
import {DEFAULT_HOURS, DEFAULT_PERCENTILE, DEFAULT_TOO_LONG} from '../../core/report-defaults.js';
import {dbFlag} from './shared.js';

export const reportSummarySpec = {
  name: 'report summary',
  group: 'server',
  summary: 'Build StackTach\'s "summary for region" report for a time window and print its JSON.',
  details: ['Per operation, image kind and OS type: the min, max, median and percentile request durations, request ' +
    'counts and failure counts and rates. The JSON is row 0 metadata, row 1 headers, then one row per bucket.'],
  flags: {
    ...dbFlag,
    start: {type: 'string', value: 'T', description: 'window start, "YYYY-MM-DD HH:MM:SS" UTC (required); the window is (T, T + N h − 1 s]'},
    hours: {type: 'int', value: 'N', min: 1, default: DEFAULT_HOURS, description: 'window length in hours'},
    percentile: {type: 'int', value: 'P', max: 100, default: DEFAULT_PERCENTILE, description: 'percentile column, 0..100'},
    region: {type: 'string', value: 'R', description: 'only instances updated on deployments whose name contains R'},
    'too-long': {type: 'int', value: 'S', min: 1, default: DEFAULT_TOO_LONG, description: 'a request longer than S seconds is a "> S/60" failure'},
    store: {type: 'boolean', description: 'also save it as a report (see stacky reports, stacky report <id>)'},
  },
  examples: ['stacky report summary --db stacky.db --start "2014-01-14 19:00:00" --store'],
} as const satisfies CommandSpec;
