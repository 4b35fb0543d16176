/**
 * Calls answered by the guest agent (qemu-ga) inside a running domain: raw agent commands (the
 * libvirt-qemu program), the guest's host name, clock, file systems, users, passwords and SSH keys.
 */
import type { CallDef, StructDef, WireStructDef } from './dsl';

/** virDomainQemuAgentCommandTimeoutValues: special values of virDomainQemuAgentCommand's timeout (seconds otherwise). */
export enum DomainQemuAgentCommandTimeoutValues {
  /** wait for the reply as long as it takes */
  VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK = -2,
  /** the driver's default wait (5 seconds for QEMU) */
  VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT = -1,
  /** send the command without waiting for its reply */
  VIR_DOMAIN_QEMU_AGENT_COMMAND_NOWAIT = 0,
  /** the wait used for an agent shutdown */
  VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN = 60,
}

/** virDomainGetHostnameFlags: where virDomainGetHostname looks. */
export enum DomainGetHostnameFlags {
  /** the DHCP leases of the domain's networks */
  VIR_DOMAIN_GET_HOSTNAME_LEASE = 1 << 0,
  /** the guest agent */
  VIR_DOMAIN_GET_HOSTNAME_AGENT = 1 << 1,
}

/** virDomainSetTimeFlags: flags of virDomainSetTime. */
export enum DomainSetTimeFlags {
  /** set the guest clock from its RTC instead of the given time */
  VIR_DOMAIN_TIME_SYNC = 1 << 0,
}

/** virDomainSetUserPasswordFlags: flags of virDomainSetUserPassword. */
export enum DomainSetUserPasswordFlags {
  /** the password is already encrypted (crypt(3) form) */
  VIR_DOMAIN_PASSWORD_ENCRYPTED = 1 << 0,
}

/** virDomainAuthorizedSSHKeysSetFlags: how virDomainAuthorizedSSHKeysSet changes the key file. */
export enum DomainAuthorizedSSHKeysSetFlags {
  /** add the keys to those already authorized (without it the file is replaced) */
  VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND = 1 << 0,
  /** remove the keys from those authorized */
  VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE = 1 << 1,
}

/** virDomainGuestInfoTypes: which groups of information virDomainGetGuestInfo returns (0: all). */
export enum DomainGuestInfoTypes {
  /** logged-in users */
  VIR_DOMAIN_GUEST_INFO_USERS = 1 << 0,
  /** the operating system */
  VIR_DOMAIN_GUEST_INFO_OS = 1 << 1,
  /** the time zone */
  VIR_DOMAIN_GUEST_INFO_TIMEZONE = 1 << 2,
  /** the host name */
  VIR_DOMAIN_GUEST_INFO_HOSTNAME = 1 << 3,
  /** mounted file systems */
  VIR_DOMAIN_GUEST_INFO_FILESYSTEM = 1 << 4,
  /** disks */
  VIR_DOMAIN_GUEST_INFO_DISKS = 1 << 5,
  /** network interfaces */
  VIR_DOMAIN_GUEST_INFO_INTERFACES = 1 << 6,
}

/** The guest's clock as virDomainGetTime returns it. */
export const DomainTime: StructDef = {
  name: 'DomainTime',
  c: 'virDomainGetTime',
  doc: 'The guest clock: seconds since the epoch and the nanoseconds within that second.',
  fields: [
    { name: 'seconds', type: 'long', doc: 'seconds since the epoch' },
    { name: 'nseconds', type: 'uint', doc: 'nanoseconds within the second' },
  ],
};

/** virDomainFSInfo; the field names are the wire's (remote_domain_fsinfo). */
export const DomainFSInfo: StructDef = {
  name: 'DomainFSInfo',
  c: 'virDomainFSInfo',
  doc: 'One file system mounted in the guest, with the domain disks it lives on.',
  fields: [
    { name: 'mountpoint', type: 'string', doc: 'where it is mounted in the guest' },
    { name: 'name', type: 'string', doc: 'the guest device name (e.g. vda1)' },
    { name: 'fstype', type: 'string', doc: 'the file system type' },
    { name: 'dev_aliases', type: 'string[]', doc: 'target names of the domain disks holding it (e.g. vda)' },
  ],
};

