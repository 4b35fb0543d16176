/**
 * The connection that controls a migration between its steps (libvirt's close callbacks,
 * qemuMigrationAnyConnectionClosed and the incoming domain's autodestroy). A client that dies
 * between prepare and finish would leave the destination's incoming QEMU waiting forever; one
 * that dies between a change-protected begin and confirm would leave the source's migration job
 * blocking every later move. So the connection that ran the step holds the domain, the next
 * step (finish, confirm, or QEMU going away) lets go, and a close in between abandons the move.
 */
import { DomainJobOperation, DomainShutoffReason } from '@virtkit/core';
import type { ConnectionScope } from '../connection-extensions';
import type { QemuDomainObj } from '../domains/obj';
import type { QemuDriver } from '../qemu-driver';
import { discard } from './dest';
import { MigrationJob } from './job';
import { letGo, migrationStateOf } from './state';

export interface MigrationControl {
  /** This connection controls the move of `obj` until its next step. */
  hold(obj: QemuDomainObj): void;
  /** A change-protected begin: the source's migration job runs from now until confirm. */
  holdOutgoing(obj: QemuDomainObj): void;
}

export function migrationControl(driver: QemuDriver, scope: ConnectionScope): MigrationControl {
  const self = Symbol('migration controller');
  const held = new Set<QemuDomainObj>();
  scope.onClose(async () => {
    for (const obj of held) if (migrationStateOf(obj).controller === self) await abandon(driver, obj);
    held.clear();
  });
  const hold = (obj: QemuDomainObj) => {
    migrationStateOf(obj).controller = self;
    held.add(obj);
  };
  return {
    hold,
    holdOutgoing: (obj) => {
      migrationStateOf(obj).job = new MigrationJob(DomainJobOperation.VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT);
      hold(obj);
    },
  };
}

/**
 * The controlling connection closed before the next step: an incoming domain is destroyed and
 * removed with what prepare created (qemuProcessAutoDestroy); an outgoing job ends and the
 * source runs on as it was (qemuMigrationAnyConnectionClosed's CONFIRM3_CANCELLED).
 */
async function abandon(driver: QemuDriver, obj: QemuDomainObj): Promise<void> {
  const st = migrationStateOf(obj);
  letGo(obj);
  await driver.withJob(obj, 'destroy', 'qemuMigrationAnyConnectionClosed', async () => {
    if (st.incoming) {
      st.incoming.job.end('cancelled');
      await discard(driver, obj, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_DESTROYED);
    } else if (st.job?.operation === DomainJobOperation.VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT) {
      st.job.end('cancelled');
      st.job = undefined;
    }
  });
}
