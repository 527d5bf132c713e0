// The simulated cloud behind the demo generator: deployments and hosts, tenants, flavors,
// images and instances, plus the bounded pools flows draw from.

import {
  BASE_IMAGES, ENVIRONMENTS, FLAVORS, ROLE_SETS, SERVER_WORDS, SERVICE_TYPES, USER_NAMES,
  type BaseImageSpec, type Flavor,
} from './catalog.js';
import {Rng, cumulate, deepFreeze} from './random.js';
import {isoTime, pyTime, pySeconds} from './time.js';

export const COMPUTE_HOSTS = 200;
export const LIVE_SEED_PER_DEPLOYMENT = 300;
export const LIVE_MAX_PER_DEPLOYMENT = 1500;
export const SNAPSHOT_SEED = 240;
export const SNAPSHOT_MAX = 2000;
export const TENANTS = 400;

export interface Host {
  name: string;
  /** Hypervisor node name reported as payload.node. */
  node: string;
  publisher: string;
  /** The publisher of nova's versioned notifications: `nova-compute:<host>`. */
  versionedPublisher: string;
  /** Live instances placed on this host. */
  instances: Instance[];
  /** Deleted instances still owed their final periodic exists. */
  deleted: Instance[];
}

/** The `_context_*` values of one caller. */
export interface Caller {
  projectId: string | null;
  userId: string | null;
  userName: string | null;
  projectName: string | null;
  roles: readonly string[];
  authToken: string | null;
  remoteAddress: string | null;
  isAdmin: boolean;
  /** `_context_user_identity`: "user project domain user_domain project_domain". */
  userIdentity: string;
}

export interface Tenant extends Caller {
  id: string;
  projectId: string;
  userId: string;
  /** Service catalogs per region index, built on first use. */
  catalogs: (readonly object[] | undefined)[];
  /** Live snapshot images owned by this tenant. */
  images: Image[];
  /** Snapshots deleted recently, owed to the next image.exists of this owner. */
  deletedImages: Image[];
}

export interface Deployment {
  name: string;
  index: number;
  regionIndex: number;
  regionUpper: string;
  cellName: string;
  availabilityZone: string | null;
  /** Format launched_at / deleted_at / terminated_at with a T (isoformat) instead of str(). */
  isoDates: boolean;
  api: readonly string[];
  schedulers: readonly string[];
  glance: readonly string[];
  /** Host names of nova-conductor (versioned publishers only). */
  conductors: readonly string[];
  /** cinder-volume services, `host@backend` as cinder names them. */
  volumeHosts: readonly string[];
  /** neutron-server hosts. */
  networkHosts: readonly string[];
  computes: readonly Host[];
  live: Instance[];
  admin: Caller;
  imageApi: string;
}

export interface Image {
  id: string;
  name: string;
  owner: string;
  ownerTenant: Tenant | null;
  spec: BaseImageSpec;
  base: Image | null;
  isSnapshot: boolean;
  instanceUuid: string | null;
  createdMicros: number;
  deletedMicros: number;
  size: number;
  checksum: string;
  /** nova payload image_meta (shared, frozen). */
  meta: Readonly<Record<string, string>>;
  /** glance payload properties (shared, frozen). */
  properties: Readonly<Record<string, string>>;
  poolPos: number;
  ownerPos: number;
}

export interface Instance {
  uuid: string;
  dep: Deployment;
  tenant: Tenant;
  host: Host | null;
  hostPos: number;
  livePos: number;
  flavor: Flavor;
  image: Image;
  displayName: string;
  reservationId: string;
  createdAt: string;
  launchedMicros: number;
  launchedAt: string;
  deletedAt: string;
  terminatedAt: string;
  /** When the delete finished (0 while alive). */
  deletedMicros: number;
  state: string | null;
  task: string | null;
  fixedIps: readonly object[];
  metadata: Readonly<Record<string, string>>;
  accessV4: string | null;
  accessV6: string | null;
  busy: boolean;
  bwIn: number;
  bwOut: number;
}

const NO_IPS: readonly object[] = Object.freeze([]);

