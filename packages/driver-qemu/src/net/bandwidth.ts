/**
 * `<bandwidth>` of a tap-backed NIC with tc, the rules libvirt's virNetDevBandwidthSet installs:
 * traffic the host sends out of the device is shaped by an HTB class (with an SFQ below it),
 * traffic it receives is policed on the ingress qdisc. Rates are in kilobytes per second (tc's
 * `kbps`), bursts in kilobytes.
 */
import { execFile } from 'node:child_process';
import type { XmlElement } from '@virtkit/xml';
import { netdevError } from './iproute';

/** The MTU libvirt sizes the HTB quantum for. */
const QUANTUM_MTU = 1500;

interface Rate {
  average: number;
  peak?: number;
  burst?: number;
}

function tc(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('tc', args, { encoding: 'utf8', timeout: 30_000 }, (err, _out, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve();
    });
  });
}

function rate(el: XmlElement | undefined): Rate | undefined {
  const average = Number(el?.attr('average') ?? 0);
  if (!el || !average) return undefined;
  const num = (n: string) => (el.attr(n) ? Number(el.attr(n)) : undefined);
  return { average, peak: num('peak'), burst: num('burst') };
}

/** HTB's quantum for a class of this rate: one MTU-sized packet per round at least. */
function quantum(r: Rate): string {
  return String(Math.max(1, Math.floor((r.average * 1024) / 8 / QUANTUM_MTU)));
}

/** Shape what leaves the device (root HTB class 1:1 with an SFQ). */
async function shapeEgress(dev: string, r: Rate): Promise<void> {
  await tc(['qdisc', 'add', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', '1']);
  const cls = ['class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:1', 'htb', 'rate', `${r.average}kbps`];
  if (r.peak) cls.push('ceil', `${r.peak}kbps`);
  if (r.burst) cls.push('burst', `${r.burst}kb`);
  await tc([...cls, 'quantum', quantum(r)]);
  await tc(['qdisc', 'add', 'dev', dev, 'parent', '1:1', 'handle', '2:', 'sfq', 'perturb', '10']);
  await tc(['filter', 'add', 'dev', dev, 'parent', '1:0', 'protocol', 'all', 'prio', '1', 'handle', '1', 'fw', 'flowid', '1']);
}

/** Police what arrives at the device (burst defaults to one second's worth, as libvirt's). */
async function policeIngress(dev: string, r: Rate): Promise<void> {
  const burst = r.burst ?? Math.min(r.average, Math.floor(0xffffffff / 1024));
  await tc(['qdisc', 'add', 'dev', dev, 'ingress']);
  await tc([
    'filter',
    'add',
    'dev',
    dev,
    'parent',
    'ffff:',
    'protocol',
    'all',
    'u32',
    'match',
    'u32',
    '0',
    '0',
    'police',
    'rate',
    `${r.average}kbps`,
    'burst',
    `${burst}kb`,
    'mtu',
    '64kb',
    'drop',
    'flowid',
    ':1',
  ]);
}

/** Remove what setBandwidth installed (virNetDevBandwidthClear); a device without it is fine. */
export async function clearBandwidth(dev: string): Promise<void> {
  await tc(['qdisc', 'del', 'dev', dev, 'root']).catch(() => undefined);
  await tc(['qdisc', 'del', 'dev', dev, 'ingress']).catch(() => undefined);
}

/**
 * Apply `<bandwidth>` of interface `el` to its device `dev`. `swapped`: the guest sits on the
 * other side of the device (a tap on a bridge), so the guest's inbound is the device's egress.
 */
export async function setBandwidth(dev: string, el: XmlElement, swapped: boolean): Promise<void> {
  const bw = el.element('bandwidth');
  if (!bw) return;
  const inbound = rate(bw.element('inbound'));
  const outbound = rate(bw.element('outbound'));
  // From the device's side: what it transmits and what it receives.
  const tx = swapped ? inbound : outbound;
  const rx = swapped ? outbound : inbound;
  try {
    if (tx) await shapeEgress(dev, tx);
    if (rx) await policeIngress(dev, rx);
  } catch (e) {
    throw netdevError(`Unable to set bandwidth on '${dev}'`, e);
  }
}
