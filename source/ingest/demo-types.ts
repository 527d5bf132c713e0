// The public shapes of the demo generator (re-exported by demo-generator.ts).

/** One notification as it would arrive from a deployment's broker. */
export interface Envelope {
  deployment: string;
  exchange: 'nova' | 'glance';
  routing_key: string;
  body: Record<string, unknown>;
}

export interface DemoOptions {
  /** Deterministic output for a given seed (default 1). */
  seed?: number;
  /** Simulated clock start, µs since epoch UTC (default: 2026-01-01T00:00:00Z). */
  startMicros?: number;
  /** Notifications per simulated second (default 100); the clock advances ~1/rate s per notification on average. */
  rate?: number;
  /** Default ['region-1.cell-a', 'region-1.cell-b', 'region-2.cell-a']. */
  deployments?: string[];
}

export const DEFAULT_START_MICROS = Date.UTC(2026, 0, 1) * 1000;
export const DEFAULT_DEPLOYMENTS: readonly string[] = ['region-1.cell-a', 'region-1.cell-b', 'region-2.cell-a'];
