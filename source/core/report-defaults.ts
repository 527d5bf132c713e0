// The summary report's defaults, apart from its arithmetic (report-math.ts) so that the command
// registry can show them in `stacky report summary --help` without loading the rest.
export const DEFAULT_PERCENTILE = 97;
export const DEFAULT_TOO_LONG = 1800;
export const DEFAULT_HOURS = 24;
