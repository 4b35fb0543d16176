/**
 * load: N clients × M calls (domainLookupByName and connectNumOfDomains, one call outstanding per
 * client) against virtkitd and a private libvirtd 9.0 serving test:///default, the same raw
 * client for both. Calls per second and errors.
 */
import type { RawClient } from '@virtkit/testkit';
import { remoteProcedure } from '@virtkit/testkit';
import { openRaw, sideBySide } from './common';
import type { Figures, Probe, ProbeOptions } from './probe';

async function oneClient(c: RawClient, calls: number): Promise<number> {
  const lookup = remoteProcedure('domainLookupByName');
  const count = remoteProcedure('connectNumOfDomains');
  let errors = 0;
  for (let i = 0; i < calls; i++) {
    const r = i % 2 ? await c.call(count.num, [], {}, count.ret) : await c.call(lookup.num, lookup.args, { name: 'test' }, lookup.ret);
    if (r.err) errors++;
  }
  return errors;
}

export const loadProbe: Probe = {
  name: 'load',
  what: 'N clients × M calls against virtkitd and libvirtd 9.0 side by side: calls/s, errors',
  async run(o: ProbeOptions) {
    const clients = o.ci ? 10 : 50;
    const calls = o.ci ? 300 : 1000;
    const results = await sideBySide(o.log, async (t) => {
      const conns = await Promise.all(Array.from({ length: clients }, () => openRaw(t.sock)));
      const t0 = performance.now();
      const errors = await Promise.all(conns.map((c) => oneClient(c, calls).catch(() => calls)));
      const seconds = (performance.now() - t0) / 1000;
      for (const c of conns) c.close();
      return { rate: Math.round((clients * calls) / seconds), errors: errors.reduce((a, b) => a + b, 0) };
    });
    const figures: Figures = { clients, callsPerClient: calls };
    for (const [name, r] of results) {
      figures[`${name}.callsPerSecond`] = r.rate;
      figures[`${name}.errors`] = r.errors;
    }
    const ours = results.get('virtkitd');
    const theirs = results.get('libvirtd 9.0');
    if (ours && theirs) figures['virtkitd.rateVsLibvirtd'] = Math.round((ours.rate / theirs.rate) * 100) / 100;
    return figures;
  },
};