/** remote_domain_fsinfo as it travels. */
export const agentWireStructs: WireStructDef[] = [
  {
    name: 'DomainFSInfo',
    fields: [
      ['mountpoint', 'string'],
      ['name', 'string'],
      ['fstype', 'string'],
      ['dev_aliases', 'string<256>'],
    ],
  },
];

export const domainQemuAgentCommand: CallDef = {
  c: 'virDomainQemuAgentCommand',
  object: 'Domain',
  name: 'qemuAgentCommand',
  doc: 'Send a raw JSON command to the guest agent and return its whole reply.',
  params: [
    { name: 'cmd', type: 'string', doc: 'the agent command, a JSON object' },
    { name: 'timeout', type: 'int', doc: 'seconds to wait, or a DomainQemuAgentCommandTimeoutValues value' },
  ],
  flags: 'reserved',
  returns: 'string?',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'qemu',
    proc: 3,
    procName: 'QEMU_PROC_DOMAIN_AGENT_COMMAND',
    args: [
      ['dom', 'Dom'],
      ['cmd', 'string'],
      ['timeout', 'int'],
      ['flags', 'uint'],
    ],
    ret: [['result', 'string?']],
  },
  python: null,
};

export const domainGetHostname: CallDef = {
  c: 'virDomainGetHostname',
  object: 'Domain',
  name: 'getHostname',
  doc: "The guest's host name, from the guest agent or the DHCP leases.",
  params: [],
  flags: 'DomainGetHostnameFlags',
  returns: 'string',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 277,
    procName: 'REMOTE_PROC_DOMAIN_GET_HOSTNAME',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['hostname', 'string']],
  },
  python: 'hostname',
};

export const domainGetTime: CallDef = {
  c: 'virDomainGetTime',
  object: 'Domain',
  name: 'getTime',
  doc: "The guest's clock, as the guest agent reads it.",
  params: [],
  flags: 'reserved',
  returns: 'DomainTime',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 337,
    procName: 'REMOTE_PROC_DOMAIN_GET_TIME',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [
      ['seconds', 'hyper'],
      ['nseconds', 'uint'],
    ],
  },
  python: 'getTime',
};

