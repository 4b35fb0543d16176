/**
 * A throw-away x509 PKI in libvirt's layout, made with the openssl command: a CA, a server
 * certificate for 127.0.0.1/localhost (serverAuth) and a client certificate (clientAuth), with the
 * extensions libvirtd checks on its own certificates at start-up.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Pki {
  dir: string;
  /** Files as libvirtd's `ca_file`, `cert_file`, `key_file` expect them. */
  server: { ca: string; cert: string; key: string };
  /** Directory for the client's `?pkipath=` (cacert.pem, clientcert.pem, clientkey.pem). */
  clientDir: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function signed(dir: string, name: string, subject: string, ext: string): void {
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}key.pem`,
      '-subj',
      subject,
      '-out',
      `${name}.csr`,
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'cacert.pem',
      '-CAkey',
      'cakey.pem',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}cert.pem`,
    ],
    dir,
  );
}

export function makePki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true });
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'cakey.pem',
      '-out',
      'cacert.pem',
      '-days',
      '2',
      '-subj',
      '/CN=virtkit test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  signed(
    dir,
    'server',
    '/CN=localhost',
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  signed(
    dir,
    'client',
    '/O=virtkit/CN=client',
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  const clientDir = path.join(dir, 'client');
  fs.mkdirSync(clientDir);
  fs.copyFileSync(path.join(dir, 'cacert.pem'), path.join(clientDir, 'cacert.pem'));
  fs.copyFileSync(path.join(dir, 'clientcert.pem'), path.join(clientDir, 'clientcert.pem'));
  fs.copyFileSync(path.join(dir, 'clientkey.pem'), path.join(clientDir, 'clientkey.pem'));
  return {
    dir,
    server: { ca: path.join(dir, 'cacert.pem'), cert: path.join(dir, 'servercert.pem'), key: path.join(dir, 'serverkey.pem') },
    clientDir,
  };
}
