// `stacky serve --reports hourly`: the hourly summary report inside the server process.
import type {ReportSource} from '../store/api.js';
import {startHourlyReports} from '../reports/scheduler.js';

export function startHourly(source: ReportSource): () => void {
  const handle = startHourlyReports(source, {log: (line) => process.stderr.write(`${line}\n`)});
  return () => handle.stop();
}