export class World {
  readonly rng: Rng;
  readonly deployments: Deployment[];
  readonly tenants: Tenant[];
  readonly baseImages: Image[];
  readonly snapshots: Image[] = [];
  readonly glanceOwner: Tenant;
  /**
   * Set by the generator while it plans or runs a flow whose nova notifications are versioned
   * (mixed and versioned shapes only): the flow helpers build nova's versioned form then.
   */
  versioned = false;
  private readonly flavorWeights: number[];
  private readonly baseWeights: number[];
  private readonly regions: string[] = [];

  constructor(rng: Rng, deploymentNames: readonly string[], startMicros: number) {
    this.rng = rng;
    this.flavorWeights = cumulate(FLAVORS.map((f) => f.weight));
    this.baseWeights = cumulate(BASE_IMAGES.map((b) => b.weight));
    this.tenants = Array.from({length: TENANTS}, () => this.makeTenant());
    this.glanceOwner = this.makeTenant();
    this.deployments = deploymentNames.map((name, index) => this.makeDeployment(name, index));
    this.baseImages = BASE_IMAGES.map((spec) => this.makeBaseImage(spec, startMicros));
    for (let i = 0; i < SNAPSHOT_SEED; i++) {
      const created = startMicros - rng.secs(3600, 40 * 86400);
      const tenant = rng.pick(this.tenants);
      this.addSnapshot(this.makeSnapshot(tenant, this.pickBaseImage(), rng.uuid(), this.pickFlavor(), created));
    }
    for (const dep of this.deployments) {
      for (let i = 0; i < LIVE_SEED_PER_DEPLOYMENT; i++) this.seedInstance(dep, startMicros);
    }
  }

  pickFlavor(): Flavor {
    return FLAVORS[this.rng.weighted(this.flavorWeights)]!;
  }

  pickBaseImage(): Image {
    return this.baseImages[this.rng.weighted(this.baseWeights)]!;
  }

  /** The image a new instance boots from: mostly base images, sometimes a snapshot. */
  pickBootImage(): Image {
    if (this.snapshots.length > 0 && this.rng.chance(0.15)) return this.rng.pick(this.snapshots);
    return this.pickBaseImage();
  }

  catalog(tenant: Tenant, dep: Deployment): readonly object[] {
    const cached = tenant.catalogs[dep.regionIndex];
    if (cached) return cached;
    const rng = this.rng;
    const region = dep.regionUpper;
    const host = this.regions[dep.regionIndex]!;
    const count = rng.pick([1, 1, 1, 2, 2, 3]);
    const services = [];
    for (let i = 0; i < count; i++) {
      const s = SERVICE_TYPES[i]!;
      const url = `https://${host}.${s.type}.api.example.com:${s.port}/${s.path}/${tenant.id}`;
      services.push({
        endpoints: [{
          region,
          tenantId: tenant.id,
          internalURL: `http://${host}-internal.${s.name}.svc.example.net:${s.port}/${s.path}/${tenant.id}`,
          publicURL: url,
        }],
        endpoints_links: [],
        type: s.type,
        name: s.name,
      });
    }
    const frozen = deepFreeze(services);
    tenant.catalogs[dep.regionIndex] = frozen;
    return frozen;
  }

  /** A new, not yet scheduled instance for a create request. */
  newInstance(dep: Deployment, tenant: Tenant, image: Image, flavor: Flavor, createdMicros: number): Instance {
    const rng = this.rng;
    const word = rng.pick(SERVER_WORDS);
    const env = rng.pick(ENVIRONMENTS);
    const displayName = `${word}-${env}-${rng.intIn(1, 99).toString().padStart(2, '0')}`;
    const metadata: Record<string, string> = {};
    if (rng.chance(0.5)) metadata.rax_service_level_automation = 'Complete';
    if (rng.chance(0.4)) metadata.build_config = rng.pick(['', 'core', 'rack_user_only', 'monitoring_defaults']);
    if (rng.chance(0.3)) metadata.environment = env;
    if (rng.chance(0.2)) metadata.owner = rng.pick(USER_NAMES) + '@example.com';
    return {
      uuid: rng.uuid(),
      dep,
      tenant,
      host: null,
      hostPos: -1,
      livePos: -1,
      flavor,
      image,
      displayName,
      reservationId: 'r-' + rng.b64(8).toLowerCase().replace(/[-_]/g, 'x'),
      createdAt: pySeconds(createdMicros),
      launchedMicros: 0,
      launchedAt: '',
      deletedAt: '',
      terminatedAt: '',
      deletedMicros: 0,
      state: null,
      task: null,
      fixedIps: NO_IPS,
      metadata: Object.freeze(metadata),
      accessV4: null,
      accessV6: null,
      busy: true,
      bwIn: 0,
      bwOut: 0,
    };
  }

