// Raw notification JSON is deflated against a preset dictionary of the keys and values every
// OpenStack notification repeats, which cuts a ~3 KB body to a few hundred bytes on disk.
import {deflateRawSync, inflateRawSync, constants} from 'node:zlib';

// Never change this text: stored rows can only be inflated with the exact dictionary they were
// deflated with. A new dictionary needs a new codec id in stacky_meta.
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

const OPTIONS = {dictionary: DICTIONARY, level: 6, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY};

export const CODEC_ID = 'deflate-raw-dict-1';

export function encodeJson(text: string): Buffer {
  return deflateRawSync(Buffer.from(text, 'utf8'), OPTIONS);
}

export function decodeJson(blob: Buffer | Uint8Array): string {
  return inflateRawSync(blob, {dictionary: DICTIONARY}).toString('utf8');
}
