/**
 * The libvirt release whose API and wire behaviour virtkit reproduces, as major * 1e6 + minor *
 * 1e3 + release. Drivers report it as the library version (virConnectGetLibVersion), as
 * libvirt's own drivers report LIBVIR_VERSION_NUMBER, so clients that gate features on it work.
 */
export const LIBVIRT_COMPAT_VERSION = 9_000_000;
