/**
 * virtkitd: a daemon speaking libvirt's own RPC wire protocol on UNIX sockets, so that real
 * `virsh` and libvirt-python can drive virtkit's drivers.
 */
export { Daemon, SOCKET_NAME, SOCKET_RO_NAME, type DaemonOptions } from './server';
export { defaultConfig, defaultSocketDir, parseCommandLine, parseConfigText, type DaemonConfig } from './config';
export { Logger, parseLogLevel, type LogLevel } from './log';
export { main, VERSION } from './daemon-main';
export { dispatchToDriver, spiArguments, replyFields } from './dispatch';
export { AccessPolicy } from './access';
