import http from 'node:http';
import { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { createIstioActions } from './module';
import { IstioActionDeps } from './actions';
import { actionContext, sandboxDeps } from './__testUtils__/sandboxActions';

jest.setTimeout(600_000);

const RUNS_PER_ACTION = 1700; // six actions: 10,200 generated inputs

/** A listener standing for every host an input may name: it must get nothing. */
async function startTrap() {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits += 1;
    res.end('{}');
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    hits: () => hits,
    close: () => new Promise(r => server.close(r)),
  };
}

/*
 * Hostile inputs (names, label values, URLs, rules, windows) through every
 * istio:* action, as a developer who owns only `reporting` (through the
 * entity component:default/reports) and is no platform admin.
 */
describe('every istio:* action under hostile input', () => {
  let sandbox: Sandbox;
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let deps: IstioActionDeps;

  beforeAll(async () => {
    sandbox = await startSandbox({ tickMs: 5000, waypointDelayMs: 10 });
    trap = await startTrap();
    const permissions = {
      async authorize(requests: any[]) {
        return requests.map(r => ({
          result:
            r.permission.name === 'istio.namespace.manage' &&
            r.resourceRef === 'component:default/reports'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }));
      },
      async authorizeConditional(requests: any[]) {
        return requests.map(() => ({ result: AuthorizeResult.DENY }));
      },
    } as any;
    deps = {
      ...sandboxDeps(sandbox),
      permissions,
      auth: mockServices.auth(),
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'reports',
              namespace: 'default',
              annotations: {
                'backstage.io/kubernetes-id': 'reports',
                'backstage.io/kubernetes-namespace': 'reporting',
              },
            },
            spec: { owner: 'group:default/team-reporting' },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'orders',
              namespace: 'default',
              annotations: {
                'backstage.io/kubernetes-namespace': 'microservices',
              },
            },
            spec: { owner: 'group:default/team-commerce' },
          },
        ],
      }),
      gatewayApiManifests: { urls: [] },
      waypointTimeoutMs: 2000,
    };
  });

  afterAll(async () => {
    await trap?.close();
    await sandbox?.stop();
  });

  const hostileString = () =>
    fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(
        '',
        ' ',
        '..',
        '../../etc/passwd',
        'reporting/../kube-system',
        'kube-system',
        'istio-system',
        'ztunnel',
        'istio-cni',
        'microservices',
        'traefik',
        'a'.repeat(64),
        'Reporting',
        'reporting\n',
        'reporting%2fkube-system',
        '"}],"x":{"',
        '${{ secrets.token }}',
        '{}',
        '*',
        'null',
      ),
    );
  const namespace = () =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant('reporting') },
      { weight: 4, arbitrary: hostileString() },
    );
  const url = () =>
    fc.oneof(
      fc.constantFrom(
        `http://127.0.0.1:${trap.port}/jwks.json`,
        `https://127.0.0.1:${trap.port}/jwks.json`,
        `https://localhost:${trap.port}/`,
        `https://[::1]:${trap.port}/`,
        `https://169.254.169.254/latest/meta-data/`,
        `https://user:secret@issuer.example.com/jwks`,
        `https://10.0.0.1/jwks`,
        `https://0x7f000001:${trap.port}/`,
        `https://2130706433:${trap.port}/`,
        `file:///etc/passwd`,
        `https://issuer.example.com/.well-known/jwks.json`,
        `http://127.0.0.1:${trap.port}/standard-install.yaml`,
      ),
      fc.webUrl(),
      hostileString(),
    );
  const maybe = <T>(arb: fc.Arbitrary<T>) =>
    fc.option(arb, { nil: undefined, freq: 2 });
  const rule = () =>
    fc.record(
      {
        fromNamespaces: maybe(fc.array(hostileString(), { maxLength: 3 })),
        fromServiceAccounts: maybe(
          fc.array(
            fc.oneof(hostileString(), fc.constant('reporting/reports')),
            {
              maxLength: 2,
            },
          ),
        ),
        ports: maybe(fc.array(hostileString(), { maxLength: 2 })),
        methods: maybe(fc.array(hostileString(), { maxLength: 2 })),
        paths: maybe(fc.array(hostileString(), { maxLength: 2 })),
      },
      { requiredKeys: [] },
    );
  const common = {
    cluster: maybe(fc.oneof(fc.constant('sandbox'), hostileString())),
    overwrite: maybe(fc.boolean()),
  };
  const inputs = (): Record<string, fc.Arbitrary<Record<string, unknown>>> => ({
    'istio:mesh:check': fc.record(
      {
        ...common,
        istioNamespace: maybe(hostileString()),
        failOnError: maybe(fc.boolean()),
      },
      { requiredKeys: [] },
    ),
    'istio:mesh:provision': fc.record(
      {
        ...common,
        gatewayApiVersion: maybe(
          fc.oneof(fc.constant('v1.3.0'), hostileString()),
        ),
        gatewayApiManifestUrl: maybe(url()),
        samplingPercentage: maybe(fc.oneof(fc.double(), fc.integer())),
      },
      { requiredKeys: [] },
    ),
    'istio:namespace:onboard': fc.record(
      {
        ...common,
        namespace: namespace(),
        createNamespace: maybe(fc.boolean()),
        waypoint: maybe(fc.boolean()),
        defaultPolicies: maybe(fc.boolean()),
        allowNamespaces: maybe(fc.array(hostileString(), { maxLength: 3 })),
        jwtIssuer: maybe(hostileString()),
        jwksUri: maybe(url()),
        requireJwt: maybe(fc.boolean()),
        confirmDeniedCallers: maybe(fc.boolean()),
      },
      { requiredKeys: ['namespace'] },
    ),
    'istio:waypoint:apply': fc.record(
      {
        ...common,
        namespace: namespace(),
        name: maybe(hostileString()),
        for: maybe(
          fc.oneof(
            fc.constantFrom('service', 'workload', 'all'),
            hostileString(),
          ),
        ),
        enrollNamespace: maybe(fc.boolean()),
        service: maybe(fc.oneof(fc.constant('reports'), hostileString())),
      },
      { requiredKeys: ['namespace'] },
    ),
    'istio:policy:apply': fc.record(
      {
        ...common,
        namespace: namespace(),
        name: fc.oneof(fc.constant('allow-all'), hostileString()),
        action: maybe(
          fc.oneof(fc.constantFrom('ALLOW', 'DENY', 'CUSTOM'), hostileString()),
        ),
        waypoint: maybe(hostileString()),
        selector: maybe(
          fc.dictionary(hostileString(), hostileString(), { maxKeys: 2 }),
        ),
        rules: fc.oneof(fc.constant([{}]), fc.array(rule(), { maxLength: 3 })),
        jwtIssuer: maybe(hostileString()),
        jwksUri: maybe(url()),
        confirmDeniedCallers: maybe(fc.boolean()),
      },
      { requiredKeys: ['namespace', 'name', 'rules'] },
    ),
    'istio:namespace:offboard': fc.record(
      { ...common, namespace: namespace() },
      { requiredKeys: ['namespace'] },
    ),
  });
  const ACTION_IDS = [
    'istio:mesh:check',
    'istio:mesh:provision',
    'istio:namespace:onboard',
    'istio:waypoint:apply',
    'istio:policy:apply',
    'istio:namespace:offboard',
  ];

  const CLEAR_ERRORS = [
    'InputError',
    'NotAllowedError',
    'ConflictError',
    'NotFoundError',
  ];

  it.each(ACTION_IDS)(
    '%s: every refusal is a clear step error, no write outside reporting, no request to a named host',
    async id => {
      const action = createIstioActions(deps).find(a => a.id === id)!;
      const outcomes = new Map<string, number>();
      sandbox.requestLog.clear();
      await fc.assert(
        fc.asyncProperty(inputs()[id], fc.boolean(), async (input, dryRun) => {
          const { ctx } = actionContext(input, dryRun);
          try {
            await action.handler(ctx);
            outcomes.set('ok', (outcomes.get('ok') ?? 0) + 1);
          } catch (error) {
            const name = (error as Error).name;
            outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
            // A refusal is one of the errors the scaffolder reports as a
            // clear step failure, with a message that names no secret
            if (!CLEAR_ERRORS.includes(name) && name !== 'PlanApplyError') {
              throw error;
            }
            if (
              /secret@|mesh-sandbox-[a-z]+-token/.test((error as Error).message)
            ) {
              throw new Error(
                `a message leaks a secret: ${(error as Error).message}`,
              );
            }
          }
        }),
        { numRuns: RUNS_PER_ACTION, seed: 20261202 },
      );
      const writes = sandbox.requestLog.list(
        e => e.server === 'kubernetes' && !['GET', 'HEAD'].includes(e.method),
      );
      const outside = writes.filter(
        e =>
          !/^\/api(s\/[^/]+)?\/v1[^/]*\/namespaces\/reporting(\/|$)/.test(
            e.path,
          ),
      );
      expect(outside.map(e => `${e.method} ${e.path}`)).toEqual([]);
      expect(trap.hits()).toBe(0);
      // The generators reach both outcomes
      expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(
        RUNS_PER_ACTION,
      );
      // eslint-disable-next-line no-console
      console.log(id, Object.fromEntries(outcomes), `${writes.length} writes`);
    },
  );
});
