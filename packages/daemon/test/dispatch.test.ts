/** The generic dispatch from the generated table: record replies by name, nullable records, refreshed owners. */
import { dispatchToDriver } from '../src/dispatch';
import { PROCEDURES, decodeStruct, encodeStruct, type ProcedureInfo } from '@virtkit/protocol';
import type { DriverConnection } from '@virtkit/core';

const DOM = { name: 'vm', uuid: '11111111-2222-3333-4444-555555555555', id: -1 };

function proc(procName: string): ProcedureInfo {
  const p = PROCEDURES.find((x) => x.procName === procName);
  if (!p) throw new Error(`${procName} is not in the generated table`);
  return p;
}

/** Dispatch, then push the reply through its wire layout as the daemon does. */
async function roundTrip(
  conn: Partial<DriverConnection>,
  p: ProcedureInfo,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const fields = await dispatchToDriver(conn as DriverConnection, p, args);
  return decodeStruct(p.ret, encodeStruct(p.ret, fields));
}

describe('dispatch from the generated table', () => {
  const blockJob = proc('REMOTE_PROC_DOMAIN_GET_BLOCK_JOB_INFO');

  test('a nullable record travels behind found = 1, its fields taken by name', async () => {
    expect(blockJob.retShape).toEqual({ kind: 'record', nullable: true, fields: ['type', 'bandwidth', 'cur', 'end'] });
    const seen: unknown[] = [];
    const conn = {
      domainGetBlockJobInfo: async (...a: unknown[]) => {
        seen.push(a);
        return { end: 9, cur: 3, bandwidth: 0, type: 4 };
      },
    };
    expect(await roundTrip(conn, blockJob, { dom: DOM, path: 'vda', flags: 0 })).toEqual({
      found: 1,
      type: 4,
      bandwidth: 0,
      cur: 3,
      end: 9,
    });
    expect(seen).toEqual([[DOM, 'vda', 0]]);
  });

  test('no record answers found = 0 and zeros', async () => {
    const conn = { domainGetBlockJobInfo: async () => null };
    expect(await roundTrip(conn, blockJob, { dom: DOM, path: 'vda', flags: 0 })).toEqual({
      found: 0,
      type: 0,
      bandwidth: 0,
      cur: 0,
      end: 0,
    });
  });

  test('a record that is not nullable must be there', async () => {
    const conn = { domainGetInfo: async () => null };
    await expect(
      dispatchToDriver(conn as unknown as DriverConnection, proc('REMOTE_PROC_DOMAIN_GET_INFO'), { dom: DOM }),
    ).rejects.toMatchObject({ code: 1 });
  });

  test('DOMAIN_CREATE_WITH_FLAGS answers the domain as it is after the start', async () => {
    const started = { ...DOM, id: 7 };
    const conn = { domainCreateWithFlags: async () => undefined, domainLookupByUUIDString: async () => started };
    expect(await roundTrip(conn, proc('REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS'), { dom: DOM, flags: 0 })).toEqual({ dom: started });
  });

  test('a driver without the SPI method answers VIR_ERR_NO_SUPPORT', async () => {
    await expect(dispatchToDriver({} as DriverConnection, blockJob, { dom: DOM, path: 'vda', flags: 0 })).rejects.toMatchObject({
      code: 3,
      message: 'this function is not supported by the connection driver: virDomainGetBlockJobInfo',
    });
  });
});
