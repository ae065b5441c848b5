import { Entity } from '@backstage/catalog-model';
import { resolveEntityTarget, hasMeshAnnotations } from './targets';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', namespace: 'default', annotations },
    spec: {},
  };
}

describe('resolveEntityTarget', () => {
  it.each<{
    case: string;
    annotations: Record<string, string>;
    expected: Record<string, string | undefined>;
  }>([
    {
      case: 'kubernetes-id and namespace',
      annotations: {
        'backstage.io/kubernetes-id': 'orders',
        'backstage.io/kubernetes-namespace': 'microservices',
      },
      expected: {
        labelSelector: 'backstage.io/kubernetes-id=orders',
        namespace: 'microservices',
        serviceName: 'orders',
      },
    },
    {
      case: 'a label selector wins over the id',
      annotations: {
        'backstage.io/kubernetes-id': 'orders',
        'backstage.io/kubernetes-label-selector': 'app=orders,tier in (api)',
      },
      expected: {
        labelSelector: 'app=orders,tier in (api)',
        namespace: undefined,
        serviceName: 'orders',
      },
    },
    {
      case: 'our overrides',
      annotations: {
        'backstage.io/kubernetes-label-selector': 'app=orders',
        'backstage.io/kubernetes-cluster': 'prod-eu',
        'istio.ambient-mesh.io/service-name': 'orders-v2',
        'istio.ambient-mesh.io/prometheus': 'eu',
        'istio.ambient-mesh.io/tempo': 'eu-traces',
      },
      expected: {
        labelSelector: 'app=orders',
        cluster: 'prod-eu',
        serviceName: 'orders-v2',
        prometheus: 'eu',
        tempo: 'eu-traces',
      },
    },
  ])('reads $case', ({ annotations, expected }) => {
    expect(resolveEntityTarget(component(annotations))).toMatchObject({
      entityRef: 'component:default/orders',
      ...expected,
    });
  });

  it.each<{
    case: string;
    annotations: Record<string, string>;
    message: RegExp;
  }>([
    {
      case: 'no annotation',
      annotations: {},
      message:
        /backstage.io\/kubernetes-id nor backstage.io\/kubernetes-label-selector/,
    },
    {
      case: 'an id that is not a DNS label',
      annotations: { 'backstage.io/kubernetes-id': 'Orders"}' },
      message: /backstage.io\/kubernetes-id is 'Orders"}'.*DNS-1123/,
    },
    {
      case: 'a namespace with a newline',
      annotations: {
        'backstage.io/kubernetes-id': 'orders',
        'backstage.io/kubernetes-namespace': 'micro\nservices',
      },
      message: /backstage.io\/kubernetes-namespace/,
    },
    {
      case: 'a selector with braces',
      annotations: { 'backstage.io/kubernetes-label-selector': 'app={x}' },
      message: /is not a label selector/,
    },
  ])('refuses $case, naming the annotation', ({ annotations, message }) => {
    expect(() => resolveEntityTarget(component(annotations))).toThrow(message);
  });
});

describe('hasMeshAnnotations', () => {
  it('needs the id or a label selector', () => {
    expect(hasMeshAnnotations(component({}))).toBe(false);
    expect(
      hasMeshAnnotations(component({ 'backstage.io/kubernetes-id': 'a' })),
    ).toBe(true);
    expect(
      hasMeshAnnotations(
        component({ 'backstage.io/kubernetes-label-selector': 'app=a' }),
      ),
    ).toBe(true);
  });
});
