// Ingest's derive rules, as the pipeline hands them to a store (source/ingest/pipeline.ts).
import type {Derive} from '../../../source/store/types.js';
import {aggregateLifecycle} from '../../../source/ingest/lifecycle.js';
import {aggregateUsage} from '../../../source/ingest/usage.js';
import {aggregateGlanceUsage} from '../../../source/ingest/glance-usage.js';
import {legacyEventOf} from '../../../source/core/nova-versioned.js';

export const derive: Derive = (t, rawId, n) => {
  if (n.kind === 'nova') {
    aggregateLifecycle(t.derived as never, rawId, n);
    return aggregateUsage(t.usage as never, rawId, n.event.startsWith('instance.') ? {...n, event: legacyEventOf(n.event)} : n);
  }
  if (n.kind === 'glance') return aggregateGlanceUsage(t.usage as never, rawId, n);
  return undefined;
};
