import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import templateEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import istioActions from '@ambient-mesh/plugin-scaffolder-backend-module-istio';
import {
  ADMIN,
  DEVELOPER,
  backendConfig,
  portalPermissionsFactory,
  serveGatewayApiManifest,
  userInfoFactory,
  writeCatalog,
  writePaths,
  writes,
} from './fixtures';

jest.setTimeout(180_000);

/** One catalog Template per (action, input) the task API runs. */
const TASK_TEMPLATES = new Map<
  string,
  { name: string; action: string; input: unknown }
>();
function templateFor(action: string, input: unknown) {
  const key = JSON.stringify([action, input]);
  if (!TASK_TEMPLATES.has(key)) {
    TASK_TEMPLATES.set(key, {
      name: `case-${TASK_TEMPLATES.size}`,
      action,
      input,
    });
  }
  return TASK_TEMPLATES.get(key)!.name;
}
const onboard = (namespace: string) => ({
  namespace,
  waypoint: false,
  defaultPolicies: false,
});
/** Changes team-commerce makes in its own namespace, in this order. */
const DEVELOPER_OWN: Array<[string, string, Record<string, unknown>]> = [
  [
    'apply a policy in',
    'istio:policy:apply',
    {
      namespace: 'microservices',
      name: 'allow-frontend',
      rules: [{ fromNamespaces: ['frontend'] }],
    },
  ],
  ['offboard', 'istio:namespace:offboard', { namespace: 'microservices' }],
];
/** A write path of the Kubernetes API inside one namespace (or the namespace itself). */
const inNamespace = (namespace: string) =>
  new RegExp(`^[A-Z]+ /api(s/[^/]+)?/v\\d[^/]*/namespaces/${namespace}(/|$)`);
const DEVELOPER_REFUSED: Array<
  [string, string, Record<string, unknown>, RegExp]
> = [
  [
    "another team's namespace",
    'istio:namespace:onboard',
    onboard('reporting'),
    /istio\.namespace\.manage.*component:default\/reports.*owned by group:default\/team-reporting/,
  ],
  [
    "another team's namespace (offboard)",
    'istio:namespace:offboard',
    { namespace: 'reporting' },
    /istio\.namespace\.manage.*group:default\/team-reporting/,
  ],
  [
    "another team's namespace (an allow-all policy)",
    'istio:policy:apply',
    { namespace: 'reporting', name: 'allow-all', rules: [{}] },
    /istio\.namespace\.manage.*group:default\/team-reporting/,
  ],
  [
    'a platform namespace',
    'istio:waypoint:apply',
    { namespace: 'traefik' },
    /istio\.namespace\.manage.*group:default\/platform-team/,
  ],
  [
    'an unclaimed namespace',
    'istio:namespace:onboard',
    onboard('billing'),
    /claimed by no catalog entity.*istio\.mesh\.admin/,
  ],
  [
    'a deny-all in the protected root namespace',
    'istio:policy:apply',
    {
      namespace: 'istio-system',
      name: 'deny-all',
      action: 'DENY',
      rules: [{}],
    },
    /istio\.mesh\.admin/,
  ],
  [
    'kube-system',
    'istio:namespace:onboard',
    onboard('kube-system'),
    /protected/,
  ],
  ['mesh provisioning', 'istio:mesh:provision', {}, /istio\.mesh\.admin/],
  ['the mesh check', 'istio:mesh:check', {}, /istio\.mesh\.admin/],
];
const ADMIN_ALLOWED: Array<[string, string, Record<string, unknown>]> = [
  ["another team's namespace", 'istio:namespace:onboard', onboard('reporting')],
  ['an unclaimed namespace', 'istio:namespace:onboard', onboard('billing')],
  ['a platform namespace', 'istio:namespace:onboard', onboard('traefik')],
  ['the mesh check', 'istio:mesh:check', {}],
  [
    'a policy in the root namespace istio-system (mesh-wide)',
    'istio:policy:apply',
    {
      namespace: 'istio-system',
      name: 'deny-legacy',
      action: 'DENY',
      rules: [{ fromNamespaces: ['legacy'] }],
    },
  ],
  [
    'the mesh by provisioning it',
    'istio:mesh:provision',
    { gatewayApiVersion: 'v1.5.0' },
  ],
];
const ADMIN_PROTECTED: Array<[string, Record<string, unknown>]> = [
  ['istio-system', onboard('istio-system')],
  ['kube-system', onboard('kube-system')],
  ['ztunnel', onboard('ztunnel')],
];
templateFor('istio:namespace:onboard', onboard('microservices'));
DEVELOPER_OWN.forEach(([, a, i]) => templateFor(a, i));
DEVELOPER_REFUSED.forEach(([, a, i]) => templateFor(a, i));
ADMIN_ALLOWED.forEach(([, a, i]) => templateFor(a, i));
ADMIN_PROTECTED.forEach(([, i]) => templateFor('istio:namespace:onboard', i));

/*
 * Tenancy through the portal's policy, the real catalog and scaffolder
 * (dry-run and task APIs), against the sandbox: a developer of
 * team-commerce and a platform admin (member of platform-team).
 */