export const domainSetTime: CallDef = {
  c: 'virDomainSetTime',
  object: 'Domain',
  name: 'setTime',
  doc: "Set the guest's clock through the guest agent, to a given time or from its RTC.",
  params: [
    { name: 'seconds', type: 'long', doc: 'seconds since the epoch' },
    { name: 'nseconds', type: 'uint', doc: 'nanoseconds within the second' },
  ],
  flags: 'DomainSetTimeFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:set_time'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 338,
    procName: 'REMOTE_PROC_DOMAIN_SET_TIME',
    args: [
      ['dom', 'Dom'],
      ['seconds', 'hyper'],
      ['nseconds', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  // libvirt-python's setTime takes one dict ({'seconds', 'nseconds'}), unpacked by the emitter's PY_PACKED.
  python: 'setTime',
};

export const domainFSFreeze: CallDef = {
  c: 'virDomainFSFreeze',
  object: 'Domain',
  name: 'fsFreeze',
  doc: "Freeze the guest's file systems (all, or those mounted at the given points); returns how many.",
  params: [{ name: 'mountpoints', type: 'string[]', doc: 'mount points to freeze; empty for all' }],
  flags: 'reserved',
  returns: 'int',
  since: '0.2.0',
  acl: ['domain:fs_freeze'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 335,
    procName: 'REMOTE_PROC_DOMAIN_FSFREEZE',
    args: [
      ['dom', 'Dom'],
      ['mountpoints', 'string<256>'],
      ['flags', 'uint'],
    ],
    ret: [['filesystems', 'int']],
  },
  python: 'fsFreeze',
};

export const domainFSThaw: CallDef = {
  c: 'virDomainFSThaw',
  object: 'Domain',
  name: 'fsThaw',
  doc: "Thaw the guest's frozen file systems (all, or those mounted at the given points); returns how many.",
  params: [{ name: 'mountpoints', type: 'string[]', doc: 'mount points to thaw; empty for all' }],
  flags: 'reserved',
  returns: 'int',
  since: '0.2.0',
  acl: ['domain:fs_freeze'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 336,
    procName: 'REMOTE_PROC_DOMAIN_FSTHAW',
    args: [
      ['dom', 'Dom'],
      ['mountpoints', 'string<256>'],
      ['flags', 'uint'],
    ],
    ret: [['filesystems', 'int']],
  },
  python: 'fsThaw',
};

export const domainGetFSInfo: CallDef = {
  c: 'virDomainGetFSInfo',
  object: 'Domain',
  name: 'getFSInfo',
  doc: 'The file systems mounted in the guest, as the guest agent lists them.',
  params: [],
  flags: 'reserved',
  returns: 'DomainFSInfo[]',
  since: '0.2.0',
  acl: ['domain:fs_freeze'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 349,
    procName: 'REMOTE_PROC_DOMAIN_GET_FSINFO',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [
      ['info', 'DomainFSInfo<256>'],
      ['ret', 'uint'],
    ],
  },
  python: 'fsInfo',
};

export const domainSetUserPassword: CallDef = {
  c: 'virDomainSetUserPassword',
  object: 'Domain',
  name: 'setUserPassword',
  doc: "Set a guest user's password through the guest agent.",
  params: [
    { name: 'user', type: 'string', doc: 'the user name in the guest' },
    { name: 'password', type: 'string', doc: 'the new password, plain or (with the ENCRYPTED flag) crypted' },
  ],
  flags: 'DomainSetUserPasswordFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:set_password'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 357,
    procName: 'REMOTE_PROC_DOMAIN_SET_USER_PASSWORD',
    args: [
      ['dom', 'Dom'],
      ['user', 'string?'],
      ['password', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setUserPassword',
};

export const domainGetGuestInfo: CallDef = {
  c: 'virDomainGetGuestInfo',
  object: 'Domain',
  name: 'getGuestInfo',
  doc: 'Information the guest agent reports (users, OS, time zone, host name, file systems, disks) as typed parameters.',
  params: [{ name: 'types', type: 'uint', doc: 'DomainGuestInfoTypes bits to select groups; 0 for all' }],
  flags: 'reserved',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 418,
    procName: 'REMOTE_PROC_DOMAIN_GET_GUEST_INFO',
    args: [
      ['dom', 'Dom'],
      ['types', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [['params', 'TP<2048>']],
  },
  python: 'guestInfo',
};

export const domainAuthorizedSSHKeysGet: CallDef = {
  c: 'virDomainAuthorizedSSHKeysGet',
  object: 'Domain',
  name: 'authorizedSSHKeysGet',
  doc: "The public SSH keys in a guest user's authorized keys file, as the guest agent reads them.",
  params: [{ name: 'user', type: 'string', doc: 'the user name in the guest' }],
  flags: 'reserved',
  returns: 'string[]',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 424,
    procName: 'REMOTE_PROC_DOMAIN_AUTHORIZED_SSH_KEYS_GET',
    args: [
      ['dom', 'Dom'],
      ['user', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['keys', 'string<2048>']],
  },
  python: 'authorizedSSHKeysGet',
};

export const domainAuthorizedSSHKeysSet: CallDef = {
  c: 'virDomainAuthorizedSSHKeysSet',
  object: 'Domain',
  name: 'authorizedSSHKeysSet',
  doc: "Replace, extend (APPEND) or shrink (REMOVE) a guest user's authorized SSH keys through the guest agent.",
  params: [
    { name: 'user', type: 'string', doc: 'the user name in the guest' },
    { name: 'keys', type: 'string[]', doc: 'public keys, one per entry' },
  ],
  flags: 'DomainAuthorizedSSHKeysSetFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 425,
    procName: 'REMOTE_PROC_DOMAIN_AUTHORIZED_SSH_KEYS_SET',
    args: [
      ['dom', 'Dom'],
      ['user', 'string'],
      ['keys', 'string<2048>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'authorizedSSHKeysSet',
};
