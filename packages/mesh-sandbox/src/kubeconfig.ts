import { stringify } from 'yaml';
import { SANDBOX_TOKENS } from './kube/auth';

/** Context names in the sandbox kubeconfig. */
export const KUBECONFIG_CONTEXTS = {
  admin: 'sandbox-admin',
  readonly: 'sandbox-readonly',
} as const;

/**
 * A kubeconfig (YAML) for the sandbox: cluster `mesh-sandbox` with the CA
 * embedded, and contexts `sandbox-admin` (current) and `sandbox-readonly`.
 */
export function buildKubeconfig(server: string, caCert: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'mesh-sandbox',
        cluster: {
          server,
          'certificate-authority-data': Buffer.from(caCert).toString('base64'),
        },
      },
    ],
    users: [
      { name: 'sandbox-admin', user: { token: SANDBOX_TOKENS.admin } },
      { name: 'sandbox-readonly', user: { token: SANDBOX_TOKENS.readonly } },
    ],
    contexts: [
      {
        name: KUBECONFIG_CONTEXTS.admin,
        context: { cluster: 'mesh-sandbox', user: 'sandbox-admin' },
      },
      {
        name: KUBECONFIG_CONTEXTS.readonly,
        context: { cluster: 'mesh-sandbox', user: 'sandbox-readonly' },
      },
    ],
    'current-context': KUBECONFIG_CONTEXTS.admin,
  });
}
