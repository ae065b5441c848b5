import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Sandbox } from '@ambient-mesh/mesh-sandbox';
import { PortalPermissionPolicy } from '../modules/permissionPolicy';

/** The two identities of the tests and their groups. */
export const DEVELOPER = 'user:default/dev-a';
export const ADMIN = 'user:default/platform-admin';
const GROUPS: Record<string, string[]> = {
  [DEVELOPER]: ['group:default/team-commerce'],
  [ADMIN]: ['group:default/platform-team'],
};

/** Ownership as a sign-in resolver would issue it. */
export const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef as string;
      return {
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, ...(GROUPS[userEntityRef] ?? [])],
      };
    },
  }),
});

/**
 * Catalog entities in the shapes of examples/: team-commerce claims
 * microservices by annotation; team-reporting's reports component has only
 * backstage.io/kubernetes-id, so it claims the namespace its labelled pods
 * run in (reporting, in the sandbox's seed); platform-team claims traefik
 * and istio-system.
 */
export function writeCatalog(
  templates: Array<{ name: string; action: string; input: unknown }>,
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-catalog-'));
  const component = (
    name: string,
    owner: string,
    annotations: Record<string, string>,
  ) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  });
  const entities = [
    component('orders', 'team-commerce', {
      'backstage.io/kubernetes-id': 'orders',
      'backstage.io/kubernetes-namespace': 'microservices',
    }),
    component('reports', 'team-reporting', {
      'backstage.io/kubernetes-id': 'reports',
    }),
    component('traefik', 'platform-team', {
      'backstage.io/kubernetes-id': 'traefik',
      'backstage.io/kubernetes-namespace': 'traefik',
    }),
    component('istio-control-plane', 'platform-team', {
      'backstage.io/kubernetes-namespace': 'istio-system',
    }),
    ...['team-commerce', 'team-reporting', 'platform-team'].map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name },
      spec: { type: 'team', children: [] },
    })),
    ...[
      ['dev-a', 'team-commerce'],
      ['platform-admin', 'platform-team'],
    ].map(([name, group]) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name },
      spec: { memberOf: [group] },
    })),
    ...templates.map(t => ({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: t.name },
      spec: {
        owner: 'platform-team',
        type: 'service',
        parameters: [],
        steps: [
          { id: 'istio', name: 'istio', action: t.action, input: t.input },
        ],
      },
    })),
  ];
  const file = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(file, entities.map(e => JSON.stringify(e)).join('\n---\n'));
  return file;
}

/** Backend config: the catalog file, the sandbox as the only cluster. */
export function backendConfig(sandbox: Sandbox, catalogFile: string) {
  return {
    backend: { baseUrl: 'http://localhost:7007' },
    permission: { enabled: true },
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User', 'Template'] }],
      locations: [{ type: 'file', target: catalogFile }],
    },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'sandbox',
              url: sandbox.kubernetesUrl,
              authProvider: 'serviceAccount',
              serviceAccountToken: sandbox.tokens.admin,
              caData: Buffer.from(sandbox.caCert).toString('base64'),
            },
          ],
        },
      ],
    },
    istio: { onboarding: { requestTimeoutSeconds: 5 } },
  };
}

/** Requests that change something on the sandbox's Kubernetes API. */
export function writes(sandbox: Sandbox) {
  return sandbox.requestLog.count(
    e => e.server === 'kubernetes' && !['GET', 'HEAD'].includes(e.method),
  );
}

/** Method and path of each request that changed something on the Kubernetes API. */
export function writePaths(sandbox: Sandbox): string[] {
  return sandbox.requestLog
    .list(e => e.server === 'kubernetes' && !['GET', 'HEAD'].includes(e.method))
    .map(e => `${e.method} ${e.path}`);
}

/**
 * The Gateway API CRDs the sandbox serves, as one multi-document manifest
 * on a local URL (the download `istio:mesh:provision` makes from
 * istio.onboarding.gatewayApiManifests.urls).
 */
export async function serveGatewayApiManifest(sandbox: Sandbox) {
  const crds: any = await new Promise((resolve, reject) => {
    https
      .get(
        new URL(
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
          sandbox.kubernetesUrl,
        ),
        {
          ca: sandbox.caCert,
          headers: { authorization: `Bearer ${sandbox.tokens.admin}` },
        },
        res => {
          let data = '';
          res.on('data', c => (data += c));
          res.on('end', () => resolve(JSON.parse(data)));
        },
      )
      .on('error', reject);
  });
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

/** Owners of the fixture entities, as the catalog's relations hold them. */
const OWNERS: Record<string, string> = {
  'component:default/orders': 'group:default/team-commerce',
  'component:default/reports': 'group:default/team-reporting',
  'component:default/traefik': 'group:default/platform-team',
  'component:default/istio-control-plane': 'group:default/platform-team',
};

/**
 * The permission service with the portal's policy. Conditional decisions
 * are applied like the catalog's IS_ENTITY_OWNER rule (owner in the
 * claims). The test backend's mock tokens carry no on-behalf-of actor, so
 * the permission backend plugin itself cannot serve these requests.
 */
export function portalPermissionsFactory(
  policyOptions: { platformAdmins?: readonly string[] } = {},
) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: { userInfo: coreServices.userInfo },
    factory: ({ userInfo }) => {
      const policy = new PortalPermissionPolicy({ userInfo, ...policyOptions });
      const decide = async (permission: any, credentials: any) => {
        if (credentials.principal.type !== 'user') {
          return { result: 'ALLOW' as const };
        }
        return policy.handle({ permission } as any, { credentials } as any);
      };
      return {
        async authorize(requests: any[], options: any) {
          return Promise.all(
            requests.map(async request => {
              const decision: any = await decide(
                request.permission,
                options.credentials,
              );
              if (decision.result !== 'CONDITIONAL') return decision;
              const owner = OWNERS[request.resourceRef];
              const claims: string[] = decision.conditions.params.claims;
              return {
                result:
                  decision.conditions.rule === 'IS_ENTITY_OWNER' &&
                  owner &&
                  claims.includes(owner)
                    ? 'ALLOW'
                    : 'DENY',
              };
            }),
          );
        },
        async authorizeConditional(requests: any[], options: any) {
          return Promise.all(
            requests.map(request =>
              decide(request.permission, options.credentials),
            ),
          );
        },
      } as any;
    },
  });
}
