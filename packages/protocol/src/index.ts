/**
 * libvirt's RPC wire protocol, transport-agnostic: XDR codec driven by the API's wire type
 * strings, framing, the remote_error record, typed parameters, and the procedure table. Shared by
 * the daemon (`virtkitd`) and the remote driver.
 */
export * from './xdr';
export * from './frame';
export * from './error';
export * from './procedures';
