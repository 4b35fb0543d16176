/**
 * LXC-specific commands: lxc-enter-namespace runs a command inside a running container, in the
 * namespaces virDomainLxcOpenNamespace opens (util-linux `nsenter` enters them, as virsh's child
 * does with virDomainLxcEnterNamespace), rooted at the container's init's root. Local
 * connections only, as the namespaces are this host's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { req } from '../opt';
import { multiValues } from '../parse';
import { DOMAIN_OPT } from './shared-options';

/** The namespaces libvirt opens, in its order (user only when the container has its own). */
const KINDS = ['ipc', 'mnt', 'net', 'pid', 'uts'];

export const lxcCommands: CmdDef[] = [
  {
    name: 'lxc-enter-namespace',
    group: 'domain',
    help: 'LXC Guest Enter Namespace',
    opts: [
      DOMAIN_OPT,
      // There are no security labels to change here.
      { name: 'noseclabel', type: 'bool' },
      { name: 'cmd', type: 'string', required: true, multi: true },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const fds = await dom.lxcOpenNamespace(0);
      try {
        const kinds = fds.length > KINDS.length ? ['user', ...KINDS] : KINDS;
        const enter = kinds.map((k, i) => `--${k === 'mnt' ? 'mount' : k}=/proc/self/fd/${3 + i}`);
        const root = `/proc/${dom.getID()}/root`;
        const r = spawnSync('nsenter', [...enter, `--root=${root}`, `--wd=${root}`, '--', ...multiValues(opts, 'cmd')], {
          stdio: ['inherit', 'inherit', 'inherit', ...fds],
        });
        if (r.error) return ctl.fail(`Unable to run nsenter: ${r.error.message}`);
        if (r.status !== 0) return ctl.fail(`internal error: Child process unexpected exit status ${r.status ?? r.signal}`);
        return true;
      } finally {
        for (const fd of fds) fs.closeSync(fd);
      }
    },
  },
];
