// The demo generator: a deterministic, simulated StackTach feed. Flows (user requests and
// periodic tasks) start at random times so that the target rate holds; their pending steps
// wait in a priority queue and come out in timestamp order, interleaved across requests,
// hosts and deployments. The shape (types.ts) decides how each notification travels.

import {
  Flow, planAudit, planCreate, planDelete, planImageDelete, planImageExists, planRebuild, planReboot,
  planResize, planSnapshot, planToggle, type FlowProfile,
} from './flows.js';
import {osloEnvelope} from './payloads.js';
import {Rng, cumulate} from './random.js';
import {planNovaObject, planPort, planVolume} from './services.js';
import {
  DEFAULT_DEPLOYMENTS, DEFAULT_START_MICROS, DEMO_SHAPES, type DemoOptions, type DemoShape, type Envelope,
} from './types.js';
import {World, type Deployment} from './world.js';

export type {DemoOptions, DemoShape, Envelope} from './types.js';

type Planner = (w: World, dep: Deployment, t: number) => Flow | null;

/** What a new flow is, weighted per flow started (not per notification): StackTach's traffic. */
const MIX: readonly [Planner, number][] = [
  [planCreate, 34], // ≈35% of user requests (resize and the toggles count twice)
  [planDelete, 19],
  [planResize, 6.9],
  [planSnapshot, 8.6],
  [planRebuild, 4.3],
  [planReboot, 10.3],
  [(w, d, t) => planToggle(w, d, t, 'pause'), 2.6],
  [(w, d, t) => planToggle(w, d, t, 'suspend'), 1.3],
  [(w, d, t) => planToggle(w, d, t, 'power'), 1.7],
  [(w, d, t) => planToggle(w, d, t, 'rescue'), 1.2],
  [planAudit, 9],
  [planImageDelete, 2.5],
  [planImageExists, 2.5],
];

/** Nova's versioned stream has no glance-only flows, and nova's non-instance objects instead. */
const VERSIONED_MIX: readonly [Planner, number][] = [
  ...MIX.filter(([planner]) => planner !== planImageDelete && planner !== planImageExists),
  [planNovaObject, 3],
];

/** Flows whose profile is fixed whatever the draw: the other services and nova's objects. */
const FIXED_PROFILE = new Map<Planner, FlowProfile>([
  [planVolume, 'enveloped'], [planPort, 'enveloped'], [planNovaObject, 'versioned'],
]);

/** A current cloud: StackTach's flows, nova's objects, and a few cinder and neutron flows. */
const MIXED_MIX: readonly [Planner, number][] = [...MIX, [planNovaObject, 3], [planVolume, 4], [planPort, 4]];

/** In the mixed shape, how a nova or glance flow travels (per flow, so its requests stay whole). */
const PROFILES: readonly FlowProfile[] = ['flat', 'enveloped', 'versioned'];
const PROFILES_CUMULATIVE = cumulate([1, 1, 1]);

/** Legacy routing keys of a messagingv2 cloud: the stock topic `notifications`, not StackTach's `monitor`. */
function stockRoutingKey(key: string): string {
  if (!key.startsWith('monitor')) return key;
  return key.endsWith('.error') ? 'notifications.error' : 'notifications.info';
}

/** A first guess of notifications per flow, refined by the flows actually planned. */
const PRIOR_FLOW_SIZE = 9;
const PRIOR_WEIGHT = 50;
/** Rate control: the emitted-count error is damped by this many seconds' worth of notifications. */
const CONTROL_SLACK_SECONDS = 0.25;
const CONTROL_SLACK_MIN = 10;
const MAX_CORRECTION = 8;

/** Min-heap of flows keyed by (time of next step, sequence number). */
class FlowHeap {
  private readonly items: Flow[] = [];

  get length(): number {
    return this.items.length;
  }

  peek(): Flow | undefined {
    return this.items[0];
  }

  push(flow: Flow): void {
    const items = this.items;
    let i = items.push(flow) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (p.time < flow.time || (p.time === flow.time && p.seq < flow.seq)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = flow;
  }

  pop(): Flow | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = items[l]!;
      if (r < n) {
        const rc = items[r]!;
        if (rc.time < child.time || (rc.time === child.time && rc.seq < child.seq)) {
          c = r;
          child = rc;
        }
      }
      if (last.time < child.time || (last.time === child.time && last.seq < child.seq)) break;
      items[i] = child;
      i = c;
    }
    items[i] = last;
    return top;
  }
}

/**
 * An endless, deterministic feed of realistic nova and glance notifications (docs/ingest.md §6),
 * and in the mixed shape cinder and neutron ones too, sent in the chosen shape (types.ts).
 * Same seed and options, same output. Flat envelopes share frozen sub-objects (service
 * catalogs, image_meta, fixed_ips, roles, flavors) for speed: treat them as read-only.
 */
export class DemoGenerator {
  private readonly world: World;
  private readonly rng: Rng;
  private readonly heap = new FlowHeap();
  private readonly shape: DemoShape;
  private readonly mix: readonly [Planner, number][];
  private readonly mixCumulative: number[];
  private readonly rate: number;
  private readonly start: number;
  private clock: number;
  private nextArrival: number;
  private emitted = 0;
  private seq = 0;
  private plannedSteps = PRIOR_FLOW_SIZE * PRIOR_WEIGHT;
  private plannedFlows = PRIOR_WEIGHT;

