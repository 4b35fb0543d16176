/**
 * A remote connection: to virtkitd or libvirtd, over a unix socket, TCP, TLS or SSH. The URI says
 * which; the program is the same for all of them.
 *   npx tsx examples/remote.ts 'test+unix:///default?socket=/run/virtkit/virtkit-sock'
 *   npx tsx examples/remote.ts 'test+tls://host.example/default?pkipath=/path/to/client-pki'
 * For TLS, pkipath holds cacert.pem, clientcert.pem and clientkey.pem (libvirt's layout; without
 * it, libvirt's default /etc/pki files are used).
 */
import { DomainState, isNotFound, open } from '@virtkit/core';

async function main(uri: string | undefined): Promise<void> {
  if (!uri) throw new Error('usage: remote.ts URI');
  const conn = await open(uri);
  try {
    console.log(`connected to ${await conn.getHostname()}: ${await conn.getType()} hypervisor`);
    for (const dom of await conn.listAllDomains()) {
      const info = await dom.getInfo();
      console.log(`${dom.getName()}: ${DomainState[info.state]}, ${info.nrVirtCpu} vCPU, ${info.memory} KiB`);
    }
    // Errors come back from the server with libvirt's code: test them with the predicates.
    await conn.lookupByName('no-such-domain').catch((e) => {
      if (!isNotFound(e)) throw e;
      console.log(`as expected: ${(e as Error).message}`);
    });
  } finally {
    await conn.close();
  }
}

main(process.argv[2]).catch((e) => {
  console.error(String(e));
  process.exit(1);
});
