// GET /healthz: 200 "ok" when the store can take writes and, with a worker, every consumer
// is consuming with fewer than maxLag messages waiting; 503 with the reasons otherwise.
import type {Store} from '../store/api.js';
import type {ConsumerView} from './metrics.js';

export interface HealthOptions {
  store: Pick<Store, 'writeProblem'>;
  /** Free bytes the database's file system must keep (default 100 MiB). */
  minFreeBytes: number;
  consumers?: ConsumerView;
  /** Messages a consumer's queues may hold before it counts as lagging. */
  maxLag: number;
}

export type Health = {ok: boolean; reasons: string[]};

export async function checkHealth(o: HealthOptions): Promise<Health> {
  const reasons: string[] = [];
  const problem = await o.store.writeProblem(o.minFreeBytes);
  if (problem !== null) reasons.push(`database: ${problem}`);
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
