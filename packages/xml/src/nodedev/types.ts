/**
 * The node device definition (libvirt's virNodeDeviceDef, src/conf/node_device_conf.h): a host
 * device's identity and the capabilities it has, each with the fields libvirt keeps for it.
 */

/** A PCI address as node device XML writes it in iommuGroup, phys_function and virt_functions. */
export interface PciAddr {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

/** One `<link>` of `<pci-express>`. */
export interface PciLink {
  port: number;
  /** '2.5', '5', '8', '16', '32' or '' */
  speed: string;
  width: number;
}

/** One mediated device type a parent offers. */
export interface MdevType {
  id: string;
  name?: string;
  deviceAPI: string;
  availableInstances: number;
}

export interface SystemCap {
  type: 'system';
  product?: string;
  hardware: { vendor?: string; version?: string; serial?: string; uuid: string };
  firmware: { vendor?: string; version?: string; releaseDate?: string };
}

export interface PciCap {
  type: 'pci';
  /** -1 when unknown */
  klass: number;
  domain: number;
  bus: number;
  slot: number;
  function: number;
  productId: number;
  product?: string;
  vendorId: number;
  vendor?: string;
  physFunction?: PciAddr;
  /** present when the device has the virt_functions capability */
  virtFunctions?: { maxCount: number; addrs: PciAddr[] };
  /** 'pci-bridge' or 'cardbus-bridge' */
  bridge?: string;
  mdevTypes?: MdevType[];
  /** raw lines of a `<capability type='vpd'>`, kept as written */
  vpd?: string;
  iommuGroup?: { number: number; addrs: PciAddr[] };
  numaNode: number;
  pcie?: { cap?: PciLink; sta?: PciLink };
}

export interface UsbDevCap {
  type: 'usb_device';
  bus: number;
  device: number;
  productId: number;
  product?: string;
  vendorId: number;
  vendor?: string;
}

export interface UsbIfCap {
  type: 'usb';
  number: number;
  klass: number;
  subclass: number;
  protocol: number;
  description?: string;
}

export interface NetCap {
  type: 'net';
  iface: string;
  address?: string;
  link?: { state?: string; speed?: number };
  features: string[];
  /** '80203' or '80211' */
  subtype?: string;
}

export interface ScsiHostCap {
  type: 'scsi_host';
  host: number;
  uniqueId: number;
  fc?: { wwnn?: string; wwpn?: string; fabricWwn?: string };
  vportOps?: { maxVports: number; vports: number };
}

export interface ScsiTargetCap {
  type: 'scsi_target';
  target: string;
  rport?: { rport: string; wwpn: string };
}

export interface ScsiCap {
  type: 'scsi';
  host: number;
  bus: number;
  target: number;
  lun: number;
  scsiType?: string;
}

export interface StorageCap {
  type: 'storage';
  block?: string;
  bus?: string;
  driveType?: string;
  model?: string;
  vendor?: string;
  serial?: string;
  removable?: { mediaAvailable: boolean; mediaSize: number; mediaLabel?: string };
  size: number;
  logicalBlockSize: number;
  numBlocks: number;
  hotpluggable: boolean;
}

export interface MdevCap {
  type: 'mdev';
  mdevType: string;
  uuid?: string;
  iommuGroup: number;
  attrs: { name: string; value: string }[];
  parentAddr?: string;
}

/** ccw and css devices share the subchannel address and its channel device. */
export interface CcwCap {
  type: 'ccw' | 'css';
  cssid: number;
  ssid: number;
  devno: number;
  channelDevAddr?: { cssid: number; ssid: number; devno: number };
  mdevTypes?: MdevType[];
}

export interface SimpleCap {
  /** capabilities with one text field: scsi_generic (char), drm (type), vdpa (chardev) */
  type: 'scsi_generic' | 'drm' | 'vdpa';
  value: string;
}

export interface ApCap {
  type: 'ap_card' | 'ap_queue' | 'ap_matrix';
  adapter: number;
  domain: number;
  mdevTypes?: MdevType[];
}

export type NodeDevCap =
  | SystemCap
  | PciCap
  | UsbDevCap
  | UsbIfCap
  | NetCap
  | ScsiHostCap
  | ScsiTargetCap
  | ScsiCap
  | StorageCap
  | MdevCap
  | CcwCap
  | SimpleCap
  | ApCap;

export interface NodeDeviceDef {
  name: string;
  sysfsPath?: string;
  devnode?: string;
  devlinks: string[];
  parent?: string;
  /** `<parent wwnn= wwpn=>` or `<parent fabric_wwn=>`: how a vHBA names its parent */
  parentWwnn?: string;
  parentWwpn?: string;
  parentFabricWwn?: string;
  driver?: string;
  caps: NodeDevCap[];
}
