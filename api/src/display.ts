/** The guest's display and keyboard: screenshots of a running domain and keys sent to it. */
import type { CallDef } from './dsl';

/** virKeycodeSet: the code set of the key codes virDomainSendKey is given. */
export enum KeycodeSet {
  /** Linux input event codes (KEY_A is 30) */
  VIR_KEYCODE_SET_LINUX = 0,
  /** the same codes as AT set 1 (kept for compatibility) */
  VIR_KEYCODE_SET_XT = 1,
  /** AT set 1 scan codes */
  VIR_KEYCODE_SET_ATSET1 = 2,
  /** AT set 2 scan codes */
  VIR_KEYCODE_SET_ATSET2 = 3,
  /** AT set 3 scan codes */
  VIR_KEYCODE_SET_ATSET3 = 4,
  /** macOS virtual key codes */
  VIR_KEYCODE_SET_OSX = 5,
  /** the Linux XT keyboard driver's codes */
  VIR_KEYCODE_SET_XT_KBD = 6,
  /** USB HID usage codes */
  VIR_KEYCODE_SET_USB = 7,
  /** Windows virtual key codes */
  VIR_KEYCODE_SET_WIN32 = 8,
  /** QEMU's numbered codes (XT with 0xe0 codes as 0x80 + code) */
  VIR_KEYCODE_SET_QNUM = 9,
}

export const domainScreenshot: CallDef = {
  c: 'virDomainScreenshot',
  object: 'Domain',
  name: 'screenshot',
  doc: "Take a screenshot of one of the domain's screens into a stream; returns the image's MIME type.",
  params: [
    { name: 'stream', type: 'Stream', doc: 'the stream the caller reads the image from' },
    { name: 'screen', type: 'uint', doc: 'the screen number (0: the first head of the first video device)' },
  ],
  flags: 'reserved',
  returns: 'string?',
  since: '0.2.0',
  acl: ['domain:screenshot'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 211,
    procName: 'REMOTE_PROC_DOMAIN_SCREENSHOT',
    args: [
      ['dom', 'Dom'],
      ['screen', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [['mime', 'string?']],
    stream: 'download',
  },
  python: 'screenshot',
};

export const domainSendKey: CallDef = {
  c: 'virDomainSendKey',
  object: 'Domain',
  name: 'sendKey',
  doc: 'Press the given keys together, hold them for a while and release them in the guest.',
  params: [
    { name: 'codeset', type: 'uint', doc: 'a KeycodeSet value naming the code set of `keycodes`' },
    { name: 'holdtime', type: 'uint', doc: 'milliseconds to hold the keys (0: the hypervisor default)' },
    { name: 'keycodes', type: 'int[]', doc: 'up to 16 key codes' },
  ],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:send_input'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 226,
    procName: 'REMOTE_PROC_DOMAIN_SEND_KEY',
    args: [
      ['dom', 'Dom'],
      ['codeset', 'uint'],
      ['holdtime', 'uint'],
      ['keycodes', 'uint<16>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'sendKey',
};

/** virDomainOpenGraphicsFlags: flags of virDomainOpenGraphics and virDomainOpenGraphicsFD. */
export enum DomainOpenGraphicsFlags {
  /** the display server lets the new client in without its password or other authentication */
  VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH = 1 << 0,
}

export const domainOpenGraphics: CallDef = {
  c: 'virDomainOpenGraphics',
  object: 'Domain',
  name: 'openGraphics',
  doc: "Hand a connected socket to one of the domain's display servers (VNC or SPICE), which serves it as a client.",
  params: [
    { name: 'idx', type: 'uint', doc: 'the index of the graphics device in the domain XML' },
    { name: 'fd', type: 'int', doc: "a descriptor of a connected UNIX socket, the display client's end of which the caller keeps" },
  ],
  flags: 'DomainOpenGraphicsFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:open_graphics'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 249,
    procName: 'REMOTE_PROC_DOMAIN_OPEN_GRAPHICS',
    args: [
      ['dom', 'Dom'],
      ['idx', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [],
    fds: 'call',
  },
  python: 'openGraphics',
};

export const domainOpenGraphicsFD: CallDef = {
  c: 'virDomainOpenGraphicsFD',
  object: 'Domain',
  name: 'openGraphicsFD',
  doc: "A descriptor of a new socket connected to one of the domain's display servers (VNC or SPICE), as a display client's; in-process it stays open until `releaseFd`.",
  params: [{ name: 'idx', type: 'uint', doc: 'the index of the graphics device in the domain XML' }],
  flags: 'DomainOpenGraphicsFlags',
  returns: 'int',
  since: '0.2.0',
  acl: ['domain:open_graphics'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 343,
    procName: 'REMOTE_PROC_DOMAIN_OPEN_GRAPHICS_FD',
    args: [
      ['dom', 'Dom'],
      ['idx', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [],
    fds: 'reply',
  },
  python: 'openGraphicsFD',
};
