import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleIstio } from './module';

/**
 * Stands in for the GitHub publish module (not installed here): records the
 * input of publish:github:pull-request, the step of the templates' gitops branch.
 */
const pullRequests: any[] = [];
const pullRequestRecorder = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'test-pull-request',
  register(reg) {
    reg.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(
          createTemplateAction({
            id: 'publish:github:pull-request',
            supportsDryRun: true,
            async handler(ctx) {
              pullRequests.push(ctx.input);
            },
          }),
        );
      },
    });
  },
});

jest.setTimeout(120_000);

const TEMPLATES_DIR = path.resolve(__dirname, '../../../templates');

/** Every file of a template folder, as the dry-run API takes them. */
function directoryContents(
  dir: string,
  base = dir,
): Array<{ path: string; base64Content: string }> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return directoryContents(full, base);
    return [
      {
        path: path.relative(base, full),
        base64Content: fs.readFileSync(full).toString('base64'),
      },
    ];
  });
}

function decode(
  files: Array<{ path: string; base64Content: string }>,
  file: string,
) {
  const found = files.find(f => f.path === file);
  return found
    ? Buffer.from(found.base64Content, 'base64').toString('utf8')
    : undefined;
}

/** The values the form starts with: every property's default. */
function formDefaults(template: any): Record<string, unknown> {
  const pages = [template.spec.parameters].flat();
  return Object.fromEntries(
    pages.flatMap((page: any) =>
      Object.entries(page.properties ?? {})
        .filter(([, property]: [string, any]) => 'default' in property)
        .map(([key, property]: [string, any]) => [key, property.default]),
    ),
  );
}

describe('the Software Templates through the scaffolder dry-run API', () => {
  let sandbox: Sandbox;
  let server: any;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 200, tickMs: 1000 });
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleIstio,
        pullRequestRecorder,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
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
          },
        }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await sandbox?.stop();
  });

  async function dryRun(name: string, values: Record<string, unknown>) {
    const dir = path.join(TEMPLATES_DIR, name);
    const template = parse(
      fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
    );
    sandbox.requestLog.clear();
    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template,
        values: { ...formDefaults(template), ...values },
        secrets: {},
        directoryContents: directoryContents(dir),
      });
    const writes = sandbox.requestLog.count(
      e => e.server === 'kubernetes' && !['GET', 'HEAD'].includes(e.method),
    );
    return { response, writes };
  }

  function logText(body: any): string {
    return (body.log ?? []).map((l: any) => l.body?.message ?? '').join('\n');
  }

  it('ambient-service: generates a catalog-info with the annotations the tab reads, and plans the onboarding', async () => {
    const { response, writes } = await dryRun('ambient-service', {
      name: 'billing',
      owner: 'group:default/team-commerce',
      // portal:publish:local is the development portal's (packages/backend)
      publish: 'none',
    });
    expect(response.status).toBe(200);
    const catalogInfo = parse(
      decode(response.body.directoryContents, 'catalog-info.yaml')!,
    );
    expect(catalogInfo.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'billing',
      'backstage.io/kubernetes-namespace': 'billing',
    });
    const deployment = parse(
      decode(response.body.directoryContents, 'k8s/deployment.yaml')!,
    );
    expect(
      deployment.spec.template.metadata.labels['backstage.io/kubernetes-id'],
    ).toBe('billing');
    expect(logText(response.body)).toMatch(/create Namespace billing/);
    // istio:manifests:apply plans the generated manifests
    expect(logText(response.body)).toMatch(
      /create Deployment billing\/billing/,
    );
    expect(logText(response.body)).toMatch(/create Service billing\/billing/);
    expect(logText(response.body)).toMatch(/Dry run: nothing was written/);
    expect(writes).toBe(0);
  });

  it.each([
    [
      'onboard-namespace',
      { namespace: 'reporting' },
      /create Gateway reporting\/waypoint/,
    ],
    [
      'mesh-policy',
      { namespace: 'reporting', name: 'allow-microservices', waypoint: '' },
      /create AuthorizationPolicy reporting\/allow-microservices/,
    ],
    ['ambient-mesh', {}, /PASS Gateway API CRDs/],
  ])(
    '%s: passes the dry run and writes nothing',
    async (name, values, logLine) => {
      const { response, writes } = await dryRun(name, values);
      expect(response.status).toBe(200);
      expect(logText(response.body)).toMatch(logLine);
      expect(writes).toBe(0);
    },
  );

  it('onboard-namespace in gitops mode: the dry run returns the rendered files, twice the same bytes, and writes nothing', async () => {
    const values = {
      namespace: 'reporting',
      mode: 'gitops',
      gitopsRepoUrl: 'github.com?owner=acme&repo=platform-gitops',
    };
    const first = await dryRun('onboard-namespace', values);
    expect(first.response.status).toBe(200);
    expect(first.writes).toBe(0);
    const rendered = (first.response.body.directoryContents as any[])
      .filter(f => f.path.startsWith('istio/'))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(rendered.map(f => f.path)).toEqual([
      'istio/sandbox/reporting/authorizationpolicy-allow-callers.yaml',
      'istio/sandbox/reporting/authorizationpolicy-allow-nothing.yaml',
      'istio/sandbox/reporting/authorizationpolicy-allow-waypoint.yaml',
      'istio/sandbox/reporting/gateway-waypoint.yaml',
      'istio/sandbox/reporting/namespace-reporting.yaml',
      'istio/sandbox/reporting/peerauthentication-default.yaml',
      'istio/sandbox/reporting/telemetry-waypoint-tracing.yaml',
    ]);
    expect(
      parse(decode(rendered, 'istio/sandbox/reporting/gateway-waypoint.yaml')!),
    ).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      spec: { gatewayClassName: 'istio-waypoint' },
    });
    expect(logText(first.response.body)).toMatch(
      /GitOps mode: nothing was written/,
    );
    // The pull request step runs in gitops mode, with the rendered directory
    expect(pullRequests).toEqual([
      expect.objectContaining({
        repoUrl: 'github.com?owner=acme&repo=platform-gitops',
        branchName: 'istio/reporting',
        sourcePath: 'istio',
        targetPath: 'istio',
      }),
    ]);

    const second = await dryRun('onboard-namespace', values);
    const again = (second.response.body.directoryContents as any[])
      .filter(f => f.path.startsWith('istio/'))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(again).toEqual(rendered);
    expect(second.writes).toBe(0);
  });
});
