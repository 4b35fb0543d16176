export * from './types';
export { CapabilitiesBuilder, GuestBuilder, archWordsize } from './builder';
export { formatCapabilitiesXml } from './format';
