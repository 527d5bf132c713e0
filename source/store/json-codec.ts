// Raw notification JSON is deflated against a preset dictionary of the keys and values every
// OpenStack notification repeats, which cuts a ~3 KB body to a few hundred bytes on disk.
import {deflateRawSync, inflateRawSync} from 'node:zlib';
import {SAMPLE_NOTIFICATIONS} from './json-samples.js';

// Never change this text: stored rows can only be inflated with the exact dictionary they were
// deflated with. A new dictionary needs a new codec id in stacky_meta (codec 2's; codec 3 extends it).
const DICTIONARY = Buffer.from(
  '"_context_service_catalog": [{"endpoints": [{"adminURL": "http://", "region": "RegionOne", ' +
  '"internalURL": "http://", "publicURL": "http://"}], "endpoints_links": [], "type": "compute", ' +
  '"name": "nova"}, {"type": "image", "name": "glance"}], "_context_auth_token": "", ' +
  '"_context_quota_class": null, "_context_read_deleted": "no", "_context_is_admin": false, ' +
  '"_context_roles": ["admin", "member"], "_context_remote_address": "10.0.0.1", ' +
  '"_context_user_name": "", "_context_project_name": "", "_context_user_id": "", ' +
  '"_context_instance_lock_checked": false, "_context_show_deleted": false, ' +
  '"_context_timestamp": "2026-01-01T00:00:00.000000", "_context_project_id": "", ' +
  '"_context_request_id": "req-", "_context_user": "", "_context_tenant": "", ' +
  '"image_meta": {"min_disk": "20", "container_format": "ovf", "min_ram": "512", ' +
  '"disk_format": "vhd", "base_image_ref": "", "image_type": "base", "os_type": "linux", ' +
  '"os_distro": "ubuntu", "org.openstack__1__architecture": "x64", ' +
  '"org.openstack__1__os_distro": "org.ubuntu", "org.openstack__1__os_version": "12.04", ' +
  '"com.rackspace__1__options": "0", "auto_disk_config": "True"}, ' +
  '"payload": {"state_description": "", "availability_zone": null, "terminated_at": "", ' +
  '"ephemeral_gb": 0, "instance_type_id": 5, "instance_flavor_id": "2", "bandwidth": {"public": ' +
  '{"bw_in": 0, "bw_out": 0}, "private": {"bw_in": 0, "bw_out": 0}}, "deleted_at": "", ' +
  '"reservation_id": "r-", "instance_id": "", "instance_uuid": "", "display_name": "", ' +
  '"hostname": "", "state": "active", "old_state": "building", "old_task_state": null, ' +
  '"new_task_state": null, "launched_at": "", "created_at": "", "memory_mb": 512, "vcpus": 1, ' +
  '"root_gb": 20, "disk_gb": 20, "node": "", "host": "", "user_id": "", "tenant_id": "", ' +
  '"kernel_id": "", "ramdisk_id": "", "architecture": "x64", "image_ref_url": "http://", ' +
  '"instance_type": "512MB Standard Instance", "access_ip_v4": null, "access_ip_v6": null, ' +
  '"metadata": {}, "os_type": "linux", "audit_period_beginning": "", "audit_period_ending": "", ' +
  '"message": "Success", "progress": "", "fixed_ips": []}, "priority": "INFO", ' +
  '"event_type": "compute.instance.update", "compute.instance.create.start", "end", ' +
  '"publisher_id": "compute.", "api.", "scheduler.", "timestamp": "2026-01-01 00:00:00.000000", ' +
  '"message_id": "", ["monitor.info", {', 'utf8');

// Codec 3's static dictionary: codec 2's, then whole sample notifications (nearest the end, where
// zlib's matches are cheapest). Keyframes deflated with it take about half the bytes.
const DICTIONARY_3 = Buffer.concat([DICTIONARY, Buffer.from(SAMPLE_NOTIFICATIONS.join(''), 'utf8')]);

// Level 2: within 2% of level 6's size here, at half its CPU; ingest is CPU-bound.
const LEVEL = 2;
// Leading byte of a stored blob. 1 and 2 are codec 2 (still read); 3 and 4 are written now.
const STATIC_2 = 1;
export const REFERENCED_2 = 2;
const STATIC = 3;
export const REFERENCED = 4;
const MAX_DICTIONARY = 32 * 1024;

