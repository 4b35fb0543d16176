/**
 * vsh against virsh 9.0: pool lifecycle and volume commands on the test driver. virtkit's test
 * driver wipes, resizes, uploads and downloads where libvirt's answers "not supported", so those
 * calls are compared only up to the call (argument errors); storage-qemu.test.ts runs them.
 */
import { compareAll, type Outcome } from './harness';

/** Pools defined without a UUID get a random one, printed by pool-info and in errors. */
const maskUuids = (o: Outcome): Outcome => ({
  ...o,
  stdout: o.stdout.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'),
  stderr: o.stderr.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'),
});

const AS =
  'pool-define-as p3 netfs --print-xml --source-host h --target /t --source-initiator iqn --auth-type chap ' +
  '--auth-username u --secret-uuid 48b3aacb-dbf3-45e3-8d4b-89c6610e8ed2 --adapter-wwnn 1 --adapter-wwpn 2 --adapter-parent p';

compareAll({
  'pool define/build/start/refresh/destroy/delete/undefine': {
    script:
      'pool-define pool-p1.xml; pool-build p1; pool-start p1; pool-refresh p1; pool-info p1; pool-destroy p1; ' +
      'pool-delete p1; pool-undefine p1; pool-list --all',
    mask: maskUuids,
  },
  'pool-autostart, pool-uuid, pool-name, pool-dumpxml': {
    script:
      'pool-autostart default-pool; pool-list --autostart; pool-autostart default-pool --disable; ' +
      'pool-uuid default-pool; pool-name dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566; pool-name default-pool; pool-dumpxml default-pool; ' +
      'pool-dumpxml default-pool --inactive',
  },
  'pool-define-as and pool-create-as': {
    script:
      `pool-define-as p3 dir --print-xml; ${AS}; pool-define-as p3 dir --print-xml --source-host a:5 --source-path /s ` +
      '--source-dev /d --source-initiator i --adapter-name n --source-format f --source-name nm --source-protocol-ver 4; ' +
      'pool-define-as p3 dir --print-xml --source-format f --adapter-wwnn 1 --adapter-wwpn 2 --adapter-parent-wwnn 3 --adapter-parent-wwpn 4; ' +
      'pool-define-as p3 dir --print-xml --source-path /x --adapter-wwnn 1 --adapter-wwpn 2 --adapter-parent-fabric-wwn 5; ' +
      'pool-define-as p3 dir --print-xml --secret-usage x --secret-uuid y; pool-define-as p5 dir --source-host h; ' +
      'pool-define-as p2 dir --target /tmp/p2; pool-create-as p4 dir --target /tmp/p4; pool-create-as p6 dir --build --overwrite --no-overwrite; ' +
      'pool-define-as "a<b" dir --print-xml --target "/x&y"; pool-list --all --details',
  },
  'pool errors': {
    script:
      'pool-create nope.xml; pool-define nope.xml; pool-start nope; pool-uuid nope; pool-define-as p2 dir --target /tmp/p2; ' +
      'pool-destroy p2; pool-build --overwrite --no-overwrite p2; pool-start default-pool --build; pool-start p2 --overwrite --no-overwrite; ' +
      'pool-create pool-p1.xml; pool-create pool-p1.xml; pool-delete default-pool',
    mask: maskUuids,
  },
  'pool commands quiet': {
    script: 'pool-define pool-p1.xml; pool-start p1; pool-autostart p1; pool-destroy p1; pool-undefine p1',
    globals: ['-q', '-c', 'test:///default'],
  },
  'vol-create, vol-create-from, vol-clone': {
    script:
      'vol-create default-pool vol-vx.xml; vol-create default-pool vol-vx.xml; vol-create-from default-pool vol-vx.xml vx; ' +
      'vol-create-from default-pool vol-vx.xml vx --inputpool default-pool; vol-create-from nope vol-vx.xml vx; vol-create nope vol-vx.xml; ' +
      'vol-create default-pool nope.xml; vol-clone vx vy --pool default-pool; vol-clone /default-pool/vx vz; vol-clone vx vq --pool default-pool --print-xml; ' +
      'vol-clone nope vq; vol-list default-pool --details',
  },
  'vol-dumpxml, vol-path, vol-key, vol-name, vol-pool': {
    script:
      'vol-create-as default-pool vx 1M; vol-dumpxml vx --pool default-pool; vol-path vx --pool default-pool; vol-key vx --pool default-pool; ' +
      'vol-name /default-pool/vx; vol-pool /default-pool/vx; vol-pool /default-pool/vx --uuid; vol-key nope; vol-name nope; vol-pool nope; ' +
      'vol-path nope --pool default-pool; vol-dumpxml nope',
  },
  'vol-delete, vol-wipe and vol-resize argument errors': {
    script:
      'vol-create-as default-pool vx 1M; vol-create-as default-pool vy 1M; ' +
      'vol-wipe vx --pool default-pool --algorithm bogus; vol-wipe nope --algorithm bogus; ' +
      'vol-resize vx 1x --pool default-pool; vol-resize vx -1M --pool default-pool; ' +
      'vol-resize nope -1M; vol-delete vx --pool default-pool; vol-delete vy --pool default-pool --delete-snapshots; vol-delete nope --pool default-pool; ' +
      'vol-list default-pool',
  },
  'vol-upload, vol-download argument errors': {
    script:
      'vol-create-as default-pool vx 1M; vol-upload vx nofile --pool default-pool; vol-download vx /nonexist/x --pool default-pool; ' +
      'vol-upload vx /etc/hostname --pool default-pool --offset x; vol-upload nope /etc/hostname',
  },
});
