// The image_type bitmask (docs/ingest.md §2.4). Matches are exact and case-sensitive.
export const BASE_IMAGE = 0x1;
export const SNAPSHOT_IMAGE = 0x2;
export const IMPORT_IMAGE = 0x3;
export const LINUX = 0x10;
export const WINDOWS = 0x20;
export const FREEBSD = 0x40;
export const UBUNTU = 0x100;
export const DEBIAN = 0x200;
export const CENTOS = 0x400;
export const RHEL = 0x800;

const IMAGE_TYPES: Record<string, number> = {base: BASE_IMAGE, snapshot: SNAPSHOT_IMAGE, import: IMPORT_IMAGE};
const OS_TYPES: Record<string, number> = {linux: LINUX, windows: WINDOWS, freebsd: FREEBSD};
const DISTROS: Record<string, number> = {ubuntu: UBUNTU, debian: DEBIAN, centos: CENTOS, rhel: RHEL};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bit(table: Record<string, number>, value: unknown): number {
  return typeof value === 'string' && Object.hasOwn(table, value) ? table[value]! : 0;
}

/**
 * Bits from payload.image_meta, with os_type falling back to the payload only when the meta
 * lacks the key. A non-object image_meta counts as {} (Python would crash on it).
 */
export function imageTypeBits(payload: Record<string, unknown>): number {
  const meta = isObject(payload.image_meta) ? payload.image_meta : {};
  const osType = Object.hasOwn(meta, 'os_type') ? meta.os_type : payload.os_type;
  return bit(IMAGE_TYPES, meta.image_type) | bit(OS_TYPES, osType) | bit(DISTROS, meta.os_distro);
}