export const CODEC_ID = 'deflate-raw-keyframe-3';
/** Codecs whose rows this version still inflates: a database written by them opens as it is. */
export const READABLE_CODECS: readonly string[] = ['deflate-raw-keyframe-2', CODEC_ID];

/** A stored row whose JSON text (or its UTF-8 bytes) serves as the dictionary of later rows. */
export interface Keyframe {
  id: number;
  text: string | Uint8Array;
}

const utf8 = (text: string | Uint8Array): Uint8Array => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

/** Codec 2 deflated against the static dictionary followed by the keyframe. */
function dictionary2For(reference: string): Buffer {
  const both = Buffer.concat([DICTIONARY, Buffer.from(reference, 'utf8')]);
  return both.length > MAX_DICTIONARY ? both.subarray(both.length - MAX_DICTIONARY) : both;
}

/** Codec 3 deflates against the keyframe alone: it holds all the static text that matters. */
function dictionaryFor(reference: string | Uint8Array): Uint8Array {
  const bytes = utf8(reference);
  return bytes.length > MAX_DICTIONARY ? bytes.subarray(bytes.length - MAX_DICTIONARY) : bytes;
}

/**
 * Deflates a raw row's JSON. With a keyframe (an earlier row of the same instance or request)
 * the row is deflated against that row's text: successive notifications of one instance share
 * most of their payload, which cuts them to a few hundred bytes. Keyframes themselves are always
 * deflated against the static dictionary only, so decoding never chains more than one level.
 * The result owns its whole ArrayBuffer, so it can be transferred between threads as it is.
 */
export function encodeJson(text: string | Uint8Array, keyframe?: Keyframe): Uint8Array {
  const data = utf8(text);
  // A 16 KiB window holds a keyframe and its row (~4 KB each) at less set-up than 32 KiB; inflate
  // needs no such setting (its default window is the largest).
  const z = keyframe
    ? deflateRawSync(data, {dictionary: dictionaryFor(keyframe.text), level: LEVEL, windowBits: 14})
    : deflateRawSync(data, {dictionary: DICTIONARY_3, level: LEVEL});
  const head = keyframe ? 7 : 1;
  const out = new Uint8Array(head + z.length);
  out[0] = keyframe ? REFERENCED : STATIC;
  if (keyframe) Buffer.from(out.buffer).writeUIntLE(keyframe.id, 1, 6);
  out.set(z, head);
  return out;
}

/** Writes the keyframe's row id into a referenced blob deflated before that id was known. */
export function setReference(blob: Uint8Array, id: number): void {
  Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).writeUIntLE(id, 1, 6);
}

/** The keyframe row a blob refers to, or null when it stands alone. */
export function referenceOf(blob: Uint8Array): number | null {
  return blob[0] === REFERENCED || blob[0] === REFERENCED_2
    ? Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).readUIntLE(1, 6) : null;
}

/** A standalone blob's text (a keyframe's, or a row without one); undefined if it is not standalone. */
function inflateStatic(buf: Buffer): string | undefined {
  if (buf[0] === STATIC) return inflateRawSync(buf.subarray(1), {dictionary: DICTIONARY_3}).toString('utf8');
  if (buf[0] === STATIC_2) return inflateRawSync(buf.subarray(1), {dictionary: DICTIONARY}).toString('utf8');
  return undefined;
}

/** Inflates a row; `loadKeyframe` returns the stored blob of the referenced row of the same table. */
export function decodeJson(blob: Uint8Array, loadKeyframe: (id: number) => Uint8Array | undefined): string {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const alone = inflateStatic(buf);
  if (alone !== undefined) return alone;
  if (buf[0] !== REFERENCED && buf[0] !== REFERENCED_2) throw new Error(`unknown raw JSON encoding ${buf[0]}`);
  const id = buf.readUIntLE(1, 6);
  const ref = loadKeyframe(id);
  const refText = ref && inflateStatic(Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength));
  if (refText === undefined) throw new Error(`raw JSON refers to row ${id}, which is missing`);
  const dictionary = buf[0] === REFERENCED ? dictionaryFor(refText) : dictionary2For(refText);
  return inflateRawSync(buf.subarray(7), {dictionary}).toString('utf8');
}
