/**
 * virDomainStartDirtyRateCalc on a running TCG QEMU: QEMU measures over the period and the
 * dirtyrate stats group reports the measurement; the refusals are libvirt's.
 */
import {
  ConnectGetAllDomainStatsFlags as SF,
  DomainDirtyRateCalcFlags as D,
  DomainDirtyRateStatus,
  DomainStatsTypes as S,
  ErrorNumber,
  type Connect,
  type Domain,
  type VirError,
} from '@virtkit/core';
import { cleanupRoot, domainXml, newRoot, openEmbed, rejection, until } from './driver-helpers';

describe('dirty page rate on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  let dom: Domain;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    dom = await conn.defineXML(domainXml('dirty'));
    await dom.create();
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  const dirtyStats = async () =>
    (await conn.getAllDomainStats(S.VIR_DOMAIN_STATS_DIRTYRATE, SF.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE))[0].params;

  it('measures over the period and reports it in the dirtyrate group', async () => {
    await dom.startDirtyRateCalc(1, D.VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING);
    expect((await dirtyStats())['dirtyrate.calc_status']).toBe(DomainDirtyRateStatus.VIR_DOMAIN_DIRTYRATE_MEASURING);
    await until(async () => (await dirtyStats())['dirtyrate.calc_status'] === DomainDirtyRateStatus.VIR_DOMAIN_DIRTYRATE_MEASURED, 10_000);
    const stats = await dirtyStats();
    expect(stats['dirtyrate.calc_period']).toBe(1);
    expect(stats['dirtyrate.calc_mode']).toBe('page-sampling');
    expect(typeof stats['dirtyrate.megabytes_per_second']).toBe('number');
  });

  it("refuses what libvirt's qemuDomainStartDirtyRateCalc refuses", async () => {
    const cases: Array<[Promise<unknown>, number, string]> = [
      [
        dom.startDirtyRateCalc(0, 0),
        ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
        'unsupported configuration: seconds=0 is invalid, please choose value within [1, 60].',
      ],
      [
        dom.startDirtyRateCalc(61, 0),
        ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
        'unsupported configuration: seconds=61 is invalid, please choose value within [1, 60].',
      ],
      [
        dom.startDirtyRateCalc(1, D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP | D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING),
        ErrorNumber.VIR_ERR_INVALID_ARG,
        "Flags 'VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP' and 'VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING' are mutually exclusive",
      ],
      [
        dom.startDirtyRateCalc(1, D.VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING),
        ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
        'Operation not supported: dirty-ring calculation mode requires dirty-ring feature enabled.',
      ],
    ];
    for (const [call, code, message] of cases) {
      const e = (await rejection(call)) as VirError;
      expect([e.code, e.message]).toEqual([code, message]);
    }
    await dom.destroy();
    const e = (await rejection(dom.startDirtyRateCalc(1, 0))) as VirError;
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_OPERATION_INVALID, 'Requested operation is not valid: domain is not running']);
  });
});
