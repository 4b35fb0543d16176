/**
 * The libvirt release whose API and wire behaviour virtkit reproduces, as major * 1e6 + minor *
 * 1e3 + release. Drivers report it as the library version (virConnectGetLibVersion), as
 * libvirt's own drivers report LIBVIR_VERSION_NUMBER, so clients that gate features on it work.
 */
export const LIBVIRT_COMPAT_VERSION = 9_000_000;

/** This package's version (its package.json `version`; scripts/check-versions.mjs keeps them equal). */
export const VERSION = '0.1.0';

/**
 * The public API this core implements: the newest released `VIRTKIT_x.y.z` symbol block of
 * api/public.syms, as 'x.y.z'. Every package is released at this version, so a driver can refuse
 * a core older than the API it was written for.
 */
export const API_VERSION = '0.1.0';
