/**
 * virtkit's XML models, libvirt's `src/conf` in TypeScript: parse, validate, fill defaults and
 * format domain, snapshot, checkpoint, backup, storage, network and capabilities XML the way libvirt does,
 * plus the snapshot/checkpoint moment tree those documents hang in.
 */
export * from './domain';
export * from './snapshot';
export * from './checkpoint';
export * from './backup';
export * from './storage';
export * from './capabilities';
export * from './network';
export * from './interface';
export { parseSecretXml, formatSecretXml, SECRET_USAGES, type SecretDef } from './secret';
export { parseNodeDeviceXml, parseNodeDeviceElement, type NodeDevParseMode } from './nodedev/parse';
export { formatNodeDeviceXml, nodeDeviceCapNames } from './nodedev/format';
export { cpuModelNames } from './cpu-models';
export { ARCH_NAMES } from './arch';
export { X86Data } from './cpu-x86/data';
export { loadX86Map, type X86Map, type X86Model, type X86Feature, type X86Vendor } from './cpu-x86/map';
export { parseCpuDef, type CpuDef, type CpuFeature, type FeaturePolicy } from './cpu-x86/cpu-def';
export {
  baselineCpu,
  expandFeatures,
  formatBaselineCpu,
  parseBaselineCpus,
  takeMapFeatures,
  type BaselineCpu,
  type BaselineLimits,
  type HypervisorCpuModel,
} from './cpu-x86/baseline';
export {
  cpusetOf,
  mapOf,
  vcpuPin,
  setVcpuPin,
  emulatorPin,
  setEmulatorPin,
  iothreadIds,
  setIothreadIds,
  iothreadPin,
  setIothreadPin,
} from './domain/cputune-pins';
export { CPUTUNE_SCALARS } from './domain/cputune';
export type { NodeDeviceDef, NodeDevCap } from './nodedev/types';
export { parseXml, XmlElement, XML_MAX_BYTES, type XmlNode, type XmlText } from './tree';
export { XmlWriter, escapeXml, type Attrs } from './writer';
export { serializeElement } from './preserved';
export * from './moment-tree';
export { setEmbeddedDomainCodec, PreservedDomain, type MomentDef, type EmbeddedDomain, type EmbeddedDomainCodec } from './moment';
export { newDiskSource } from './storage-source';
export { parseScaledElement, scaleInteger, unitScale } from './scaled';
