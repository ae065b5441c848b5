import { Entity } from '@backstage/catalog-model';

/** A catalog Component with the Kubernetes plugin's annotations. */
export function componentEntity(
  name: string,
  namespace: string,
  extraAnnotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': name,
        'backstage.io/kubernetes-namespace': namespace,
        ...extraAnnotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-commerce' },
  };
}

/** Istio's default buckets of istio_request_duration_milliseconds. */
export const ISTIO_DURATION_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000, 600000, 1800000, 3600000,
];

/** Index of the histogram bucket a value falls in. */
export function bucketIndex(value: number): number {
  const index = ISTIO_DURATION_BUCKETS.findIndex(bound => value <= bound);
  return index === -1 ? ISTIO_DURATION_BUCKETS.length : index;
}

/** The q-quantile of some numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