  /** Give an instance its network (fixed_ips and access addresses). */
  allocateNetwork(inst: Instance): void {
    const rng = this.rng;
    const mac = `bc:76:4e:${rng.hex(8).slice(0, 6).replace(/(..)(..)(..)/, '$1:$2:$3')}`;
    const v4 = `${rng.pick(['162.209', '166.78', '104.130', '23.253'])}.${rng.int(256)}.${rng.intIn(2, 254)}`;
    const v6 = `2001:4800:7812:514:be76:4eff:fe${rng.hex(8).slice(0, 2)}:${rng.hex(8).slice(0, 4)}`;
    const priv = `10.${rng.intIn(176, 223)}.${rng.int(256)}.${rng.intIn(2, 254)}`;
    inst.accessV4 = v4;
    inst.accessV6 = v6;
    inst.fixedIps = deepFreeze([
      {label: 'public', vif_mac: mac, meta: {}, floating_ips: [], type: 'fixed', version: 4, address: v4},
      {label: 'public', vif_mac: mac, meta: {}, floating_ips: [], type: 'fixed', version: 6, address: v6},
      {label: 'private', vif_mac: `bc:76:4e:${rng.hex(8).slice(0, 6).replace(/(..)(..)(..)/, '$1:$2:$3')}`, meta: {},
        floating_ips: [], type: 'fixed', version: 4, address: priv},
    ]);
  }

  setLaunched(inst: Instance, micros: number): void {
    inst.launchedMicros = micros;
    inst.launchedAt = this.dateString(inst.dep, micros);
  }

  dateString(dep: Deployment, micros: number): string {
    return dep.isoDates ? isoTime(micros) : pyTime(micros);
  }

  placeOn(inst: Instance, host: Host): void {
    this.unplace(inst);
    inst.host = host;
    inst.hostPos = host.instances.length;
    host.instances.push(inst);
  }

  unplace(inst: Instance): void {
    const host = inst.host;
    if (!host || inst.hostPos < 0) return;
    const last = host.instances.pop()!;
    if (last !== inst) {
      host.instances[inst.hostPos] = last;
      last.hostPos = inst.hostPos;
    }
    inst.hostPos = -1;
  }

  /** Add a launched instance to its deployment's live pool, evicting one if the pool is full. */
  addLive(inst: Instance): void {
    const live = inst.dep.live;
    if (live.length >= LIVE_MAX_PER_DEPLOYMENT) {
      // Forget an idle instance: it still runs, the demo just stops touching it.
      for (let tries = 0; tries < 8; tries++) {
        const victim = live[this.rng.int(live.length)]!;
        if (!victim.busy) {
          this.removeLive(victim);
          this.unplace(victim);
          break;
        }
      }
    }
    inst.livePos = live.length;
    live.push(inst);
  }

  removeLive(inst: Instance): void {
    if (inst.livePos < 0) return;
    const live = inst.dep.live;
    const last = live.pop()!;
    if (last !== inst) {
      live[inst.livePos] = last;
      last.livePos = inst.livePos;
    }
    inst.livePos = -1;
  }

  /** A random idle live instance of the deployment, marked busy; null if none found quickly. */
  claimIdle(dep: Deployment): Instance | null {
    const live = dep.live;
    if (live.length === 0) return null;
    for (let tries = 0; tries < 12; tries++) {
      const inst = live[this.rng.int(live.length)]!;
      if (!inst.busy) {
        inst.busy = true;
        return inst;
      }
    }
    return null;
  }

