import request from 'supertest';
import {
  mockCredentials,
  startTestBackend,
  mockServices,
} from '@backstage/backend-test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import istioPlugin from '@ambient-mesh/plugin-istio-backend';
import { istioAgentActionsModule } from '@ambient-mesh/plugin-scaffolder-backend-module-istio';
import {
  ADMIN,
  DEVELOPER,
  backendConfig,
  portalPermissionsFactory,
  userInfoFactory,
  writeCatalog,
  writes,
} from '../tenancy/fixtures';

jest.setTimeout(180_000);

/*
 * Our actions for agents: the MCP actions backend (Streamable HTTP, the
 * official MCP client SDK) over the istio plugin's actions registry, with
 * the portal's permission policy, the real catalog and the sandbox.
 */
describe('istio actions over MCP', () => {
  let sandbox: Sandbox;
  let server: any;
  let stop: () => Promise<void>;
  let baseUrl: string;
  const clients: Client[] = [];

  async function connect(user: string): Promise<Client> {
    const client = new Client({ name: 'istio-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${baseUrl}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header(user) },
          },
        },
      ),
    );
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 100, tickMs: 1000 });
    const config = backendConfig(sandbox, writeCatalog([]));
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        portalPermissionsFactory(),
        istioPlugin,
        istioAgentActionsModule,
        mcpActionsPlugin,
        userInfoFactory,
        mockServices.rootConfig.factory({
          data: {
            ...config,
            backend: {
              ...config.backend,
              actions: { pluginSources: ['istio'] },
            },
          },
        }),
      ],
    });
    server = backend.server;
    baseUrl = `http://localhost:${backend.server.port()}`;
    stop = () => backend.stop();
    for (let i = 0; i < 100; i++) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/orders')
        .set('Authorization', mockCredentials.user.header(ADMIN));
      if (res.status === 200) break;
      await new Promise(r => setTimeout(r, 300));
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close().catch(() => {})));
    await stop?.();
    await sandbox?.stop();
  });

  it('lists our read and write tools with their attributes', async () => {
    const client = await connect(DEVELOPER);
    const { tools } = await client.listTools();
    const byName = new Map(tools.map(t => [t.name, t]));
    for (const name of [
      'istio.get-mesh-status',
      'istio.get-golden-signals',
      'istio.get-mesh-diagnostics',
      'istio.check-mesh',
      'istio.onboard-namespace',
      'istio.offboard-namespace',
      'istio.apply-waypoint',
      'istio.apply-policy',
    ]) {
      expect(byName.has(name)).toBe(true);
    }
    const status = byName.get('istio.get-mesh-status')!;
    expect(status.annotations?.readOnlyHint).toBe(true);
    expect(Object.keys(status.inputSchema.properties ?? {})).toContain(
      'entityRef',
    );
    const offboard = byName.get('istio.offboard-namespace')!;
    expect(offboard.annotations?.readOnlyHint).toBe(false);
    expect(offboard.annotations?.destructiveHint).toBe(true);
    expect(
      Object.keys(
        byName.get('istio.onboard-namespace')!.inputSchema.properties ?? {},
      ),
    ).toEqual(expect.arrayContaining(['namespace', 'dryRun']));
  });

  it('the mesh-status tool answers with the data of the REST route', async () => {
    const rest = await request(server)
      .get('/api/istio/v1/entities/component/default/orders/mesh')
      .set('Authorization', mockCredentials.user.header(DEVELOPER));
    expect(rest.status).toBe(200);
    expect(rest.body.clusters[0].data.namespace).toBe('microservices');

    const client = await connect(DEVELOPER);
    const result: any = await client.callTool({
      name: 'istio.get-mesh-status',
      arguments: { entityRef: 'component:default/orders' },
    });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(result.content[0].text)).toEqual(rest.body);
  });

  it('the diagnostics tool lists the same diagnostics as the REST route, with fixes', async () => {
    const rest = await request(server)
      .get('/api/istio/v1/entities/component/default/orders/mesh')
      .set('Authorization', mockCredentials.user.header(DEVELOPER));
    expect(rest.status).toBe(200);
    const client = await connect(DEVELOPER);
    const result: any = await client.callTool({
      name: 'istio.get-mesh-diagnostics',
      arguments: { entityRef: 'component:default/orders' },
    });
    expect(result.isError).toBeFalsy();
    const body = JSON.parse(result.content[0].text);
    expect(body.diagnostics.length).toBeGreaterThan(0);
    expect(body.diagnostics[0].cluster).toBe('sandbox');
    // Each diagnostic whole (severity, message, evidence, fix), per cluster
    expect(
      body.diagnostics.map(({ cluster: _cluster, ...d }: any) => d),
    ).toEqual(
      rest.body.clusters.flatMap((c: any) => c.data?.diagnostics ?? []),
    );
  });

  it("refuses a developer's onboarding of another team's namespace, with 0 writes", async () => {
    sandbox.requestLog.clear();
    const client = await connect(DEVELOPER);
    const result: any = await client.callTool({
      name: 'istio.onboard-namespace',
      arguments: { namespace: 'reporting', dryRun: false },
    });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(
      /istio\.namespace\.manage.*group:default\/team-reporting/,
    );
    expect(writes(sandbox)).toBe(0);
  });

  it('plans an onboarding as a dry run by default: a plan, 0 writes', async () => {
    sandbox.requestLog.clear();
    const client = await connect(DEVELOPER);
    const result: any = await client.callTool({
      name: 'istio.onboard-namespace',
      arguments: { namespace: 'microservices', waypoint: true },
    });
    expect(result.isError).toBeFalsy();
    const body = JSON.parse(result.content[0].text);
    expect(body.dryRun).toBe(true);
    // The plan has steps to apply (the waypoint), and none was applied
    expect(body.plan.steps.length).toBeGreaterThan(0);
    expect(body.objects.every((o: any) => o.planned)).toBe(true);
    expect(writes(sandbox)).toBe(0);
    expect(
      sandbox.requestLog.count(
        e => e.server === 'kubernetes' && e.method === 'GET',
      ),
    ).toBeGreaterThan(0);
  });

  it('applies an onboarding when dryRun is false (writes happen)', async () => {
    sandbox.requestLog.clear();
    const client = await connect(DEVELOPER);
    const result: any = await client.callTool({
      name: 'istio.onboard-namespace',
      arguments: {
        namespace: 'microservices',
        waypoint: true,
        dryRun: false,
      },
    });
    expect(result.isError).toBeFalsy();
    const body = JSON.parse(result.content[0].text);
    expect(body.dryRun).toBe(false);
    expect(body.plan.steps.length).toBeGreaterThan(0);
    expect(writes(sandbox)).toBeGreaterThan(0);
  });
});
