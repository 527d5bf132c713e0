// Codecs 2 and 3 of the raw JSON (deflate-raw-keyframe-2 and -3): no longer written, still read,
// so that a database written by an earlier Stacky opens as it is. See json-codec.ts for codec 4.
import {inflateRawSync} from 'node:zlib';
import {SAMPLE_NOTIFICATIONS} from './json-samples.js';

// Never change this text: stored rows can only be inflated with the exact dictionary they were
// deflated with (codec 2's; codec 3 extends it).
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

/** Codec 3's static dictionary: codec 2's, then whole sample notifications. */
export const DICTIONARY_3 = Buffer.concat([DICTIONARY, Buffer.from(SAMPLE_NOTIFICATIONS.join(''), 'utf8')]);

/** Leading byte of a stored blob: standalone (static dictionary) or referring to a keyframe row. */
export const STATIC_2 = 1;
export const REFERENCED_2 = 2;
export const STATIC_3 = 3;
export const REFERENCED_3 = 4;
export const MAX_DICTIONARY = 32 * 1024;

/** A standalone deflated blob's text as UTF-8; undefined if the blob is not one. */
export function inflateStatic(buf: Buffer): Buffer | undefined {
  if (buf[0] === STATIC_3) return inflateRawSync(buf.subarray(1), {dictionary: DICTIONARY_3});
  if (buf[0] === STATIC_2) return inflateRawSync(buf.subarray(1), {dictionary: DICTIONARY});
  return undefined;
}

/**
 * A referenced deflated blob's text, given its keyframe's text as UTF-8. Codec 3 deflated against the
 * keyframe's last 32 KiB alone; codec 2 against the static dictionary followed by the keyframe.
 */
export function inflateReferenced(buf: Buffer, keyframe: Buffer): string {
  const own = buf[0] === REFERENCED_3 ? keyframe : Buffer.concat([DICTIONARY, keyframe]);
  const dictionary = own.length > MAX_DICTIONARY ? own.subarray(own.length - MAX_DICTIONARY) : own;
  return inflateRawSync(buf.subarray(7), {dictionary}).toString('utf8');
}
