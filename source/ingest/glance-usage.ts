// aggregate_glance_usage: ImageUsage, ImageDeletes and ImageExists (docs/ingest.md §3.8).
import type {UsageStatements} from '../store/types.js';
import type {GlanceFields} from '../core/types.js';
import {parseNotificationTime} from '../core/time.js';
import {truthy} from '../core/python.js';
import {toCell} from '../core/cell.js';


export function aggregateGlanceUsage(w: UsageStatements, rawId: number, g: GlanceFields): string | undefined {
  if (g.event === 'image.activate') {
    if (g.createdAt === null) throw new Error(`image.activate without created_at. GlanceRawData(${rawId})`);
    if (g.size === null) throw new Error(`image.activate without size. GlanceRawData(${rawId})`);
    w.insertImageUsage.run(g.uuid, g.createdAt, g.owner, g.size, rawId);
  } else if (g.event === 'image.delete') {
    w.insertImageDelete.run(g.uuid, g.deletedAt, rawId);
  } else if (g.event === 'image.exists') {
    return imageExists(w, rawId, g);
  }
  return undefined;
}

function imageExists(w: UsageStatements, rawId: number, g: GlanceFields): string | undefined {
  const payload = g.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return `Received exists with invalid payload GlanceRawData(${rawId})`;
  }
  const p = payload as Record<string, unknown>;
  const images = Array.isArray(p.images) ? (p.images as unknown[]) : [];
  const skipped: string[] = [];
  for (const entry of images) {
    const image = (entry ?? {}) as Record<string, unknown>;
    for (const key of ['created_at', 'id', 'size', 'deleted_at']) {
      if (!(key in image)) throw new Error(`image.exists image lacks '${key}'. GlanceRawData(${rawId})`);
    }
    if (!truthy(image.created_at)) {
      skipped.push(`Ignoring exists without created_at. GlanceRawData(${rawId})`);
      continue;
    }
    const uuid = toCell(image.id);
    const deleted = truthy(image.deleted_at);
    w.insertImageExists.run({
      uuid, createdAt: parseNotificationTime(image.created_at),
      deletedAt: deleted ? parseNotificationTime(image.deleted_at) : null,
      auditPeriodBeginning: truthy(p.audit_period_beginning) ? parseNotificationTime(p.audit_period_beginning) : null,
      auditPeriodEnding: truthy(p.audit_period_ending) ? parseNotificationTime(p.audit_period_ending) : null,
      owner: toCell(p.owner), size: toCell(image.size), rawId, messageId: g.messageId,
      usageId: w.firstImageUsage.get(uuid)?.id ?? null,
      deleteId: deleted ? (w.firstImageDelete.get(uuid)?.id ?? null) : null,
    });
  }
  return skipped[0];
}
