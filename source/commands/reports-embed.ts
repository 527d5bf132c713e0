// `stacky serve --reports hourly`: the hourly summary report inside the server process.
import type {Db} from '../store/database.js';
import {startHourlyReports} from '../reports/scheduler.js';

export function startHourly(db: Db): () => void {
  const handle = startHourlyReports(db, {log: (line) => process.stderr.write(`${line}\n`)});
  return () => handle.stop();
}
