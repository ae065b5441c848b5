import type { Entity } from '@backstage/catalog-model';
import { isIstioAvailable } from './isIstioAvailable';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', annotations },
});

describe('isIstioAvailable', () => {
  it.each([
    [{ 'backstage.io/kubernetes-id': 'orders' }, true],
    [{ 'backstage.io/kubernetes-label-selector': 'app=orders' }, true],
    [{ 'backstage.io/kubernetes-namespace': 'microservices' }, false],
    [{ 'backstage.io/kubernetes-id': '  ' }, false],
    [undefined, false],
  ])('with annotations %p is %p', (annotations, expected) => {
    expect(isIstioAvailable(entity(annotations))).toBe(expected);
  });
});
