/**
 * huge-define: one client defines a domain with 16,000 `<interface>` elements on test:///default
 * while a bystander asks for the domain list every 50 ms; the bystander's worst latency during the
 * define, the define's duration and outcome (virtkitd and libvirtd 9.0, which refuses it).
 */
import { callWithin, domainXml, numOfDomains, openRaw, sideBySide, sleep, timed } from './common';
import type { Figures, Probe, ProbeOptions } from './probe';

const INTERFACES = 16000;
/** How long the define (and a bystander's call) may take before the probe gives up on it. */
const DEFINE_TIMEOUT_MS = 120000;

function hugeXml(): string {
  const nic = "<interface type='network'><source network='default'/></interface>";
  return domainXml('soak-huge', `<devices>${nic.repeat(INTERFACES)}</devices>`);
}

export const hugeDefineProbe: Probe = {
  name: 'huge-define',
  what: `defineXML with ${INTERFACES} interfaces while another client lists: bystander latency (virtkitd and libvirtd 9.0)`,
  async run(o: ProbeOptions) {
    const results = await sideBySide(o.log, async (t) => {
      const definer = await openRaw(t.sock);
      const bystander = await openRaw(t.sock);
      const idle = await timed(() => numOfDomains(bystander));
      let defining = true;
      const defined = timed(() => callWithin(definer, 'domainDefineXML', { xml: hugeXml() }, DEFINE_TIMEOUT_MS)).finally(() => {
        defining = false;
      });
      defined.catch(() => undefined);
      let worstMs = 0;
      let asks = 0;
      while (defining) {
        const asked = await timed(() => numOfDomains(bystander, DEFINE_TIMEOUT_MS)).catch(() => ({ ms: DEFINE_TIMEOUT_MS }));
        worstMs = Math.max(worstMs, asked.ms);
        asks++;
        await sleep(50);
      }
      const d = await defined;
      definer.close();
      bystander.close();
      return { idleMs: idle.ms, worstMs, asks, defineMs: d.ms, outcome: d.value.err ? `error: ${d.value.err.message}` : 'defined' };
    });
    const figures: Figures = { interfaces: INTERFACES };
    for (const [name, r] of results) {
      figures[`${name}.defineMs`] = Math.round(r.defineMs);
      figures[`${name}.defineOutcome`] = r.outcome.slice(0, 120);
      figures[`${name}.bystanderIdleMs`] = Math.round(r.idleMs * 10) / 10;
      figures[`${name}.bystanderWorstMs`] = Math.round(r.worstMs);
      figures[`${name}.bystanderCalls`] = r.asks;
    }
    return figures;
  },
};
