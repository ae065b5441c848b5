import https from 'node:https';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import istioBackend from '@ambient-mesh/plugin-istio-backend';
import {
  ADMIN,
  DEVELOPER,
  backendConfig,
  portalPermissionsFactory,
  userInfoFactory,
  writeCatalog,
} from './fixtures';

jest.setTimeout(120_000);

/*
 * GET /api/istio/v1/namespaces, the templates' namespace picker, through the
 * portal's policy and the real catalog against the sandbox: the same rules
 * as the write actions (tenancy.sandbox.test.ts), for two identities.
 */
describe('the namespaces a user may change', () => {
  let sandbox: Sandbox;
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 100, tickMs: 1000 });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        portalPermissionsFactory(),
        istioBackend,
        userInfoFactory,
        mockServices.rootConfig.factory({
          data: backendConfig(sandbox, writeCatalog([])),
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    for (let i = 0; i < 100; i++) {
      const res = await request(server)
        .get(
          '/api/catalog/entities/by-name/component/default/istio-control-plane',
        )
        .set('Authorization', mockCredentials.user.header(ADMIN));
      if (res.status === 200) break;
      await new Promise(r => setTimeout(r, 300));
    }
  });

  afterAll(async () => {
    await stop?.();
    await sandbox?.stop();
  });

  const list = (user?: string, query = '') => {
    const req = request(server).get(`/api/istio/v1/namespaces${query}`);
    return user
      ? req.set('Authorization', mockCredentials.user.header(user))
      : req;
  };

  it("a developer gets only their team's namespace, with its mesh state and owner", async () => {
    const res = await list(DEVELOPER);
    expect(res.status).toBe(200);
    expect(res.body.admin).toBe(false);
    // team-commerce's orders claims microservices (examples/ shapes); the
    // sandbox's seed enrolls it with a waypoint (ambient-seed in mesh-sandbox)
    expect(res.body.items).toEqual([
      {
        cluster: 'sandbox',
        namespace: 'microservices',
        ambient: true,
        waypoint: 'waypoint',
        defaultDeny: false,
        owners: ['group:default/team-commerce'],
        entities: ['component:default/orders'],
      },
    ]);
  });

  /** Server-side apply as kubectl would, with the sandbox's admin token. */
  const apply = (path: string, body: object) =>
    new Promise<void>((resolve, reject) => {
      const req = https.request(
        new URL(`${path}?fieldManager=kubectl`, sandbox.kubernetesUrl),
        {
          method: 'PATCH',
          ca: sandbox.caCert,
          headers: {
            authorization: `Bearer ${sandbox.tokens.admin}`,
            'content-type': 'application/apply-patch+yaml',
          },
        },
        res => {
          res.resume();
          res.on('end', () =>
            (res.statusCode ?? 500) < 300
              ? resolve()
              : reject(new Error(`apply ${path}: ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  it('a platform admin gets every namespace that is not protected, claimed or not', async () => {
    // The allow-nothing policy of istio.io's docs (an ALLOW without rules)
    await apply(
      '/apis/security.istio.io/v1/namespaces/traefik/authorizationpolicies/allow-nothing',
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'allow-nothing', namespace: 'traefik' },
        spec: {},
      },
    );
    const res = await list(ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.admin).toBe(true);
    const names = res.body.items.map((i: any) => i.namespace);
    expect(names).toEqual(
      expect.arrayContaining(['microservices', 'reporting', 'traefik']),
    );
    // kube-*, istio-system, istio-cni, ztunnel: no istio:* action changes them
    expect(
      names.filter((n: string) =>
        /^(kube-|istio-system$|istio-cni$|ztunnel$)/.test(n),
      ),
    ).toEqual([]);
    const reporting = res.body.items.find(
      (i: any) => i.namespace === 'reporting',
    );
    expect(reporting).toMatchObject({
      ambient: false,
      defaultDeny: false,
      // team-reporting's reports claims it through its pods' kubernetes-id
      owners: ['group:default/team-reporting'],
    });
    expect(
      res.body.items.find((i: any) => i.namespace === 'traefik'),
    ).toMatchObject({
      defaultDeny: true,
      owners: ['group:default/platform-team'],
    });
  });

  it('refuses callers that are not users, and an unknown cluster with the fix', async () => {
    // A service has no namespaces of its own: user tokens only
    const service = await request(server)
      .get('/api/istio/v1/namespaces')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
    const res = await list(DEVELOPER, '?cluster=prod');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /"prod" is not a configured cluster \(sandbox\)/,
    );
  });
});