  makeSnapshot(tenant: Tenant, base: Image, instanceUuid: string, flavor: Flavor, createdMicros: number): Image {
    const rng = this.rng;
    const spec = base.spec;
    const id = rng.uuid();
    const meta: Record<string, string> = {
      ...base.meta,
      image_type: 'snapshot',
      instance_uuid: instanceUuid,
      base_image_ref: base.id,
      owner_id: tenant.id,
      image_location: 'snapshot',
      instance_type_id: String(flavor.id),
      instance_type_flavorid: flavor.flavorid,
      instance_type_memory_mb: String(flavor.memoryMb),
    };
    const properties: Record<string, string> = {
      ...base.properties,
      ...meta,
      user_id: tenant.userId,
      image_state: 'available',
      instance_type_name: flavor.name,
      instance_type_vcpus: String(flavor.vcpus),
      instance_type_root_gb: String(flavor.rootGb),
      instance_type_ephemeral_gb: String(flavor.ephemeralGb),
      instance_type_swap: '0',
      instance_type_rxtx_factor: '1.0',
      os_hash_value: rng.hex(128),
    };
    return {
      id,
      name: `${rng.pick(SERVER_WORDS)}-${rng.pick(ENVIRONMENTS)}-snap-${pySeconds(createdMicros).slice(0, 10)}`,
      owner: tenant.id,
      ownerTenant: tenant,
      spec,
      base,
      isSnapshot: true,
      instanceUuid,
      createdMicros,
      deletedMicros: 0,
      size: Math.round((spec.sizeGb * (1.2 + rng.float() * 6)) * 1073741824),
      checksum: rng.hex(32),
      meta: deepFreeze(meta),
      properties: deepFreeze(properties),
      poolPos: -1,
      ownerPos: -1,
    };
  }

  addSnapshot(image: Image): void {
    const rng = this.rng;
    if (this.snapshots.length >= SNAPSHOT_MAX) this.removeSnapshot(this.snapshots[rng.int(this.snapshots.length)]!);
    image.poolPos = this.snapshots.length;
    this.snapshots.push(image);
    const owned = image.ownerTenant!.images;
    image.ownerPos = owned.length;
    owned.push(image);
  }

  removeSnapshot(image: Image): void {
    if (image.poolPos < 0) return;
    const last = this.snapshots.pop()!;
    if (last !== image) {
      this.snapshots[image.poolPos] = last;
      last.poolPos = image.poolPos;
    }
    image.poolPos = -1;
    const owned = image.ownerTenant!.images;
    const lastOwned = owned.pop()!;
    if (lastOwned !== image) {
      owned[image.ownerPos] = lastOwned;
      lastOwned.ownerPos = image.ownerPos;
    }
    image.ownerPos = -1;
  }

  private seedInstance(dep: Deployment, startMicros: number): void {
    const rng = this.rng;
    const created = startMicros - rng.secs(2 * 3600, 60 * 86400);
    const inst = this.newInstance(dep, rng.pick(this.tenants), this.pickBootImage(), this.pickFlavor(), created);
    this.allocateNetwork(inst);
    this.setLaunched(inst, created + rng.secs(25, 240));
    inst.state = 'active';
    inst.busy = false;
    inst.bwIn = rng.int(2_000_000_000);
    inst.bwOut = rng.int(2_000_000_000);
    this.placeOn(inst, rng.pick(dep.computes));
    this.addLive(inst);
  }

  private makeTenant(): Tenant {
    const rng = this.rng;
    const numeric = rng.chance(0.5);
    const id = numeric ? String(rng.intIn(500000, 9999999)) : rng.hex(32);
    const person = rng.pick(USER_NAMES);
    const tokenKind = rng.int(3);
    const authToken = tokenKind === 0 ? rng.hex(32) : tokenKind === 1 ? 'gAAAAAB' + rng.b64(113) : 'gAAAAAB' + rng.b64(140);
    const userId = rng.hex(32);
    return {
      id,
      projectId: id,
      userId,
      userName: numeric ? `rax${id}` : `${person}-${rng.hex(8).slice(0, 4)}`,
      projectName: numeric ? id : `${person}-project-${rng.intIn(1, 40)}`,
      roles: deepFreeze([...rng.pick(ROLE_SETS)]),
      authToken,
      remoteAddress: `${rng.intIn(11, 223)}.${rng.int(256)}.${rng.int(256)}.${rng.intIn(1, 254)}`,
      isAdmin: false,
      userIdentity: `${userId} ${id} - - -`,
      catalogs: [],
      images: [],
      deletedImages: [],
    };
  }

