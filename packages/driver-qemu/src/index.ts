export {};
export { buildCommandLine, formatArgs, shellQuote } from './command';
export type { QemuBuildContext, QemuCommand, QemuDriverConfig } from './command';
export { nativeConversionContext } from './command/native-context';
export { domainXmlToQemuArgv } from './command/native';
export type { QemuCaps, QemuMachineType, QemuCpuModel, QemuAccel } from './caps/types';
export { parseQemuCapsXml } from './caps/libvirt-xml';
