/**
 * Reading domain XML for the LXC driver: the generic parser plus libvirt's LXC post-parse
 * (virLXCDomainDefPostParse / virLXCDomainDeviceDefPostParse): the guest must be one the host's
 * capabilities offer, a missing emulator is the capabilities' one, and a console with no target
 * type is an `lxc` console.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { mkEl, orderAttrs, parseDomainXml, setDeviceAlias, type Capabilities, type DomainDef } from '@virtkit/xml';

function capsError(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_CAPABILITIES, detail);
}

/** virCapabilitiesDomainSupported: the guest the definition asks for, else libvirt's error. */
function checkSupported(def: DomainDef, caps: Capabilities): void {
  const arch = def.os.arch;
  const osOk = caps.guests.filter((g) => g.osType === def.os.type);
  const archOk = osOk.filter((g) => arch === undefined || g.arch === arch);
  const found = archOk.some((g) => g.domains.some((d) => d.type === def.virtType));
  if (found) return;
  // libvirt names each criterion followed by a space, and skips os type hvm (its enum's zero).
  let wanted = def.os.type === 'hvm' ? '' : `ostype=${def.os.type} `;
  if (arch !== undefined) wanted += `arch=${arch} `;
  wanted += `domaintype=${def.virtType} `;
  throw capsError(`could not find capabilities for ${wanted}`);
}

function lxcConsoleTargets(def: DomainDef): void {
  for (const dev of def.devices) {
    if (dev.kind !== 'console') continue;
    const target = dev.el.element('target');
    if (target && target.attr('type') === undefined) {
      target.attrs.set('type', 'lxc');
      orderAttrs(target, ['type']);
    }
  }
}

/** Parse a definition as the LXC driver does. */
export function parseLxcDomain(xml: string, caps: Capabilities, inactive: boolean): DomainDef {
  return parseDomainXml(xml, {
    inactive,
    hostArch: caps.host.cpu.arch,
    postParse: (def) => {
      checkSupported(def, caps);
      if (def.emulator === undefined) {
        const guest = caps.guests.find((g) => g.osType === def.os.type && (def.os.arch === undefined || g.arch === def.os.arch));
        def.emulator = guest?.emulator;
      }
      lxcConsoleTargets(def);
    },
  });
}

/**
 * The resource partition a starting container's cgroups go under, `/machine` unless given.
 * libvirt's virLXCProcessStart sets it before it copies the persistent definition aside, so a
 * started domain's inactive XML shows it too (until the daemon restarts).
 */
export function defaultResourcePartition(def: DomainDef): void {
  const resource = def.preserved.get('resource')?.[0];
  if (!resource) def.preserved.set('resource', [mkEl('resource', [], [mkEl('partition', [], [], '/machine')])]);
  else if (!resource.element('partition')) resource.children.unshift(mkEl('partition', [], [], '/machine'));
}

/** Each console of a running container has the alias `consoleN` (virLXCProcessStart replaces any). */
export function aliasConsoles(live: DomainDef): void {
  live.devices
    .filter((d) => d.kind === 'console')
    .forEach((console, i) => {
      for (const old of console.el.elements('alias')) console.el.children.splice(console.el.children.indexOf(old), 1);
      setDeviceAlias(console.el, `console${i}`);
    });
}
