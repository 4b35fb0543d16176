/**
 * The error domain a public call's own errors carry (VIR_ERR_NO_SUPPORT when the driver lacks
 * the call, among others): libvirt reports them from the libvirt-*.c file that holds the call,
 * with that file's VIR_FROM_THIS. libvirt-host.c (virConnect*, virNode*) says VIR_FROM_DOMAIN like
 * libvirt-domain.c; libvirt.c (opening and closing a connection) says VIR_FROM_NONE.
 */
const FILE_DOMAINS: Array<[RegExp, string]> = [
  [/^virConnect(Open\w*|Close)$|^virGetVersion$|^virInitialize$/, 'VIR_FROM_NONE'],
  [/^virDomain(Snapshot|ListAllSnapshots|HasCurrentSnapshot|RevertToSnapshot)/, 'VIR_FROM_DOMAIN_SNAPSHOT'],
  [/^virDomain(Checkpoint|ListAllCheckpoints)/, 'VIR_FROM_DOMAIN_CHECKPOINT'],
  [/^virNetwork|^virConnect\w*Network/, 'VIR_FROM_NETWORK'],
  [/^virStorage|^virConnect\w*StoragePool/, 'VIR_FROM_STORAGE'],
  [/^virNodeDevice|^virNode(NumOfDevices|ListDevices)$|^virConnect\w*NodeDevice/, 'VIR_FROM_NODEDEV'],
  [/^virSecret|^virConnect\w*Secret/, 'VIR_FROM_SECRET'],
  [/^virInterface|^virConnect\w*Interface/, 'VIR_FROM_INTERFACE'],
  [/^virNWFilter|^virConnect\w*NWFilter/, 'VIR_FROM_NWFILTER'],
  [/^virStream/, 'VIR_FROM_STREAMS'],
  [/^vir(Domain|Node|Connect)/, 'VIR_FROM_DOMAIN'],
];

/** The ErrorDomain member name for the public call `c` (libvirt's C name). */
export function publicCallErrorDomain(c: string): string {
  return FILE_DOMAINS.find(([pattern]) => pattern.test(c))?.[1] ?? 'VIR_FROM_NONE';
}
