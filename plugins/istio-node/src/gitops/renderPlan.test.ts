import { parse } from 'yaml';
import { planWrites } from '@ambient-mesh/plugin-istio-common';
import { planNamespaceOnboard } from '../onboarding/onboardNamespace';
import { stateOf } from '../onboarding/state';
import { gitopsPathOf, renderPlanFiles, stripServerFields } from './renderPlan';

const existingNamespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'reporting',
    uid: '7f0c-1',
    resourceVersion: '12',
    creationTimestamp: '2026-12-01T10:00:00Z',
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    labels: { team: 'commerce' },
  },
  status: { phase: 'Active' },
};

const request = {
  namespace: 'reporting',
  waypoint: { name: 'waypoint', for: 'service' as const },
  defaultPolicies: true,
  tracingSamplingPercentage: 10,
};

describe('renderPlanFiles', () => {
  it('renders one file per applied object, at a stable path, in plan order', () => {
    const plan = planNamespaceOnboard(request, stateOf([existingNamespace]), {
      cluster: 'sandbox',
    });
    const rendered = renderPlanFiles(plan);
    expect(rendered.files.map(f => f.path)).toEqual([
      'istio/sandbox/reporting/authorizationpolicy-allow-waypoint.yaml',
      'istio/sandbox/reporting/gateway-waypoint.yaml',
      'istio/sandbox/reporting/namespace-reporting.yaml',
      'istio/sandbox/reporting/peerauthentication-default.yaml',
      'istio/sandbox/reporting/authorizationpolicy-allow-callers.yaml',
      'istio/sandbox/reporting/authorizationpolicy-allow-nothing.yaml',
      'istio/sandbox/reporting/telemetry-waypoint-tracing.yaml',
    ]);
    // The wait cannot be a file: it becomes a note for the pull request
    expect(rendered.notes).toEqual([
      expect.stringMatching(
        /^After sync, Gateway reporting\/waypoint must become Programmed/,
      ),
    ]);
    expect(rendered.removed).toEqual([]);
  });

  it('each file parses to exactly the body apply mode sends', () => {
    const plan = planNamespaceOnboard(request, stateOf([existingNamespace]), {
      cluster: 'sandbox',
    });
    const rendered = renderPlanFiles(plan);
    expect(rendered.files.map(f => parse(f.content))).toEqual(
      planWrites(plan).map(c => JSON.parse(JSON.stringify(c.object))),
    );
  });

  it('renders byte-identical files for the same plan, whatever the key order of its objects', () => {
    const plan = planNamespaceOnboard(request, stateOf([existingNamespace]), {
      cluster: 'sandbox',
    });
    const shuffled = JSON.parse(JSON.stringify(plan), (_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    );
    const first = renderPlanFiles(plan).files.map(f => [f.path, f.content]);
    const second = renderPlanFiles(shuffled).files.map(f => [
      f.path,
      f.content,
    ]);
    expect(second).toEqual(first);
    expect(first[0][1]).toMatch(
      /^apiVersion: security\.istio\.io\/v1\nkind: AuthorizationPolicy\nmetadata:\n/,
    );
  });

  it('strips server-managed fields and status', () => {
    expect(stripServerFields(existingNamespace as any)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'reporting', labels: { team: 'commerce' } },
    });
  });

  it('keeps the last body of an object applied twice, and lists deleted objects as removed files', () => {
    const object = (labels: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels },
    });
    const rendered = renderPlanFiles({
      cluster: 'Prod East',
      steps: [
        {
          key: 'a',
          operation: 'apply',
          exists: true,
          reason: 'r',
          object: object({ a: '1' }),
        },
        {
          key: 'b',
          operation: 'apply',
          exists: true,
          reason: 'r',
          object: object({ a: '1', b: '2' }),
        },
        {
          key: 'c',
          operation: 'delete',
          exists: true,
          reason: 'r',
          object: {
            apiVersion: 'security.istio.io/v1',
            kind: 'AuthorizationPolicy',
            metadata: { name: 'allow-nothing', namespace: 'shop', uid: 'u1' },
          },
        },
      ],
      unchanged: [],
      preconditions: [],
      warnings: [],
    });
    expect(rendered.files).toHaveLength(1);
    expect(parse(rendered.files[0].content).metadata.labels).toEqual({
      a: '1',
      b: '2',
    });
    expect(rendered.files[0].path).toBe(
      'istio/prod-east/shop/namespace-shop.yaml',
    );
    expect(rendered.removed).toEqual([
      'istio/prod-east/shop/authorizationpolicy-allow-nothing.yaml',
    ]);
  });

  it('puts cluster-scoped objects other than Namespaces under _cluster', () => {
    expect(
      gitopsPathOf('sandbox', {
        kind: 'CustomResourceDefinition',
        metadata: { name: 'gateways.gateway.networking.k8s.io' },
      }),
    ).toBe(
      'istio/sandbox/_cluster/customresourcedefinition-gateways.gateway.networking.k8s.io.yaml',
    );
  });
});
