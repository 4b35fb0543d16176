/**
 * events: L listeners (the TS remote driver, lifecycle events of every domain) while one raw
 * client defines and undefines a domain for T seconds; each acknowledged cycle owes every
 * listener two events (defined, undefined). Lost events per listener, events per second.
 */
import { open } from '@virtkit/core';
import { remoteProcedure } from '@virtkit/testkit';
import { domainXml, errorText, openRaw, sideBySide, sleep } from './common';
import type { Figures, Probe, ProbeOptions } from './probe';

const LIFECYCLE = 0;

export const eventsProbe: Probe = {
  name: 'events',
  what: 'event listeners for T seconds under define/undefine cycles: lost events (virtkitd and libvirtd 9.0)',
  async run(o: ProbeOptions) {
    const listeners = o.ci ? 5 : 20;
    const seconds = o.ci ? 10 : 60;
    const results = await sideBySide(o.log, async (t) => {
      const uri = `test+unix:///default?socket=${t.sock}`;
      const conns = await Promise.all(Array.from({ length: listeners }, () => open(uri)));
      const received = conns.map(() => 0);
      await Promise.all(
        conns.map((c, i) =>
          c.domainEventRegisterAny(null, LIFECYCLE, (_c, _dom, ev) => {
            if (ev.dom.name === 'soak-events') received[i]++;
          }),
        ),
      );
      const driver = await openRaw(t.sock);
      const define = remoteProcedure('domainDefineXML');
      const undefine = remoteProcedure('domainUndefine');
      let cycles = 0;
      const until = Date.now() + seconds * 1000;
      while (Date.now() < until) {
        const d = await driver.call(define.num, define.args, { xml: domainXml('soak-events') }, define.ret);
        if (d.err) throw new Error(errorText(d.err));
        const u = await driver.call(undefine.num, undefine.args, { dom: d.ok!.dom }, undefine.ret);
        if (u.err) throw new Error(errorText(u.err));
        cycles++;
      }
      const expected = 2 * cycles;
      for (let waited = 0; waited < 5000 && received.some((n) => n < expected); waited += 100) await sleep(100);
      driver.close();
      await Promise.all(conns.map((c) => c.close()));
      return { expected, lost: Math.max(...received.map((n) => expected - n)), perSecond: Math.round((expected * listeners) / seconds) };
    });
    const figures: Figures = { listeners, seconds };
    for (const [name, r] of results) {
      figures[`${name}.eventsPerListener`] = r.expected;
      figures[`${name}.eventsDeliveredPerSecond`] = r.perSecond;
      figures[`${name}.lostMaxPerListener`] = r.lost;
    }
    return figures;
  },
};
