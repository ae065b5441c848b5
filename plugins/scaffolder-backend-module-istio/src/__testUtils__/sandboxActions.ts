import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ConfigClusterClientFactory } from '@ambient-mesh/plugin-istio-node';
import type { Sandbox } from '@ambient-mesh/mesh-sandbox';
import { IstioActionDeps } from '../actions';

/**
 * Action dependencies pointing at a running sandbox through the same config
 * keys a deployment uses (kubernetes.clusterLocatorMethods).
 */
export function sandboxDeps(
  sandbox: Sandbox,
  options: {
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    token?: string;
  } = {},
): IstioActionDeps {
  const config = new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'sandbox',
              url: sandbox.kubernetesUrl,
              authProvider: 'serviceAccount',
              serviceAccountToken: options.token ?? sandbox.tokens.admin,
              caData: Buffer.from(sandbox.caCert).toString('base64'),
            },
          ],
        },
      ],
    },
  });
  return {
    clusters: ConfigClusterClientFactory.fromConfig(config),
    permissions: mockServices.permissions({
      result: options.result ?? AuthorizeResult.ALLOW,
    }),
    waypointTimeoutMs: 15_000,
  };
}

/** A mock action context recording outputs, logs and checkpoint keys. */
export function actionContext(input: Record<string, unknown>, dryRun = false) {
  const logger = mockServices.logger.mock();
  const outputs: Record<string, any> = {};
  const checkpoints: string[] = [];
  const base = createMockActionContext({ input: input as any, logger });
  const ctx = {
    ...base,
    isDryRun: dryRun,
    step: { id: 'onboard', name: 'onboard' },
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async (opts: { key: string; fn: () => Promise<any> }) => {
      checkpoints.push(opts.key);
      return opts.fn();
    },
  };
  const logLines = () =>
    [...logger.info.mock.calls, ...logger.warn.mock.calls].map(c =>
      String(c[0]),
    );
  return { ctx: ctx as any, outputs, checkpoints, logLines };
}

/** Requests that change something on the Kubernetes server. */
export function writesIn(sandbox: Sandbox) {
  return sandbox.requestLog.list(
    e => e.server === 'kubernetes' && !['GET', 'HEAD'].includes(e.method),
  );
}

async function request(
  sandbox: Sandbox,
  path: string,
  init: { method: string; body?: string; contentType?: string },
) {
  return new Promise<any>((resolve, reject) => {
    const url = new URL(path, sandbox.kubernetesUrl);
    const req = https.request(
      url,
      {
        method: init.method,
        ca: sandbox.caCert,
        headers: {
          authorization: `Bearer ${sandbox.tokens.admin}`,
          ...(init.contentType ? { 'content-type': init.contentType } : {}),
        },
      },
      res => {
        let data = '';
        res.on('data', c => (data += c));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300)
            reject(new Error(`${res.statusCode} ${data}`));
          else resolve(JSON.parse(data));
        });
      },
    );
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

/** GET a path of the sandbox's Kubernetes API as admin. */
export function getJson(sandbox: Sandbox, path: string) {
  return request(sandbox, path, { method: 'GET' });
}

/** Server-side apply as another field manager (like kubectl apply --server-side). */
export function fetchApply(
  sandbox: Sandbox,
  path: string,
  body: object,
  fieldManager: string,
) {
  return request(sandbox, `${path}?fieldManager=${fieldManager}`, {
    method: 'PATCH',
    body: JSON.stringify(body),
    contentType: 'application/apply-patch+yaml',
  });
}

/** A local copy of the Gateway API CRDs, as the provision action downloads them. */
export async function serveGatewayApiManifest(sandbox: Sandbox) {
  const crds = await getJson(
    sandbox,
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  );
  const manifest = crds.items
    .filter((crd: any) => crd.spec.group === 'gateway.networking.k8s.io')
    .map((crd: any) =>
      JSON.stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: {
          name: crd.metadata.name,
          annotations: crd.metadata.annotations,
        },
        spec: crd.spec,
      }),
    )
    .join('\n---\n');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end(manifest);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/standard-install.yaml`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}
