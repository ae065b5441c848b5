import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { MANIFEST_KINDS } from '@ambient-mesh/plugin-istio-node';
import { createIstioActions } from './module';
import { IstioActionDeps } from './actions';
import {
  actionContext,
  getJson,
  sandboxDeps,
} from './__testUtils__/sandboxActions';

jest.setTimeout(600_000);

const RUNS_PER_ACTION = 1700; // seven actions: 11,900 generated inputs

/** A ConfigMap in a file outside the workspace, reachable only through a symlink. */
const OUTSIDE = 'outside-workspace';

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
  let scratch: string;
  let outsideFile: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-manifests-'));
    outsideFile = path.join(scratch, 'outside.yaml');
    fs.writeFileSync(
      outsideFile,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: OUTSIDE, namespace: 'reporting' },
        data: { marker: OUTSIDE },
      }),
    );
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
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
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
  /** A manifest document: allowed and refused kinds, hostile names, namespaces and fields. */
  /** apiVersion and kind: mostly ones the action applies, else refused or hostile. */
  const kindOf = () =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...MANIFEST_KINDS) },
      fc.constantFrom(
        { apiVersion: 'v1', kind: 'Namespace' },
        { apiVersion: 'v1', kind: 'Secret' },
        { apiVersion: 'v1', kind: 'List' },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
        },
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'MutatingWebhookConfiguration',
        },
        { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
        { apiVersion: 'apps/v1', kind: 'ConfigMap' },
      ),
      fc.record({ apiVersion: hostileString(), kind: hostileString() }),
    );
  /** A manifest document's other fields: hostile names, namespaces, URLs. */
  const manifestFields = () =>
    fc.record(
      {
        metadata: fc.record(
          {
            name: fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom('hello', 'web', 'db') },
              hostileString(),
            ),
            namespace: maybe(namespace()),
            labels: maybe(
              fc.dictionary(hostileString(), hostileString(), { maxKeys: 2 }),
            ),
            annotations: maybe(fc.dictionary(hostileString(), url())),
            managedFields: maybe(fc.constant([{ manager: 'kubectl' }])),
          },
          { requiredKeys: [] },
        ),
        data: maybe(fc.dictionary(hostileString(), url(), { maxKeys: 2 })),
        spec: maybe(
          fc.oneof(
            fc.record({
              type: fc.constant('ExternalName'),
              externalName: url(),
            }),
            fc.record({
              selector: fc.dictionary(hostileString(), hostileString(), {
                maxKeys: 2,
              }),
              ports: fc.array(
                fc.record({ port: fc.oneof(fc.integer(), hostileString()) }),
                { maxLength: 2 },
              ),
            }),
            hostileString(),
          ),
        ),
        items: maybe(fc.array(fc.constant({ kind: 'ConfigMap' }))),
      },
      { requiredKeys: ['metadata'] },
    );
  const manifestObject = () =>
    fc
      .tuple(kindOf(), manifestFields())
      .map(([kind, fields]) => ({ ...kind, ...fields }));
  /** The text of a manifest file: JSON documents (valid YAML) or hostile YAML. */
  const manifestText = () =>
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .array(manifestObject(), { minLength: 1, maxLength: 3 })
          .map(docs => docs.map(d => JSON.stringify(d)).join('\n---\n')),
      },
      fc.constantFrom(
        '',
        '---\n---\n',
        ': : :',
        'a: [unclosed',
        '!!js/function "function () { return 1 }"',
        '%YAML 1.1\n---\n!!binary AAAA',
        'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
        '[1, 2, 3]',
        '"just a string"',
        'kind: List\nitems: [1, null, "x"]',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello, namespace: reporting}\ndata: {url: "http://127.0.0.1:${trap.port}/"}`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello, namespace: kube-system}`,
      ),
      fc.string({ maxLength: 120 }),
    );
  /** The workspace: manifest files, other files and symlinks (inside and out). */
  const workspace = () =>
    fc.array(
      fc.oneof(
        {
          weight: 10,
          arbitrary: fc.record({
            file: fc.constantFrom(
              'k8s/app.yaml',
              'k8s/service.yml',
              'k8s/nested/deep/job.yaml',
              'k8s/notes.txt',
              'other/app.yaml',
            ),
            text: manifestText(),
          }),
        },
        fc.record({
          file: fc.constantFrom('k8s/link.yaml', 'k8s/nested/link.yml'),
          linkTo: fc.constantFrom('outside', 'inside', '/', 'dangling'),
        }),
      ),
      { minLength: 1, maxLength: 4 },
    );
  function writeWorkspace(
    dir: string,
    entries: ReadonlyArray<{ file: string; text?: string; linkTo?: string }>,
  ) {
    for (const entry of entries) {
      const full = path.join(dir, entry.file);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.rmSync(full, { force: true });
      if (entry.linkTo === undefined) {
        fs.writeFileSync(full, entry.text ?? '');
        continue;
      }
      const target = {
        outside: outsideFile,
        inside: path.join(dir, 'other', 'inside.yaml'),
        '/': '/',
        dangling: path.join(dir, 'missing.yaml'),
      }[entry.linkTo]!;
      if (entry.linkTo === 'inside') {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(
          target,
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inside-workspace}',
        );
      }
      fs.symlinkSync(target, full);
    }
  }
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
    'istio:manifests:apply': fc.record(
      {
        ...common,
        // Mostly the default (k8s), so that the manifests are read
        path: fc.oneof(
          { weight: 4, arbitrary: fc.constant(undefined) },
          fc.constantFrom(
            'k8s',
            'k8s/app.yaml',
            'k8s/link.yaml',
            'k8s/nested',
            'other',
            '.',
            '..',
            '../..',
            '/',
            '/etc/passwd',
            'k8s/../../..',
            `${os.tmpdir()}`,
          ),
          hostileString(),
        ),
        namespace: fc.oneof(
          { weight: 2, arbitrary: fc.constant('reporting') },
          fc.constant(undefined),
          hostileString(),
        ),
      },
      { requiredKeys: [] },
    ),
  });
  const ACTION_IDS = [
    'istio:mesh:check',
    'istio:mesh:provision',
    'istio:namespace:onboard',
    'istio:waypoint:apply',
    'istio:policy:apply',
    'istio:namespace:offboard',
    'istio:manifests:apply',
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
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          inputs()[id],
          id === 'istio:manifests:apply' ? workspace() : fc.constant([]),
          fc.boolean(),
          async (input, files, dryRun) => {
            const { ctx, outputs } = actionContext(input, dryRun);
            if (id === 'istio:manifests:apply') {
              // A fresh workspace per run, with the generated files
              ctx.workspacePath = path.join(scratch, `run-${run++}`);
              fs.mkdirSync(ctx.workspacePath);
              writeWorkspace(ctx.workspacePath, files);
            }
            let succeeded = false;
            try {
              await action.handler(ctx);
              outcomes.set('ok', (outcomes.get('ok') ?? 0) + 1);
              succeeded = true;
            } catch (error) {
              const name = (error as Error).name;
              outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
              // A refusal is one of the errors the scaffolder reports as a
              // clear step failure, with a message that names no secret
              if (!CLEAR_ERRORS.includes(name) && name !== 'PlanApplyError') {
                throw error;
              }
              if (
                /secret@|mesh-sandbox-[a-z]+-token/.test(
                  (error as Error).message,
                )
              ) {
                throw new Error(
                  `a message leaks a secret: ${(error as Error).message}`,
                );
              }
              if ((error as Error).message.includes(OUTSIDE)) {
                throw new Error(
                  `a message shows a file outside the workspace: ${
                    (error as Error).message
                  }`,
                );
              }
            } finally {
              if (id === 'istio:manifests:apply') {
                fs.rmSync(ctx.workspacePath, { recursive: true, force: true });
              }
            }
            // Nothing is read through a link out of the workspace
            if (succeeded && JSON.stringify(outputs).includes(OUTSIDE)) {
              throw new Error(
                `a file outside the workspace was read: ${JSON.stringify(
                  outputs,
                )}`,
              );
            }
          },
        ),
        { numRuns: RUNS_PER_ACTION, seed: 20261202 },
      );
      const writes = sandbox.requestLog.list(
        e => e.server === 'kubernetes' && !['GET', 'HEAD'].includes(e.method),
      );
      const outside = writes.filter(
        e =>
          !/^\/api(s\/[^/]+)?\/v\d[^/]*\/namespaces\/reporting(\/|$)/.test(
            e.path,
          ),
      );
      expect(outside.map(e => `${e.method} ${e.path}`)).toEqual([]);
      expect(trap.hits()).toBe(0);
      await expect(
        getJson(sandbox, `/api/v1/namespaces/reporting/configmaps/${OUTSIDE}`),
      ).rejects.toThrow(/^404/);
      // The generators reach both outcomes
      expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(
        RUNS_PER_ACTION,
      );
      // eslint-disable-next-line no-console
      console.log(id, Object.fromEntries(outcomes), `${writes.length} writes`);
    },
  );
});
