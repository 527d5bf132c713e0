// Static reference data for the demo generator: flavors, base images, names, fault texts.

export interface Flavor {
  /** nova instance_type_id (integer primary key). */
  id: number;
  /** nova flavorid, reported as instance_flavor_id. */
  flavorid: string;
  name: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  weight: number;
}

export const FLAVORS: readonly Flavor[] = [
  {id: 2, flavorid: '2', name: '512MB Standard Instance', memoryMb: 512, vcpus: 1, rootGb: 20, ephemeralGb: 0, weight: 14},
  {id: 3, flavorid: '3', name: '1GB Standard Instance', memoryMb: 1024, vcpus: 1, rootGb: 40, ephemeralGb: 0, weight: 16},
  {id: 4, flavorid: '4', name: '2GB Standard Instance', memoryMb: 2048, vcpus: 2, rootGb: 80, ephemeralGb: 0, weight: 12},
  {id: 5, flavorid: '5', name: '4GB Standard Instance', memoryMb: 4096, vcpus: 2, rootGb: 160, ephemeralGb: 0, weight: 7},
  {id: 6, flavorid: '6', name: '8GB Standard Instance', memoryMb: 8192, vcpus: 4, rootGb: 320, ephemeralGb: 0, weight: 4},
  {id: 7, flavorid: '7', name: '15GB Standard Instance', memoryMb: 15360, vcpus: 6, rootGb: 620, ephemeralGb: 0, weight: 2},
  {id: 9, flavorid: 'performance1-1', name: '1 GB Performance', memoryMb: 1024, vcpus: 1, rootGb: 20, ephemeralGb: 0, weight: 14},
  {id: 10, flavorid: 'performance1-2', name: '2 GB Performance', memoryMb: 2048, vcpus: 2, rootGb: 40, ephemeralGb: 20, weight: 10},
  {id: 11, flavorid: 'performance1-4', name: '4 GB Performance', memoryMb: 4096, vcpus: 4, rootGb: 40, ephemeralGb: 40, weight: 7},
  {id: 12, flavorid: 'performance1-8', name: '8 GB Performance', memoryMb: 8192, vcpus: 8, rootGb: 40, ephemeralGb: 80, weight: 5},
  {id: 14, flavorid: 'performance2-15', name: '15 GB Performance', memoryMb: 15360, vcpus: 4, rootGb: 40, ephemeralGb: 150, weight: 3},
  {id: 17, flavorid: 'performance2-120', name: '120 GB Performance', memoryMb: 122880, vcpus: 32, rootGb: 40, ephemeralGb: 1200, weight: 1},
];

export interface BaseImageSpec {
  name: string;
  /** image_meta.os_type */
  osType: string;
  /** image_meta.os_distro */
  distro: string;
  /** org.openstack__1__os_distro */
  orgDistro: string;
  /** org.openstack__1__os_version */
  version: string;
  vmMode: string;
  minDisk: number;
  sizeGb: number;
  weight: number;
}

export const BASE_IMAGES: readonly BaseImageSpec[] = [
  {name: 'Ubuntu 12.04 LTS (Precise Pangolin)', osType: 'linux', distro: 'ubuntu', orgDistro: 'org.ubuntu', version: '12.04', vmMode: 'xen', minDisk: 20, sizeGb: 0.6, weight: 12},
  {name: 'Ubuntu 14.04 LTS (Trusty Tahr) (PVHVM)', osType: 'linux', distro: 'ubuntu', orgDistro: 'org.ubuntu', version: '14.04', vmMode: 'hvm', minDisk: 20, sizeGb: 0.7, weight: 20},
  {name: 'Ubuntu 16.04 LTS (Xenial Xerus) (PVHVM)', osType: 'linux', distro: 'ubuntu', orgDistro: 'org.ubuntu', version: '16.04', vmMode: 'hvm', minDisk: 20, sizeGb: 0.8, weight: 14},
  {name: 'Debian 7 (Wheezy) (PVHVM)', osType: 'linux', distro: 'debian', orgDistro: 'org.debian', version: '7', vmMode: 'hvm', minDisk: 20, sizeGb: 0.5, weight: 6},
  {name: 'Debian 8 (Jessie) (PVHVM)', osType: 'linux', distro: 'debian', orgDistro: 'org.debian', version: '8', vmMode: 'hvm', minDisk: 20, sizeGb: 0.6, weight: 6},
  {name: 'CentOS 6.5 (PVHVM)', osType: 'linux', distro: 'centos', orgDistro: 'org.centos', version: '6.5', vmMode: 'hvm', minDisk: 20, sizeGb: 0.9, weight: 9},
  {name: 'CentOS 7 (PVHVM)', osType: 'linux', distro: 'centos', orgDistro: 'org.centos', version: '7', vmMode: 'hvm', minDisk: 20, sizeGb: 1.0, weight: 9},
  {name: 'Red Hat Enterprise Linux 6.5 (PVHVM)', osType: 'linux', distro: 'rhel', orgDistro: 'com.redhat', version: '6.5', vmMode: 'hvm', minDisk: 20, sizeGb: 1.1, weight: 4},
  {name: 'Red Hat Enterprise Linux 7 (PVHVM)', osType: 'linux', distro: 'rhel', orgDistro: 'com.redhat', version: '7', vmMode: 'hvm', minDisk: 20, sizeGb: 1.2, weight: 4},
  {name: 'Fedora 20 (Heisenbug) (PVHVM)', osType: 'linux', distro: 'fedora', orgDistro: 'org.fedoraproject', version: '20', vmMode: 'hvm', minDisk: 20, sizeGb: 0.7, weight: 2},
  {name: 'FreeBSD 10 (PVHVM)', osType: 'freebsd', distro: 'freebsd', orgDistro: 'org.freebsd', version: '10', vmMode: 'hvm', minDisk: 20, sizeGb: 0.8, weight: 2},
  {name: 'Windows Server 2008 R2 SP1', osType: 'windows', distro: 'windows', orgDistro: 'com.microsoft.server', version: '2008.2', vmMode: 'hvm', minDisk: 40, sizeGb: 9.5, weight: 5},
  {name: 'Windows Server 2012 R2', osType: 'windows', distro: 'windows', orgDistro: 'com.microsoft.server', version: '2012.2', vmMode: 'hvm', minDisk: 40, sizeGb: 11.2, weight: 6},
];

