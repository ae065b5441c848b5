import { FIELD_MANAGER, planWrites } from '@ambient-mesh/plugin-istio-common';
import {
  NamespaceOnboardRequest,
  onboardReads,
  planNamespaceOnboard,
} from './onboardNamespace';
import { ClusterState, KubeObject, stateOf } from './state';

const cluster = { cluster: 'sandbox' };

const fullRequest: NamespaceOnboardRequest = {
  namespace: 'reporting',
  waypoint: { name: 'waypoint', for: 'service' },
  defaultPolicies: true,
};

function namespace(labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'reporting', labels },
  };
}

/** The state after a successful onboarding: every desired object present. */
function onboardedState(request: NamespaceOnboardRequest): ClusterState {
  const plan = planNamespaceOnboard(request, stateOf([namespace()]), cluster);
  const objects = planWrites(plan).map(change => {
    const object = JSON.parse(JSON.stringify(change.object)) as KubeObject;
    if (object.kind === 'Gateway') {
      object.status = {
        conditions: [{ type: 'Programmed', status: 'True' }],
      };
    }
    return object;
  });
  return stateOf(objects);
}

describe('planNamespaceOnboard', () => {
  it('plans the documented objects in a safe order for a namespace not yet enrolled', () => {
    const plan = planNamespaceOnboard(
      { ...fullRequest, tracingSamplingPercentage: 10 },
      stateOf([namespace()]),
      cluster,
    );
    expect(plan.steps.map(s => s.key)).toEqual([
      // the waypoint's allow before the namespace is bound to it
      'apply:authorizationpolicy:reporting:allow-waypoint',
      'apply:gateway:reporting:waypoint',
      'wait:gateway:reporting:waypoint',
      'apply:namespace::reporting',
      'apply:peerauthentication:reporting:default',
      'apply:authorizationpolicy:reporting:allow-callers',
      'apply:authorizationpolicy:reporting:allow-nothing',
      'apply:telemetry:reporting:waypoint-tracing',
    ]);
    const namespaceChange = planWrites(plan).find(
      c => c.object.kind === 'Namespace',
    )!;
    expect(namespaceChange.object.metadata.labels).toEqual({
      'istio.io/dataplane-mode': 'ambient',
      'istio.io/use-waypoint': 'waypoint',
    });
    const allowWaypoint = planWrites(plan).find(
      c => c.object.metadata.name === 'allow-waypoint',
    )!;
    expect(
      allowWaypoint.object.spec.rules[0].from[0].source.principals,
    ).toEqual(['cluster.local/ns/reporting/sa/waypoint']);
    expect(plan.steps.every(s => s.reason.length > 0)).toBe(true);
  });

  it('creates a missing namespace before its Gateway', () => {
    const plan = planNamespaceOnboard(fullRequest, {}, cluster);
    expect(plan.steps.slice(0, 3).map(s => s.key)).toEqual([
      'apply:namespace::reporting',
      'apply:authorizationpolicy:reporting:allow-waypoint',
      'apply:gateway:reporting:waypoint',
    ]);
  });

  it.each<[string, NamespaceOnboardRequest]>([
    ['enrollment only', { namespace: 'reporting' }],
    [
      'waypoint',
      { namespace: 'reporting', waypoint: { name: 'waypoint', for: 'all' } },
    ],
    [
      'everything',
      {
        ...fullRequest,
        jwt: { issuer: 'https://idp', jwksUri: 'https://idp/jwks' },
        requireJwt: true,
        tracingSamplingPercentage: 5,
      },
    ],
  ])('plans nothing when already done (%s)', (_name, request) => {
    const plan = planNamespaceOnboard(
      request,
      onboardedState(request),
      cluster,
    );
    expect(plan.steps).toEqual([]);
    expect(plan.unchanged.length).toBe(onboardReads(request).length);
  });

  it('waits for an existing Gateway that is not Programmed yet', () => {
    const state = onboardedState(fullRequest);
    const gateway = Object.values(state).find(o => o?.kind === 'Gateway')!;
    gateway.status = { conditions: [{ type: 'Programmed', status: 'False' }] };
    const plan = planNamespaceOnboard(fullRequest, state, cluster);
    expect(plan.steps.map(s => s.key)).toEqual([
      'wait:gateway:reporting:waypoint',
    ]);
  });

  it('keeps labels of other managers out of the applied object', () => {
    const plan = planNamespaceOnboard(
      { namespace: 'reporting' },
      stateOf([namespace({ team: 'finance' })]),
      cluster,
    );
    expect(planWrites(plan)[0].object.metadata.labels).toEqual({
      'istio.io/dataplane-mode': 'ambient',
    });
    expect(planWrites(plan)[0].force).toBeUndefined();
  });

  it('requires a JWT through the waypoint with requestPrincipals', () => {
    const plan = planNamespaceOnboard(
      {
        ...fullRequest,
        jwt: {
          issuer: 'https://idp.example',
          jwksUri: 'https://idp.example/jwks',
        },
        requireJwt: true,
      },
      stateOf([namespace()]),
      cluster,
    );
    const writes = planWrites(plan);
    const jwt = writes.find(c => c.object.kind === 'RequestAuthentication')!;
    expect(jwt.object.spec.targetRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' },
    ]);
    const callers = writes.find(
      c => c.object.metadata.name === 'allow-callers',
    )!;
    expect(callers.object.spec.targetRefs[0].name).toBe('waypoint');
    expect(
      callers.object.spec.rules[0].from[0].source.requestPrincipals,
    ).toEqual(['*']);
  });

  it.each<[string, NamespaceOnboardRequest, ClusterState, RegExp]>([
    [
      'a protected namespace',
      { namespace: 'kube-system' },
      {},
      /Input "namespace".*"kube-system" is protected/,
    ],
    [
      'a configured protected namespace',
      { namespace: 'payments' },
      {},
      /"payments" is protected/,
    ],
    [
      'a missing namespace without createNamespace',
      { namespace: 'reporting', createNamespace: false },
      {},
      /does not exist; create it first or set createNamespace: true/,
    ],
    [
      're-pointing use-waypoint',
      fullRequest,
      stateOf([namespace({ 'istio.io/use-waypoint': 'other' })]),
      /already uses waypoint "other".*overwrite: true/,
    ],
    [
      'an opted-out namespace',
      { namespace: 'reporting' },
      stateOf([namespace({ 'istio.io/dataplane-mode': 'none' })]),
      /dataplane-mode=none; set overwrite: true/,
    ],
    [
      'JWT without waypoint',
      { namespace: 'reporting', defaultPolicies: true, jwt: { issuer: 'x' } },
      {},
      /Input "jwt".*set "waypoint"/,
    ],
    [
      'tracing without waypoint',
      { namespace: 'reporting', tracingSamplingPercentage: 10 },
      {},
      /only waypoints emit spans/,
    ],
    [
      'weakening STRICT',
      { namespace: 'reporting', defaultPolicies: true, mtlsMode: 'PERMISSIVE' },
      stateOf([
        namespace(),
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default', namespace: 'reporting' },
          spec: { mtls: { mode: 'STRICT' } },
        },
      ]),
      /is STRICT; refusing to weaken it to PERMISSIVE.*overwrite: true/,
    ],
  ])('refuses %s', (_name, request, state, message) => {
    expect(() =>
      planNamespaceOnboard(request, state, {
        ...cluster,
        protectedNamespaces: ['payments'],
      }),
    ).toThrow(message);
  });

  it('re-points use-waypoint and weakens mTLS with overwrite, forcing the apply', () => {
    const plan = planNamespaceOnboard(
      { ...fullRequest, mtlsMode: 'PERMISSIVE', overwrite: true },
      stateOf([
        namespace({ 'istio.io/use-waypoint': 'other' }),
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default', namespace: 'reporting' },
          spec: { mtls: { mode: 'STRICT' } },
        },
      ]),
      cluster,
    );
    const writes = planWrites(plan);
    expect(writes.every(c => c.force === true)).toBe(true);
    const pa = writes.find(c => c.object.kind === 'PeerAuthentication')!;
    expect(pa.reason).toMatch(
      /^update PeerAuthentication reporting\/default \(spec.mtls\)/,
    );
  });

  it('warns about istio.io/rev on the namespace', () => {
    const plan = planNamespaceOnboard(
      { namespace: 'reporting' },
      stateOf([namespace({ 'istio.io/rev': 'canary' })]),
      cluster,
    );
    expect(plan.warnings.join()).toMatch(/istio.io\/rev=canary.*sidecars/);
  });

  it('uses one field manager name', () => {
    expect(FIELD_MANAGER).toBe('backstage-istio');
  });
});
