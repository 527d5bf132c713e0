// GET /healthz: 200 "ok" when the database can take writes and, with a worker, every consumer
// is consuming with fewer than maxLag messages waiting; 503 with the reasons otherwise.
import {accessSync, constants, statfsSync} from 'node:fs';
import {dirname} from 'node:path';
import type {ConsumerView} from './metrics.js';

export interface HealthOptions {
  dbPath: string;
  /** Free bytes the database's file system must keep (default 100 MiB). */
  minFreeBytes: number;
  consumers?: ConsumerView;
  /** Messages a consumer's queues may hold before it counts as lagging. */
  maxLag: number;
  isOpen: () => boolean;
}

export type Health = {ok: boolean; reasons: string[]};

export function checkHealth(o: HealthOptions): Health {
  const reasons: string[] = [];
  if (!o.isOpen()) reasons.push('database: closed');
  else if (o.dbPath !== ':memory:') {
    try {
      accessSync(o.dbPath, constants.W_OK);
      accessSync(dirname(o.dbPath), constants.W_OK);
      const fs = statfsSync(dirname(o.dbPath));
      const free = fs.bavail * fs.bsize;
      if (free < o.minFreeBytes) reasons.push(`database: only ${free} bytes free on its file system (minimum ${o.minFreeBytes})`);
    } catch (error) {
      reasons.push(`database: not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  if (o.consumers) {
    const depths = o.consumers.depths?.() ?? new Map<string, number>();
    for (const [name, {state}] of o.consumers.states()) {
      if (state !== 'consuming') reasons.push(`consumer ${name}: ${state}`);
      const depth = depths.get(name);
      if (depth !== undefined && depth >= o.maxLag) reasons.push(`consumer ${name}: ${depth} messages waiting (limit ${o.maxLag})`);
    }
  }
  return {ok: reasons.length === 0, reasons};
}
