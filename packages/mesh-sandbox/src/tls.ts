import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and a server certificate signed by it, all PEM. */
export interface SandboxTls {
  caCert: string;
  key: string;
  cert: string;
}

/**
 * Generates a throw-away CA and a certificate for 127.0.0.1/localhost with
 * the `openssl` binary, so clients verify the server against the CA that the
 * kubeconfig carries (no insecure-skip-tls-verify).
 */
export function generateTls(): SandboxTls {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-sandbox-tls-'));
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new Error(
          'The mesh sandbox needs the `openssl` binary to create its TLS certificates; install it (apt-get install -y openssl)',
        );
      }
      throw error;
    }
  };
  try {
    const curve = [
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
    ];
    openssl(
      'req',
      '-x509',
      ...curve,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=mesh-sandbox-ca',
    );
    openssl(
      'req',
      ...curve,
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=mesh-sandbox-apiserver',
    );
    writeFileSync(
      join(dir, 'ext.cnf'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '3650',
      '-extfile',
      'ext.cnf',
    );
    return {
      caCert: readFileSync(join(dir, 'ca.crt'), 'utf8'),
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
      cert: readFileSync(join(dir, 'server.crt'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
