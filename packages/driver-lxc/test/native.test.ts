/**
 * `lxc-tools` configurations → domain definitions: the rules of lxc_native.c that the corpus
 * cases do not reach (errors with libvirt's codes and wording, key spellings, sizes).
 */
import { ErrorNumber, VirError } from '@virtkit/core';
import { formatDomainXml } from '@virtkit/xml';
import { lxcCapabilities, lxcConfigToDomain, lxcDriverTable } from '../src';
import { LxcConnection } from '../src/connection';

const caps = lxcCapabilities({ arch: 'x86_64', emulator: '/usr/libexec/libvirt_lxc' });
const BASE = 'lxc.rootfs.path = /srv/ct\nlxc.uts.name = ct\n';

function convert(extra: string): string {
  return formatDomainXml(lxcConfigToDomain(BASE + extra, caps), {});
}

function failure(extra: string, base = BASE): VirError {
  try {
    lxcConfigToDomain(base + extra, caps);
  } catch (e) {
    return e as VirError;
  }
  throw new Error('the conversion succeeded');
}

describe('lxc-tools conversion', () => {
  it('refuses lxc.mount and lxc.mount.fstab', () => {
    for (const key of ['lxc.mount', 'lxc.mount.fstab']) {
      const e = failure(`${key} = /x/fstab\n`);
      expect(e.code).toBe(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED);
      expect(e.message).toBe('argument unsupported: lxc.mount.fstab or lxc.mount found, use lxc.mount.entry lines instead');
    }
  });

  it('reports a bad CIDR address and a tmpfs without size as libvirt does', () => {
    const cidr = failure('lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.300/24\n');
    expect([cidr.code, cidr.message]).toEqual([ErrorNumber.VIR_ERR_INVALID_ARG, "invalid argument: Invalid CIDR address: '10.0.0.300/24'"]);
    const tmpfs = failure('lxc.mount.entry = tmpfs run tmpfs mode=0755 0 0\n');
    expect(tmpfs.message).toBe('internal error: missing tmpfs size, set the size option');
    expect(failure('lxc.mount.entry = tmpfs run tmpfs size=50% 0 0\n').message).toBe("internal error: can't convert relative size: '50%'");
  });

  it('fails without a root filesystem or a name, and on a syntax error', () => {
    expect(failure('', 'lxc.uts.name = ct\n').code).toBe(ErrorNumber.VIR_ERR_INTERNAL_ERROR);
    expect(failure('', 'lxc.rootfs = /srv/ct\n').code).toBe(ErrorNumber.VIR_ERR_INTERNAL_ERROR);
    const syntax = failure('lxc.hook = x\n-bad line\n');
    expect([syntax.code, syntax.message]).toEqual([
      ErrorNumber.VIR_ERR_CONF_SYNTAX,
      'configuration file syntax error: memory conf:4: expecting a name',
    ]);
  });

  it('maps sizes, block roots, read-only binds and skips basic mounts', () => {
    const xml = convert(
      'lxc.mount.entry = /dev/sdb1 data ext4 ro 0 0\nlxc.mount.entry = proc proc proc defaults 0 0\nlxc.mount.entry = tmpfs tmp tmpfs size=1G 0 0\n',
    );
    expect(xml).toContain(
      "<filesystem type='block' accessmode='passthrough'>\n      <source dev='/dev/sdb1'/>\n      <target dir='/data'/>\n      <readonly/>",
    );
    expect(xml).toContain("<source usage='1048576' units='KiB'/>\n      <target dir='/tmp'/>");
    expect(xml).not.toContain("dir='/proc'");
  });

  it('keeps v3 NICs apart by index and legacy NICs by their type line', () => {
    const v3 = convert('lxc.net.1.type = veth\nlxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.1.flags = up\n');
    expect(v3.indexOf("<interface type='ethernet'>")).toBeLessThan(v3.indexOf("<interface type='bridge'>"));
    expect(v3).toContain("<link state='up'/>");
    const e = failure('lxc.network.link = br0\n');
    expect(e.message).toBe('An error occurred, but the cause is unknown');
  });

  it('drops only the capabilities libvirt knows', () => {
    const xml = convert('lxc.cap.drop = sys_admin  bogus net_raw\n');
    expect(xml).toContain(
      "<capabilities policy='allow'>\n      <net_raw state='off'/>\n      <sys_admin state='off'/>\n    </capabilities>",
    );
  });
});

describe('driver table', () => {
  it('lists exactly the SPI methods the connection has', () => {
    const methods = Object.getOwnPropertyNames(LxcConnection.prototype).filter((m) => /^(connect|domain|node)[A-Z]/.test(m));
    expect(methods.sort()).toEqual(Object.keys(lxcDriverTable).sort());
  });
});
