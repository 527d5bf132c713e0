// aggregate_lifecycle: Lifecycle, Timing and RequestTracker for one nova raw (docs/ingest.md §3.3–3.5).
import type {DerivedStatements} from '../store/types.js';
import type {NovaFields} from '../core/types.js';
import {splitEvent} from '../core/notification.js';

/** The API's update opens a request's KPI tracker: legacy `compute.instance.update` from `api.*`, or versioned `instance.update` from `nova-api:*`. */
const UPDATES = new Set(['compute.instance.update', 'instance.update']);

export function aggregateLifecycle(w: DerivedStatements, rawId: number, n: NovaFields): void {
  if (!n.instance) return;
  const found = w.findLifecycle.get(n.instance);
  let lifecycleId: number;
  if (found) {
    lifecycleId = found.id;
    // last_task_state takes the *old* task state, as StackTach does.
    w.updateLifecycle.run(n.state, n.oldTask, rawId, lifecycleId);
  } else {
    lifecycleId = Number(w.createLifecycle.run(n.instance, n.state, n.oldTask, rawId).lastInsertRowid);
  }

  const {name, step} = splitEvent(n.event);
  if (step === 'start') {
    w.startTiming.run(name, lifecycleId, rawId, n.when);
  } else if (step === 'end') {
    const open = w.findOpenTiming.get(lifecycleId, name);
    if (!open) {
      w.createEndTiming.run(name, lifecycleId, rawId, n.when);
      return;
    }
    const diff = open.start_when === null ? null : n.when - open.start_when;
    w.endTiming.run(rawId, n.when, diff, open.id);
    if (diff !== null) updateKpi(w, open.id, n);
  } else if (UPDATES.has(n.event) && n.service.includes('api') && n.requestId !== null) {
    w.createTracker.run(n.requestId, lifecycleId, n.when);
  }
}

function updateKpi(w: DerivedStatements, timingId: number, n: NovaFields): void {
  const tracker = w.firstTracker.get(n.requestId);
  if (tracker) w.updateTracker.run(timingId, n.when - tracker.start, tracker.id);
}
