// The public shapes of the demo generator (re-exported by generator.ts).

/** The exchanges the demo publishes on: each service's own control exchange. */
export type DemoExchange = 'nova' | 'glance' | 'cinder' | 'neutron';

/** One notification as it would arrive from a deployment's broker. */
export interface Envelope {
  deployment: string;
  exchange: DemoExchange;
  routing_key: string;
  body: Record<string, unknown>;
}

/**
 * What the stream looks like on the wire:
 * - flat: StackTach's traffic (legacy nova and glance bodies, monitor.* routing keys), unchanged;
 * - enveloped: the flat stream, every body in oslo.messaging's 2.0 envelope, routing keys kept;
 * - versioned: nova's versioned notifications only (versioned_notifications.*), enveloped;
 * - mixed: per request flat, enveloped (notifications.*) or versioned, plus nova's non-instance
 *   versioned events and cinder and neutron events, as a current cloud sends them.
 */
export type DemoShape = 'flat' | 'enveloped' | 'versioned' | 'mixed';
export const DEMO_SHAPES: readonly DemoShape[] = ['flat', 'enveloped', 'versioned', 'mixed'];

export interface DemoOptions {
  /** Deterministic output for a given seed (default 1). */
  seed?: number;
  /** Simulated clock start, µs since epoch UTC (default: 2026-01-01T00:00:00Z). */
  startMicros?: number;
  /** Notifications per simulated second (default 100); the clock advances ~1/rate s per notification on average. */
  rate?: number;
  /** Default ['region-1.cell-a', 'region-1.cell-b', 'region-2.cell-a']. */
  deployments?: string[];
  /** Default 'flat', so that a seed keeps giving the corpus it always gave. */
  shape?: DemoShape;
}

export const DEFAULT_START_MICROS = Date.UTC(2026, 0, 1) * 1000;
export const DEFAULT_DEPLOYMENTS: readonly string[] = ['region-1.cell-a', 'region-1.cell-b', 'region-2.cell-a'];