  private makeDeployment(name: string, index: number): Deployment {
    const dot = name.indexOf('.');
    const region = dot > 0 ? name.slice(0, dot) : name;
    let regionIndex = this.regions.indexOf(region);
    if (regionIndex < 0) regionIndex = this.regions.push(region) - 1;
    const computes: Host[] = [];
    for (let i = 1; i <= COMPUTE_HOSTS; i++) {
      const host = 'c-' + String(i).padStart(4, '0');
      computes.push({name: host, node: `${host}.${name}.example.net`, publisher: 'compute.' + host,
        versionedPublisher: 'nova-compute:' + host, instances: [], deleted: []});
    }
    const nn = (n: number) => String(n).padStart(2, '0');
    return {
      name,
      index,
      regionIndex,
      regionUpper: region.toUpperCase(),
      cellName: dot > 0 ? `${region}!${name.slice(dot + 1)}` : name,
      availabilityZone: index % 2 === 0 ? 'nova' : null,
      isoDates: regionIndex % 2 === 1,
      api: [1, 2, 3, 4].map((n) => `api.api-${nn(n)}`),
      schedulers: [1, 2].map((n) => `scheduler.scheduler-${nn(n)}`),
      glance: [1, 2, 3].map((n) => `image.glance-api-${nn(n)}`),
      conductors: [1, 2].map((n) => `conductor-${nn(n)}`),
      volumeHosts: [1, 2, 3].map((n) => `block-${nn(n)}@rbd`),
      networkHosts: [1, 2].map((n) => `neutron-server-${nn(n)}`),
      computes,
      live: [],
      admin: {
        projectId: null, userId: null, userName: null, projectName: null, roles: Object.freeze(['admin']),
        authToken: null, remoteAddress: null, isAdmin: true, userIdentity: '- - - - -',
      },
      imageApi: `http://${region}.images.svc.example.net:9292`,
    };
  }

  private makeBaseImage(spec: BaseImageSpec, startMicros: number): Image {
    const rng = this.rng;
    const id = rng.uuid();
    const meta: Record<string, string> = {
      image_type: 'base',
      os_type: spec.osType,
      os_distro: spec.distro,
      'org.openstack__1__architecture': 'x64',
      'org.openstack__1__os_distro': spec.orgDistro,
      'org.openstack__1__os_version': spec.version,
      'com.rackspace__1__options': spec.osType === 'windows' ? '4' : '0',
      'com.rackspace__1__build_core': '1',
      'com.rackspace__1__build_managed': '1',
      'com.rackspace__1__build_rackconnect': '1',
      'com.rackspace__1__release_id': String(rng.intIn(100, 999)),
      'com.rackspace__1__release_version': String(rng.intIn(1, 30)),
      min_disk: String(spec.minDisk),
      min_ram: '512',
      container_format: 'ovf',
      disk_format: 'vhd',
      base_image_ref: id,
      auto_disk_config: spec.osType === 'windows' ? 'False' : 'True',
      cache_in_nova: 'True',
      vm_mode: spec.vmMode,
    };
    const properties: Record<string, string> = {
      ...meta,
      'com.rackspace__1__visible_core': '1',
      'com.rackspace__1__visible_managed': '1',
      'com.rackspace__1__visible_rackconnect': '1',
      'com.rackspace__1__source': spec.osType === 'windows' ? 'import' : 'kickstart',
      xenapi_use_agent_default: 'True',
      xenapi_image_compression_level: '1',
      hw_disk_bus: 'xen',
      hw_vif_model: 'netfront',
      os_hash_algo: 'sha512',
      os_hash_value: rng.hex(128),
      os_hidden: 'False',
    };
    return {
      id,
      name: spec.name,
      owner: this.glanceOwner.id,
      ownerTenant: this.glanceOwner,
      spec,
      base: null,
      isSnapshot: false,
      instanceUuid: null,
      createdMicros: startMicros - rng.secs(30 * 86400, 400 * 86400),
      deletedMicros: 0,
      size: Math.round(spec.sizeGb * 1073741824),
      checksum: rng.hex(32),
      meta: deepFreeze(meta),
      properties: deepFreeze(properties),
      poolPos: -1,
      ownerPos: -1,
    };
  }
}
