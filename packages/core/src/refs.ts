/**
 * Object identities as drivers hand them out: the same fields libvirt's wire handles carry
 * (docs/wire-protocol.md §2.1). Public handle classes wrap one of these; drivers find the object
 * again by UUID (domains, pools) or by pool + name (volumes), never by a cached pointer.
 */

export interface DomainRef {
  name: string;
  /** Canonical UUID text, lower case with dashes. */
  uuid: string;
  /** Runtime id, -1 while the domain is inactive. */
  id: number;
}

export interface DomainSnapshotRef {
  name: string;
  domain: DomainRef;
}

export interface DomainCheckpointRef {
  name: string;
  domain: DomainRef;
}

export interface StoragePoolRef {
  name: string;
  uuid: string;
}

export interface StorageVolRef {
  /** Name of the pool holding the volume. */
  pool: string;
  name: string;
  /** libvirt's volume key: for file volumes, the path. */
  key: string;
}

/** A secret as remote_nonnull_secret names it. */
export interface SecretRef {
  uuid: string;
  /** a SecretUsageType value */
  usageType: number;
  usageID: string;
}

export interface NetworkRef {
  name: string;
  uuid: string;
}

/** A port of a network as remote_nonnull_network_port names it: its network and its own UUID. */
export interface NetworkPortRef {
  network: NetworkRef;
  uuid: string;
}

/** A host device as remote_nonnull_node_device names it. */
export interface NodeDeviceRef {
  name: string;
}

/** A host network interface: libvirt identifies it by name, and carries its MAC address. */
export interface InterfaceRef {
  name: string;
  mac: string;
}
