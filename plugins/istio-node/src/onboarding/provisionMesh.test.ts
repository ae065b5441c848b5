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
      'Namespace/istio-cni',
      'Namespace/ztunnel',
      'Istio/default',
      'IstioCNI/default',
      'ZTunnel/default',
      'Telemetry/mesh-default',
    ]);
    const istio = writes[4].object;
    expect(istio.apiVersion).toBe('sailoperator.io/v1');
    expect(istio.spec.profile).toBe('ambient');
    expect(istio.spec.values.pilot).toEqual({
      trustedZtunnelNamespace: 'ztunnel',
    });
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
    expect(writes[7].object.spec.tracing[0].randomSamplingPercentage).toBe(10);
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

/** A Gateway API CRD of a given bundle (kubernetes-sigs/gateway-api config/crd/standard, annotations). */
const crdOf = (bundle: string) =>
  parseCrdManifest(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gateways.gateway.networking.k8s.io
  annotations:
    gateway.networking.k8s.io/bundle-version: ${bundle}
    gateway.networking.k8s.io/channel: standard
spec: { group: gateway.networking.k8s.io }
`);
const facts = { sailOperatorInstalled: true, telemetryServed: true };

describe('planMeshProvision and the Sail Operator (istio-ecosystem/sail-operator api/v1, api/v1alpha1)', () => {
  const kindOf = (plan: ReturnType<typeof planMeshProvision>, kind: string) =>
    planWrites(plan).find(c => c.object.kind === kind)!.object;

  it('writes ZTunnel as v1 without profile when v1 is served (Sail 1.28+, api/v1/ztunnel_types.go)', () => {
    const plan = planMeshProvision(
      request,
      {},
      { ...facts, ztunnelApiVersion: 'sailoperator.io/v1' },
      { cluster: 'c' },
    );
    const ztunnel = kindOf(plan, 'ZTunnel');
    expect(ztunnel.apiVersion).toBe('sailoperator.io/v1');
    expect(ztunnel.spec).toEqual({ namespace: 'ztunnel' });
  });

  it('writes ZTunnel as v1alpha1 with profile ambient when only v1alpha1 is served (Sail before 1.28)', () => {
    const plan = planMeshProvision(
      request,
      {},
      { ...facts, ztunnelApiVersion: 'sailoperator.io/v1alpha1' },
      { cluster: 'c' },
    );
    const ztunnel = kindOf(plan, 'ZTunnel');
    expect(ztunnel.apiVersion).toBe('sailoperator.io/v1alpha1');
    expect(ztunnel.spec).toEqual({ namespace: 'ztunnel', profile: 'ambient' });
  });

  it('keeps the namespaces of existing Sail resources (IstioCNI spec.namespace is immutable)', () => {
    const state = stateOf([
      {
        apiVersion: 'sailoperator.io/v1',
        kind: 'IstioCNI',
        metadata: { name: 'default' },
        spec: { namespace: 'kube-system', profile: 'ambient' },
      },
      {
        apiVersion: 'sailoperator.io/v1',
        kind: 'ZTunnel',
        metadata: { name: 'default' },
        spec: { namespace: 'kube-system' },
      },
    ] as any);
    const plan = planMeshProvision(request, state, facts, { cluster: 'c' });
    const writes = planWrites(plan).map(
      c => `${c.object.kind}/${c.object.metadata.name}`,
    );
    expect(writes).not.toContain('IstioCNI/default');
    expect(writes).not.toContain('ZTunnel/default');
    expect(writes).not.toContain('Namespace/istio-cni');
    expect(kindOf(plan, 'Istio').spec.values.pilot).toEqual({
      trustedZtunnelNamespace: 'kube-system',
    });
  });
});

describe('planMeshProvision refuses the TLSRoute trap (istio/istio#59387, #59443, PR #59309)', () => {
  it('refuses istiod 1.28.0 with Gateway API v1.5.0 and names both fixes', () => {
    expect(() =>
      planMeshProvision(
        {
          gatewayApiVersion: 'v1.5.0',
          gatewayApiCrds: crdOf('v1.5.0'),
          istioVersion: 'v1.28.0',
        },
        {},
        facts,
        { cluster: 'c' },
      ),
    ).toThrow(
      /Input "istioVersion": Istio 1\.28\.0 never becomes ready with Gateway API v1\.5\.0.*nothing was changed.*Upgrade Istio to 1\.28\.6.*Gateway API v1\.4/,
    );
  });

  it('refuses v1.5 CRDs under an existing Istio 1.29.1, and accepts 1.29.2', () => {
    const existing = (version: string) =>
      stateOf([
        {
          apiVersion: 'sailoperator.io/v1',
          kind: 'Istio',
          metadata: { name: 'default' },
          spec: { version, namespace: 'istio-system', profile: 'ambient' },
        },
      ] as any);
    const v15 = {
      gatewayApiVersion: 'v1.5.0',
      gatewayApiCrds: crdOf('v1.5.0'),
    };
    expect(() =>
      planMeshProvision(v15, existing('v1.29.1'), facts, { cluster: 'c' }),
    ).toThrow(/Input "gatewayApiVersion": Istio 1\.29\.1/);
    expect(() =>
      planMeshProvision(v15, existing('v1.29.2'), facts, { cluster: 'c' }),
    ).not.toThrow();
  });

  it('warns when istioVersion is unset with Gateway API v1.5', () => {
    const plan = planMeshProvision(
      { gatewayApiVersion: 'v1.5.0', gatewayApiCrds: crdOf('v1.5.0') },
      {},
      facts,
      { cluster: 'c' },
    );
    expect(plan.warnings.join()).toMatch(/set istioVersion to 1\.28\.6/);
  });

  it('refuses v1.4 CRDs over v1.5 with the safe-upgrades ValidatingAdmissionPolicy (gateway-api config/crd/standard/gateway.networking.k8s.io_vap_safeupgrades.yaml)', () => {
    expect(() =>
      planMeshProvision(
        { gatewayApiVersion: 'v1.4.1', gatewayApiCrds: crdOf('v1.4.1') },
        {},
        {
          ...facts,
          gatewayApi: { bundleVersion: 'v1.5.0', safeUpgradesPolicy: true },
        },
        { cluster: 'c' },
      ),
    ).toThrow(
      /ValidatingAdmissionPolicy safe-upgrades\.gateway\.networking\.k8s\.io denies installing CRDs before v1\.5\.0/,
    );
  });
});