export const SERVER_WORDS: readonly string[] = [
  'web', 'db', 'cache', 'worker', 'api', 'lb', 'build', 'ci', 'mq', 'search', 'etl', 'mail', 'vpn',
  'jenkins', 'redis', 'mongo', 'mysql', 'pg', 'kafka', 'es', 'nginx', 'app', 'batch', 'cron',
];

export const ENVIRONMENTS: readonly string[] = ['prod', 'staging', 'dev', 'qa', 'test', 'demo'];

export const USER_NAMES: readonly string[] = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory',
  'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yolanda',
];

export const BUILD_FAULTS: readonly string[] = [
  'Build of instance %s aborted: Failed to allocate the network(s), not rescheduling.',
  'Build of instance %s was re-scheduled: Timeout waiting for vif plugging callback for instance %s',
  'Failed to provision instance %s: Failure prepping block device.',
  'Instance %s failed to spawn: XenAPI.Failure: VDI_IO_ERROR (Device I/O errors)',
];

export const CONFLICT_FAULTS: readonly string[] = [
  "Cannot 'reboot' instance %s while it is in task_state rebooting",
  "Cannot 'reboot' instance %s while it is in vm_state resized",
  'Instance %s is locked',
];

export const BAD_REQUEST_FAULTS: readonly string[] = [
  'Invalid reboot type: SOFTER. Must be one of HARD, SOFT (instance %s)',
  'Reboot is not supported for instance %s in its current configuration',
];

export const GLANCE_UPLOAD_FAULTS: readonly string[] = [
  'Error storing image %s: Failed to add object to Swift. Got error from Swift: Connection reset by peer',
  'Image storage media is full: There is not enough disk space on the image storage media. (image %s)',
  'Error in store configuration. Adding images to store is disabled. (image %s)',
];

export const SERVICE_TYPES: readonly {type: string; name: string; port: number; path: string}[] = [
  {type: 'volume', name: 'cinder', port: 8776, path: 'v1'},
  {type: 'compute', name: 'nova', port: 8774, path: 'v2'},
  {type: 'image', name: 'glance', port: 9292, path: 'v2'},
  {type: 'network', name: 'neutron', port: 9696, path: 'v2.0'},
  {type: 'object-store', name: 'swift', port: 8080, path: 'v1/AUTH'},
  {type: 'metering', name: 'ceilometer', port: 8777, path: 'v2'},
];

export const ROLE_SETS: readonly (readonly string[])[] = [
  ['_member_'],
  ['_member_', 'compute:default'],
  ['identity:user-admin', 'object-store:default', 'compute:default'],
  ['identity:default', 'object-store:default', 'compute:default', 'checkmate', 'rax_managed'],
  ['admin', '_member_'],
  ['heat_stack_owner', '_member_', 'compute:default', 'lbaas:default', 'dbaas:default'],
];

/** A glance store failure as glance's notifier reports it: the message and its traceback. */
export function glanceUploadTraceback(message: string, imageId: string, owner: string, region: string): string {
  const site = '/opt/glance/lib/python2.7/site-packages';
  const object = `https://storage101.${region}.objects.example.com/v1/MossoCloudFS_${owner}/glance/${imageId}-00003`;
  return [
    message,
    'Traceback (most recent call last):',
    `  File "${site}/glance/api/v1/images.py", line 1017, in update`,
    '    image_meta = self._handle_source(req, id, image_meta, image_data)',
    `  File "${site}/glance/api/v1/images.py", line 736, in _handle_source`,
    '    image_meta = self._upload_and_activate(req, image_meta)',
    `  File "${site}/glance/api/v1/images.py", line 667, in _upload_and_activate`,
    '    location_data = self._upload(req, image_meta)',
    `  File "${site}/glance/api/v1/images.py", line 598, in _upload`,
    '    dest)',
    `  File "${site}/glance/api/v1/upload_utils.py", line 113, in upload_data_to_store`,
    '    store)',
    `  File "${site}/glance/store/__init__.py", line 386, in store_add_to_backend`,
    '    (location, size, checksum, metadata) = store.add(image_id, data, size)',
    `  File "${site}/glance/store/swift.py", line 488, in add`,
    '    content_length=chunk_size)',
    `  File "${site}/swiftclient/client.py", line 1283, in put_object`,
    '    return self._retry(reset_func, put_object, container, obj, *args, **kwargs)',
    `  File "${site}/swiftclient/client.py", line 1189, in _retry`,
    '    rv = func(self.url, self.token, *args, **kwargs)',
    `  File "${site}/swiftclient/client.py", line 966, in put_object`,
    '    http_response_content=body)',
    `ClientException: Object PUT failed: ${object} 503 Service Unavailable  [first 60 chars of response] <html><h1>Service Unavailable</h1><p>The server is currently`,
  ].join('\n');
}
