import { stateOf } from './state';
import { parseManifests, planManifestsApply } from './manifestsApply';

// Objects in the shapes of Kubernetes 1.33 apps/v1 and core/v1
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 2
  selector:
    matchLabels: { app: hello }
  template:
    metadata:
      labels: { app: hello }
    spec:
      containers:
        - name: hello
          image: ghcr.io/your-org/hello:latest
`;

describe('parseManifests', () => {
  it('reads several documents and List items, gives them the default namespace and drops server fields', () => {
    const objects = parseManifests(
      [
        {
          path: 'k8s/b.yaml',
          text: `---\n${deployment}---\n# empty\n`,
        },
        {
          path: 'k8s/a.yaml',
          text: `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: hello, namespace: shop, resourceVersion: "7" }\n    spec: { ports: [{ port: 80 }] }\n    status: { loadBalancer: {} }\n`,
        },
      ],
      'payments',
    );
    expect(
      objects.map(o => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
    ).toEqual(['Service shop/hello', 'Deployment payments/hello']);
    expect(objects[0]).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hello', namespace: 'shop' },
      spec: { ports: [{ port: 80 }] },
    });
  });

  it('names the file, the document and the fix for what it refuses', () => {
    expect(() =>
      parseManifests([{ path: 'k8s/d.yaml', text: deployment }]),
    ).toThrow(
      'k8s/d.yaml (document 1): Deployment "hello" has no metadata.namespace; set it, or give the action a "namespace"',
    );
    expect(() =>
      parseManifests(
        [{ path: 'k8s/d.yaml', text: `${deployment}---\n${deployment}` }],
        'shop',
      ),
    ).toThrow(
      /k8s\/d.yaml \(document 2\): Deployment shop\/hello is defined twice/,
    );
    expect(() =>
      parseManifests(
        [
          {
            path: 'k8s/s.yaml',
            text: 'apiVersion: v1\nkind: Secret\nmetadata: { name: token }\n',
          },
        ],
        'shop',
      ),
    ).toThrow(/v1 Secret "token" is not applied by istio:manifests:apply/);
    expect(() =>
      parseManifests([{ path: 'k8s/x.yaml', text: 'a: [' }], 'shop'),
    ).toThrow(/k8s\/x.yaml \(document 1\) is not valid YAML/);
    // Aliases beyond the yaml library's maxAliasCount (resource exhaustion)
    const laughs = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(() =>
      parseManifests([{ path: 'k8s/l.yaml', text: laughs }], 'shop'),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /k8s\/l.yaml \(document 1\) is not valid YAML: Excessive alias count/,
        ),
      }),
    );
  });
});

describe('planManifestsApply', () => {
  const [object] = parseManifests(
    [{ path: 'd.yaml', text: deployment }],
    'shop',
  );
  const options = { cluster: 'sandbox' };

  it('creates what is missing and leaves what is already as requested', () => {
    expect(
      planManifestsApply({ objects: [object] }, {}, options).steps.map(
        s => s.reason,
      ),
    ).toEqual([expect.stringMatching(/^create Deployment shop\/hello/)]);
    const plan = planManifestsApply(
      { objects: [object] },
      stateOf([
        {
          ...object,
          metadata: {
            ...object.metadata,
            managedFields: [
              {
                manager: 'kubectl',
                operation: 'Apply',
                fieldsV1: { 'f:spec': {} },
              },
            ],
          },
        } as any,
      ]),
      options,
    );
    expect(plan.steps).toEqual([]);
    expect(plan.unchanged).toHaveLength(1);
  });

  it('refuses to change an object of another field manager unless overwrite, then forces', () => {
    const theirs = {
      ...object,
      spec: { ...(object as any).spec, replicas: 5 },
      metadata: {
        ...object.metadata,
        managedFields: [
          {
            manager: 'argocd-controller',
            operation: 'Apply',
            fieldsV1: { 'f:spec': {} },
          },
        ],
      },
    } as any;
    expect(() =>
      planManifestsApply({ objects: [object] }, stateOf([theirs]), options),
    ).toThrow(
      'These objects exist and are managed by someone else, so they are left alone: Deployment shop/hello (managed by argocd-controller). Rename yours, or set overwrite: true to take them over',
    );
    const forced = planManifestsApply(
      { objects: [object], overwrite: true },
      stateOf([theirs]),
      options,
    );
    expect(forced.steps.map(s => (s as any).force)).toEqual([true]);
    expect(forced.warnings).toEqual([
      'Deployment shop/hello is taken over from argocd-controller (overwrite)',
    ]);
  });

  it('refuses protected namespaces', () => {
    const [system] = parseManifests(
      [{ path: 'd.yaml', text: deployment }],
      'kube-system',
    );
    expect(() =>
      planManifestsApply({ objects: [system] }, {}, options),
    ).toThrow(/namespace "kube-system" is protected/);
  });
});