  constructor(options: DemoOptions = {}) {
    const seed = options.seed ?? 1;
    const start = Math.round(options.startMicros ?? DEFAULT_START_MICROS);
    const rate = options.rate ?? 100;
    const names = options.deployments ?? DEFAULT_DEPLOYMENTS;
    if (!Number.isFinite(seed)) throw new RangeError(`demo: seed must be a finite number, got ${seed}`);
    if (!Number.isFinite(start) || start < 0) throw new RangeError(`demo: startMicros must be a non-negative number, got ${start}`);
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`demo: rate must be a positive number, got ${rate}`);
    if (names.length === 0) throw new RangeError('demo: at least one deployment is needed');
    const shape = options.shape ?? 'flat';
    if (!DEMO_SHAPES.includes(shape)) throw new RangeError(`demo: shape must be one of ${DEMO_SHAPES.join(', ')}, got ${shape}`);
    this.shape = shape;
    this.mix = shape === 'mixed' ? MIXED_MIX : shape === 'versioned' ? VERSIONED_MIX : MIX;
    this.mixCumulative = cumulate(this.mix.map(([, weight]) => weight));
    this.rng = new Rng(seed);
    this.rate = rate;
    this.world = new World(this.rng, names, start);
    this.start = start;
    this.clock = start;
    this.nextArrival = start;
  }

  /** The next notification, in non-decreasing timestamp order. */
  next(): Envelope {
    const heap = this.heap;
    const world = this.world;
    for (;;) {
      for (;;) {
        const top = heap.peek();
        if (top !== undefined && top.time < this.nextArrival) break;
        this.startFlow(this.nextArrival);
        this.nextArrival += Math.max(1, Math.round(this.rng.exp(this.meanGapMicros())));
      }
      const flow = heap.pop()!;
      const t = flow.time;
      world.versioned = flow.profile === 'versioned';
      const raw = flow.steps[flow.index++]!(t);
      if (flow.index < flow.steps.length) {
        flow.time = t + flow.delays[flow.index]!;
        flow.seq = this.seq++;
        heap.push(flow);
      }
      const envelope = raw === null ? null : this.travel(raw, flow.profile);
      if (envelope === null) {
        this.plannedSteps--; // a skipped step does not count towards the rate
        continue;
      }
      this.clock = t;
      this.emitted++;
      return envelope;
    }
  }

  /** The notification as the shape sends it; null when the shape leaves it out. */
  private travel(e: Envelope, profile: FlowProfile): Envelope | null {
    switch (this.shape) {
      case 'flat':
        return e;
      case 'enveloped':
        e.body = osloEnvelope(e.body);
        return e;
      case 'versioned':
        if (e.exchange !== 'nova') return null; // glance has no versioned format
        e.body = osloEnvelope(e.body);
        return e;
      case 'mixed':
        if (profile === 'flat') return e;
        e.routing_key = stockRoutingKey(e.routing_key);
        e.body = osloEnvelope(e.body);
        return e;
    }
  }

  /**
   * Mean time to the next flow start: notifications per flow / rate, corrected by how many
   * notifications the stream owes rate × elapsed (or is ahead of it). The correction follows the
   * owed count itself, not its ratio to the total, so that the debt left by long flows still in
   * progress (their later steps are minutes or hours out) is paid back and the offered rate
   * converges on the rate instead of settling ~8% below it; it also makes the rate hold from the
   * first notification, before long flows have filled the pipeline.
   */
  private meanGapMicros(): number {
    const base = (this.plannedSteps / this.plannedFlows / this.rate) * 1e6;
    const expected = ((this.clock - this.start) * this.rate) / 1e6;
    const slack = Math.max(CONTROL_SLACK_MIN, this.rate * CONTROL_SLACK_SECONDS);
    const owed = expected - this.emitted;
    const correction = owed >= 0 ? slack / (slack + owed) : (slack - owed) / slack;
    return base * Math.min(MAX_CORRECTION, Math.max(1 / MAX_CORRECTION, correction));
  }

  /** The flat and enveloped shapes draw nothing here, so they give the flat stream of a seed. */
  private profileOf(planner: Planner): FlowProfile {
    if (this.shape === 'flat' || this.shape === 'enveloped') return 'flat';
    if (this.shape === 'versioned') return 'versioned';
    return FIXED_PROFILE.get(planner) ?? PROFILES[this.rng.weighted(PROFILES_CUMULATIVE)]!;
  }

  /** The simulated clock: the timestamp (µs since epoch) of the last emitted notification. */
  nowMicros(): number {
    return this.clock;
  }

  private startFlow(t: number): void {
    const w = this.world;
    const dep = w.deployments[this.rng.int(w.deployments.length)]!;
    const planner = this.mix[this.rng.weighted(this.mixCumulative)]![0];
    const profile = this.profileOf(planner);
    w.versioned = profile === 'versioned';
    // A flow that finds nothing to act on (no instance to resize, say) creates one instead.
    const flow = planner(w, dep, t) ?? planCreate(w, dep, t);
    flow.profile = profile;
    this.plannedSteps += flow.size;
    this.plannedFlows++;
    flow.time = t + flow.delays[0]!;
    flow.seq = this.seq++;
    this.heap.push(flow);
  }
}
