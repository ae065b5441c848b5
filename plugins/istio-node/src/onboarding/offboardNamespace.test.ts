import { planNamespaceOffboard } from './offboardNamespace';
import { KubeObject } from './state';

const ours = (fields: Record<string, unknown>) => ({
  manager: 'backstage-istio',
  operation: 'Apply',
  fieldsV1: fields,
});
const theirs = (fields: Record<string, unknown>) => ({
  manager: 'kubectl',
  operation: 'Update',
  fieldsV1: fields,
});
const status = {
  manager: 'pilot-discovery',
  operation: 'Update',
  subresource: 'status',
  fieldsV1: { 'f:status': {} },
};

function object(
  kind: string,
  name: string,
  managedFields: any[],
  spec: object = { x: 1 },
): KubeObject {
  return {
    apiVersion:
      kind === 'Gateway'
        ? 'gateway.networking.k8s.io/v1'
        : 'security.istio.io/v1',
    kind,
    metadata: { name, namespace: 'reporting', managedFields },
    spec,
  };
}

describe('planNamespaceOffboard', () => {
  const namespace: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: 'reporting',
      labels: { team: 'finance', 'istio.io/dataplane-mode': 'ambient' },
      managedFields: [
        ours({
          'f:metadata': { 'f:labels': { 'f:istio.io/dataplane-mode': {} } },
        }),
        theirs({ 'f:metadata': { 'f:labels': { 'f:team': {} } } }),
      ],
    },
  };

  it('deletes what only onboarding made, releases shared objects, keeps the rest', () => {
    const plan = planNamespaceOffboard(
      { namespace: 'reporting' },
      {
        namespace,
        objects: [
          object('Gateway', 'waypoint', [ours({ 'f:spec': {} }), status]),
          object('AuthorizationPolicy', 'allow-callers', [
            ours({ 'f:spec': {} }),
          ]),
          object(
            'AuthorizationPolicy',
            'allow-nothing',
            [ours({ 'f:spec': {} })],
            {},
          ),
          object('PeerAuthentication', 'default', [
            ours({ 'f:spec': {} }),
            theirs({ 'f:metadata': { 'f:labels': { 'f:owner': {} } } }),
          ]),
          object('AuthorizationPolicy', 'hand-made', [
            theirs({ 'f:spec': {} }),
          ]),
        ],
      },
      { cluster: 'sandbox' },
    );
    expect(plan.steps.map(s => s.key)).toEqual([
      // the reverse of onboarding: policies (default deny first), then the
      // namespace's labels, the waypoint last
      'delete:authorizationpolicy:reporting:allow-nothing',
      'delete:authorizationpolicy:reporting:allow-callers',
      'release:peerauthentication:reporting:default',
      'release:namespace::reporting',
      'delete:gateway:reporting:waypoint',
    ]);
    const release = plan.steps.find(
      s => s.key === 'release:namespace::reporting',
    );
    expect(release?.operation).toBe('apply');
    expect((release as any).object).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'reporting' },
    });
    expect(plan.unchanged.map(r => r.name)).toEqual(['hand-made']);
  });

  it('plans nothing once offboarded', () => {
    const plan = planNamespaceOffboard(
      { namespace: 'reporting' },
      {
        namespace: {
          ...namespace,
          metadata: {
            ...namespace.metadata,
            managedFields: [
              theirs({ 'f:metadata': { 'f:labels': { 'f:team': {} } } }),
              ours({ 'f:metadata': { 'f:name': {} } }),
            ],
          },
        },
        objects: [],
      },
      { cluster: 'sandbox' },
    );
    expect(plan.steps).toEqual([]);
  });

  it('refuses a protected or missing namespace', () => {
    expect(() =>
      planNamespaceOffboard(
        { namespace: 'kube-public' },
        { objects: [] },
        { cluster: 'c' },
      ),
    ).toThrow(/"kube-public" is protected/);
    expect(() =>
      planNamespaceOffboard(
        { namespace: 'gone' },
        { objects: [] },
        { cluster: 'c' },
      ),
    ).toThrow(/Input "namespace": namespace "gone" does not exist/);
  });

  it('deletes only the object it saw: uid and resourceVersion go into the step as preconditions', () => {
    const policy = object('AuthorizationPolicy', 'allow-nothing', [
      ours({ 'f:spec': {} }),
    ]);
    policy.metadata.uid = 'uid-1';
    policy.metadata.resourceVersion = '42';
    const plan = planNamespaceOffboard(
      { namespace: 'reporting' },
      { namespace, objects: [policy] },
      { cluster: 'sandbox' },
    );
    const deletion = plan.steps.find(s => s.operation === 'delete') as any;
    expect(deletion.object.metadata).toEqual({
      name: 'allow-nothing',
      namespace: 'reporting',
      uid: 'uid-1',
      resourceVersion: '42',
    });
  });
});
