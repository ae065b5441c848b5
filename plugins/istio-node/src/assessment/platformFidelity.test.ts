import { assessMesh } from './assessMesh';
import { healthySnapshot, pod } from './__fixtures__/snapshots';
import {
  istiodVersionOf,
  tlsRouteTrap,
  ISTIOD_TLSROUTE_V1ALPHA2_RANGES,
} from './gatewayApiCompat';
import { summarizeControlPlane } from './controlPlane';

const diagnostic = (snapshot: ReturnType<typeof healthySnapshot>, id: string) =>
  assessMesh(snapshot).diagnostics.find(d => d.id === id);

describe('Gateway API v1.5 x istiod (istio/istio#59387, #59443, PR #59309)', () => {
  it.each([
    ['1.24.0', 'v1.5.0', true],
    ['1.27.8', 'v1.5.0', true],
    ['1.27.9', 'v1.5.0', false],
    ['1.28.0', 'v1.5.0', true],
    ['1.28.5', 'v1.5.1', true],
    ['1.28.6', 'v1.5.0', false],
    ['1.29.1', 'v1.5.0', true],
    ['1.29.2', 'v1.5.0', false],
    ['1.30.0', 'v1.5.0', false],
    ['1.28.0', 'v1.4.1', false],
    ['1.28.0', undefined, false],
  ])(
    'istiod %s with Gateway API %s traps: %s',
    (istio, gatewayApi, trapped) => {
      expect(Boolean(tlsRouteTrap(istio, gatewayApi))).toBe(trapped);
    },
  );

  it('names the first fixed patch of the minor', () => {
    expect(tlsRouteTrap('1.28.3', 'v1.5.0')?.fixedIstio).toBe('1.28.6');
    expect(tlsRouteTrap('1.29.0', 'v1.5.0')?.fixedIstio).toBe('1.29.2');
    expect(tlsRouteTrap('1.26.2', 'v1.5.0')?.fixedIstio).toBe('1.27.9');
    expect(ISTIOD_TLSROUTE_V1ALPHA2_RANGES).toHaveLength(3);
  });

  it('reads istiod version from the discovery image tag, else the chart label (manifests/charts istio.labels)', () => {
    expect(
      istiodVersionOf({
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'discovery',
                  image: 'gcr.io/istio-release/pilot:1.28.0-distroless',
                },
              ],
            },
          },
        },
      }),
    ).toBe('1.28.0');
    expect(
      istiodVersionOf({
        metadata: { labels: { 'app.kubernetes.io/version': '1.29.1' } },
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'discovery', image: 'quay.io/x/pilot@sha256:abcd' },
              ],
            },
          },
        },
      }),
    ).toBe('1.29.1');
  });

  it('the tab says nothing about a fixed pairing (1.28.6 with v1.5.0)', () => {
    const snapshot = healthySnapshot();
    snapshot.controlPlane.istiod.version = '1.28.6';
    snapshot.controlPlane.gatewayApi.bundleVersion = 'v1.5.0';
    expect(
      diagnostic(snapshot, 'istiod-gateway-api-incompatible'),
    ).toBeUndefined();
  });

  it('the fix names a fixed patch and Gateway API v1.4', () => {
    const snapshot = healthySnapshot();
    snapshot.controlPlane.istiod.version = '1.29.0';
    snapshot.controlPlane.gatewayApi.bundleVersion = 'v1.5.0';
    const found = diagnostic(snapshot, 'istiod-gateway-api-incompatible');
    expect(found?.fix?.kind).toBe('command');
    const command = (found?.fix as { command: string }).command;
    expect(command).toContain('--version 1.29.2');
    expect(command).toContain('/v1.4.1/standard-install.yaml');
    // Without the admission policy there is nothing to delete first.
    expect(command).not.toContain('validatingadmissionpolicy');
  });
});

describe('sidecar injection labels (istio/istio manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml)', () => {
  it('istio.io/rev does not inject when istio-injection is present (disabled)', () => {
    const snapshot = healthySnapshot();
    snapshot.namespaceObject!.metadata!.labels!['istio.io/rev'] = 'canary';
    snapshot.namespaceObject!.metadata!.labels!['istio-injection'] = 'disabled';
    expect(
      diagnostic(snapshot, 'revision-label-on-ambient-namespace'),
    ).toBeUndefined();
  });

  it('istio-injection=enabled with istio.io/rev: remove both, or the revision injects', () => {
    const snapshot = healthySnapshot();
    snapshot.namespaceObject!.metadata!.labels!['istio.io/rev'] = 'canary';
    snapshot.namespaceObject!.metadata!.labels!['istio-injection'] = 'enabled';
    const found = diagnostic(snapshot, 'revision-label-on-ambient-namespace');
    expect((found?.fix as { command: string }).command).toBe(
      'kubectl label namespace shop istio-injection- istio.io/rev-',
    );
  });

  it('istio.io/rev alone: remove only it', () => {
    const snapshot = healthySnapshot();
    snapshot.namespaceObject!.metadata!.labels!['istio.io/rev'] = 'canary';
    const found = diagnostic(snapshot, 'revision-label-on-ambient-namespace');
    expect((found?.fix as { command: string }).command).toBe(
      'kubectl label namespace shop istio.io/rev-',
    );
  });
});

describe('ztunnel and istio-cni outside istio-system (Sail api/v1 ztunnel_types.go, istiocni_types.go defaults)', () => {
  it('pending pods: the commands select app=ztunnel and k8s-app=istio-cni-node in their own namespaces', () => {
    const snapshot = healthySnapshot();
    snapshot.controlPlane.ztunnel.namespace = 'ztunnel';
    snapshot.controlPlane.istioCni.namespace = 'istio-cni';
    snapshot.pods[1] = pod(
      'orders-2',
      { spec: { nodeName: 'node-b', containers: [] } },
      { annotations: { 'ambient.istio.io/redirection': 'pending' } },
    );
    const command = (
      diagnostic(snapshot, 'pods-pending')?.fix as { command: string }
    ).command;
    expect(command.split('\n')).toEqual([
      'kubectl -n ztunnel get pods -l app=ztunnel -o wide --field-selector spec.nodeName=node-b',
      'kubectl -n istio-cni get pods -l k8s-app=istio-cni-node -o wide --field-selector spec.nodeName=node-b',
    ]);
  });

  it('summarizes DaemonSets found in the ztunnel and istio-cni namespaces', () => {
    const ds = (namespace: string, name: string) => ({
      metadata: { name, namespace },
      status: {
        desiredNumberScheduled: 1,
        numberReady: 1,
        currentNumberScheduled: 1,
        numberMisscheduled: 0,
      },
    });
    const facts = summarizeControlPlane({
      istioNamespace: 'istio-system',
      daemonSets: [ds('ztunnel', 'ztunnel'), ds('istio-cni', 'istio-cni-node')],
      istiodDeployments: [],
      waypointGatewayClass: false,
    });
    expect(facts.ztunnel).toMatchObject({
      present: true,
      namespace: 'ztunnel',
    });
    expect(facts.istioCni).toMatchObject({
      present: true,
      namespace: 'istio-cni',
    });
  });
});
