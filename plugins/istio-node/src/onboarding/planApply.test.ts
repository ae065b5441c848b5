import { containsDesired } from './compare';
import { differingFields, planApply, withOwnedLabels } from './planApply';
import { KubeObject, managerOwnsFields, onlyManager, stateOf } from './state';

describe('containsDesired', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['equal scalars', 'a', 'a', true],
    ['different scalars', 'a', 'b', false],
    ['extra keys on the server', { a: 1, b: 2 }, { a: 1 }, true],
    ['a missing key', { b: 2 }, { a: 1 }, false],
    [
      'server defaults inside list items',
      [{ name: 'mesh', allowedRoutes: {} }],
      [{ name: 'mesh' }],
      true,
    ],
    ['lists of other lengths', [1, 2], [1], false],
    ['an empty desired object', { rules: [1] }, {}, true],
    ['an object where a scalar is wanted', { a: 1 }, 'a', false],
  ])('%s', (_name, current, desired, expected) => {
    expect(containsDesired(current, desired)).toBe(expected);
  });
});

const namespaceWith = (
  labels: Record<string, string>,
  managedFields: any[],
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'reporting', labels, managedFields },
});

describe('planApply', () => {
  it('keeps labels our manager already owns, so an apply does not remove them', () => {
    const current = namespaceWith(
      { 'istio.io/dataplane-mode': 'ambient', team: 'finance' },
      [
        {
          manager: 'backstage-istio',
          operation: 'Apply',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:istio.io/dataplane-mode': {} } },
          },
        },
        {
          manager: 'kubectl',
          operation: 'Update',
          fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } },
        },
      ],
    );
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'reporting',
        labels: { 'istio.io/use-waypoint': 'waypoint' },
      },
    };
    expect(withOwnedLabels(desired, current).metadata.labels).toEqual({
      'istio.io/use-waypoint': 'waypoint',
      'istio.io/dataplane-mode': 'ambient',
    });
    const decision = planApply(
      { object: desired, purpose: 'bind' },
      stateOf([current]),
    );
    expect(decision.change?.reason).toBe(
      'update Namespace reporting (metadata.labels): bind',
    );
    expect(decision.change?.object.metadata.labels).toEqual({
      'istio.io/use-waypoint': 'waypoint',
      'istio.io/dataplane-mode': 'ambient',
    });
  });

  it('names the differing fields', () => {
    expect(
      differingFields(
        { spec: { mtls: { mode: 'PERMISSIVE' } }, metadata: { name: 'x' } },
        { spec: { mtls: { mode: 'STRICT' } }, metadata: { name: 'x' } },
      ),
    ).toEqual(['spec.mtls']);
  });
});

describe('field ownership', () => {
  const ours = {
    manager: 'backstage-istio',
    operation: 'Apply',
    fieldsV1: { 'f:spec': {} },
  };
  const identityOnly = {
    manager: 'backstage-istio',
    operation: 'Apply',
    fieldsV1: { 'f:metadata': { 'f:name': {} } },
  };
  const status = {
    manager: 'istiod',
    operation: 'Update',
    subresource: 'status',
    fieldsV1: { 'f:status': {} },
  };
  const theirs = {
    manager: 'kubectl',
    operation: 'Update',
    fieldsV1: { 'f:metadata': { 'f:labels': {} } },
  };

  it.each<[string, any[], boolean, boolean]>([
    ['only ours', [ours], true, true],
    ['ours plus a controller status', [ours, status], true, true],
    ['ours and another manager', [ours, theirs], true, false],
    [
      'nothing left but our identity entry',
      [identityOnly, theirs],
      false,
      false,
    ],
    ['no managedFields', [], false, false],
  ])('%s', (_name, managedFields, owns, only) => {
    const object = namespaceWith({}, managedFields);
    expect(managerOwnsFields(object, 'backstage-istio')).toBe(owns);
    expect(onlyManager(object, 'backstage-istio')).toBe(only);
  });
});
