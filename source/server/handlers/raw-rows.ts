// The per-service result rows shared by uuid, request and search (docs/api.md §1.7).
import type {Service} from '../../core/types.js';
import type {RawRow} from '../../store/types.js';
import {whenString} from '../../core/time.js';
import {errorFlag} from '../../core/notification.js';

export const HEADERS: Record<Service, string[]> = {
  nova: ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'State', "State'", "Task'"],
  glance: ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'Status'],
  generic: ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'Instance', 'Request id'],
};

export function resultRow(r: RawRow): unknown[] {
  return [r.id, errorFlag(r.routing_key), whenString(r.when), r.deployment, r.event, r.host, ...r.tail];
}