describe('who may change which namespace', () => {
  let sandbox: Sandbox;
  let server: any;
  let stop: () => Promise<void>;
  let manifest: { url: string; close: () => Promise<unknown> };

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 100, tickMs: 1000 });
    manifest = await serveGatewayApiManifest(sandbox);
    const config = backendConfig(
      sandbox,
      writeCatalog([...TASK_TEMPLATES.values()]),
    );
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        templateEntityModel,
        portalPermissionsFactory(),
        scaffolderPlugin,
        istioActions,
        userInfoFactory,
        mockServices.rootConfig.factory({
          data: {
            ...config,
            istio: {
              onboarding: {
                ...config.istio.onboarding,
                gatewayApiManifests: { urls: [manifest.url] },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    // Wait until the catalog has ingested the template and the components
    for (let i = 0; i < 100; i++) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/reports')
        .set('Authorization', mockCredentials.user.header(ADMIN));
      const template = await request(server)
        .get(
          `/api/catalog/entities/by-name/template/default/case-${
            TASK_TEMPLATES.size - 1
          }`,
        )
        .set('Authorization', mockCredentials.user.header(ADMIN));
      if (res.status === 200 && template.status === 200) break;
      await new Promise(r => setTimeout(r, 300));
    }
  });

  afterAll(async () => {
    await stop?.();
    await manifest?.close();
    await sandbox?.stop();
  });

  const template = (action: string, input: Record<string, unknown>) => ({
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'istio-step' },
    spec: {
      owner: 'platform-team',
      type: 'service',
      parameters: [],
      steps: [{ id: 'istio', name: 'istio', action, input }],
    },
  });

  async function dryRun(
    user: string,
    action: string,
    input: Record<string, unknown>,
  ) {
    sandbox.requestLog.clear();
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header(user))
      .send({
        template: template(action, input),
        values: {},
        secrets: {},
        directoryContents: [],
      });
    // A refused step answers with its error (403 NotAllowed, 400 InputError)
    const log =
      res.status === 200
        ? (res.body.log ?? []).map((l: any) => l.body?.message ?? '').join('\n')
        : String(res.body.error?.message);
    const failed =
      res.status !== 200 ||
      (res.body.log ?? []).some((l: any) => l.body?.status === 'failed');
    if (failed) expect(res.status).toBeGreaterThanOrEqual(400);
    if (failed) expect(res.status).toBeLessThan(500);
    return { status: res.status, log, failed, writes: writes(sandbox) };
  }

  async function task(
    user: string,
    action: string,
    input: Record<string, unknown>,
  ) {
    sandbox.requestLog.clear();
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header(user))
      .send({
        templateRef: `template:default/${templateFor(action, input)}`,
        values: {},
      });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    const id = created.body.id;
    let status = 'open';
    for (
      let i = 0;
      i < 400 && !['completed', 'failed', 'cancelled'].includes(status);
      i++
    ) {
      await new Promise(r => setTimeout(r, 150));
      const res = await request(server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', mockCredentials.user.header(user));
      status = res.body.status;
    }
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${id}/events`)
      .set('Authorization', mockCredentials.user.header(user));
    const log = (events.body ?? [])
      .map((e: any) => e.body?.message ?? '')
      .join('\n');
    return {
      status,
      log,
      writes: writes(sandbox),
      writePaths: writePaths(sandbox),
    };
  }

  describe('a developer of team-commerce', () => {
    it('may plan and onboard its own namespace (microservices)', async () => {
      const dry = await dryRun(
        DEVELOPER,
        'istio:namespace:onboard',
        onboard('microservices'),
      );
      expect(dry.failed).toBe(false);
      expect(dry.log).toMatch(/Dry run: nothing was written/);
      expect(dry.writes).toBe(0);
      const run = await task(
        DEVELOPER,
        'istio:namespace:onboard',
        onboard('microservices'),
      );
      expect(run.status).toBe('completed');
    });

    it.each(DEVELOPER_OWN)(
      'may plan and %s its own namespace, writing only there',
      async (_what, action, input) => {
        const dry = await dryRun(DEVELOPER, action, input);
        expect(dry.failed).toBe(false);
        expect(dry.log).toMatch(/Dry run: nothing was written/);
        expect(dry.writes).toBe(0);
        const run = await task(DEVELOPER, action, input);
        expect(run.log).not.toMatch(/may not change/);
        expect(run.status).toBe('completed');
        expect(run.writePaths.length).toBeGreaterThan(0);
        for (const write of run.writePaths) {
          expect(write).toMatch(inNamespace('microservices'));
        }
      },
    );

    it.each(DEVELOPER_REFUSED)(
      'is refused %s, in dry run and in a task, with 0 writes',
      async (_what, action, input, message) => {
        const dry = await dryRun(DEVELOPER, action, input);
        expect(dry.failed).toBe(true);
        expect(dry.log).toMatch(message);
        expect(dry.writes).toBe(0);
        const run = await task(DEVELOPER, action, input);
        expect(run.status).toBe('failed');
        expect(run.log).toMatch(message);
        expect(run.writes).toBe(0);
      },
    );
  });

  describe('a platform admin', () => {
    it.each(ADMIN_ALLOWED)('may change %s', async (_what, action, input) => {
      const dry = await dryRun(ADMIN, action, input);
      expect(dry.failed).toBe(false);
      expect(dry.writes).toBe(0);
      const run = await task(ADMIN, action, input);
      expect(run.log).not.toMatch(/may not change/);
      expect(run.status).toBe('completed');
    });

    it.each(ADMIN_PROTECTED)(
      'is refused the protected namespace %s, with 0 writes',
      async (_ns, input) => {
        const run = await task(ADMIN, 'istio:namespace:onboard', input);
        expect(run.status).toBe('failed');
        expect(run.log).toMatch(/protected/);
        expect(run.writes).toBe(0);
      },
    );
  });
});
