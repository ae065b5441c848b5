import { planWrites } from '@ambient-mesh/plugin-istio-common';
import { parseCrdManifest } from './gatewayApiManifest';
import { planMeshProvision } from './provisionMesh';
import { stateOf } from './state';

const crds = parseCrdManifest(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gateways.gateway.networking.k8s.io
  annotations: { gateway.networking.k8s.io/bundle-version: v1.3.0 }
spec: { group: gateway.networking.k8s.io }
---
apiVersion: v1
kind: Namespace
metadata: { name: gateway-system }
`);
const request = { gatewayApiVersion: 'v1.3.0', gatewayApiCrds: crds };

describe('planMeshProvision', () => {
  it('keeps only the CRDs of the manifest', () => {
    expect(crds.map(c => c.metadata.name)).toEqual([
      'gateways.gateway.networking.k8s.io',
    ]);
  });

  it('plans the CRDs, the Sail resources with profile ambient and tracing, and the Telemetry', () => {
    const plan = planMeshProvision(
      request,
      {},
      { sailOperatorInstalled: true, telemetryServed: true },
      { cluster: 'c' },
    );
    const writes = planWrites(plan);
    expect(
      writes.map(c => `${c.object.kind}/${c.object.metadata.name}`),
    ).toEqual([
      'CustomResourceDefinition/gateways.gateway.networking.k8s.io',
      'Namespace/istio-system',
      'Istio/default',
      'IstioCNI/default',
      'ZTunnel/default',
      'Telemetry/mesh-default',
    ]);
    const istio = writes[2].object;
    expect(istio.apiVersion).toBe('sailoperator.io/v1');
    expect(istio.spec.profile).toBe('ambient');
    expect(istio.spec.values.meshConfig).toEqual({
      enableTracing: true,
      extensionProviders: [
        {
          name: 'otel-tracing',
          opentelemetry: {
            service: 'otel-collector.observability.svc.cluster.local',
            port: 4317,
          },
        },
      ],
    });
    expect(writes[5].object.spec.tracing[0].randomSamplingPercentage).toBe(10);
  });

  it('is idempotent and defers the Telemetry until its CRD exists', () => {
    const first = planMeshProvision(
      request,
      {},
      { sailOperatorInstalled: true, telemetryServed: false },
      { cluster: 'c' },
    );
    expect(first.warnings.join()).toMatch(/run istio:mesh:provision again/);
    const state = stateOf(planWrites(first).map(c => c.object as any));
    const second = planMeshProvision(
      request,
      state,
      { sailOperatorInstalled: true, telemetryServed: false },
      { cluster: 'c' },
    );
    expect(second.steps).toEqual([]);
  });

  it('names the missing Sail Operator as the prerequisite', () => {
    expect(() =>
      planMeshProvision(
        request,
        {},
        { sailOperatorInstalled: false, telemetryServed: false },
        { cluster: 'c' },
      ),
    ).toThrow(/Sail Operator is not installed.*install it first/);
  });
});
