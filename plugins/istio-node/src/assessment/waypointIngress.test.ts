/*
 * istio.io/ingress-use-waypoint as istiod reads it: istio/istio
 * pilot/pkg/serviceregistry/kube/controller/ambient/services.go (IngressLabelPresent,
 * strings.EqualFold), ambientindex.go (NamespacesInfo) and sidecar_interop.go
 * ingressUseWaypoint, 1.25.0-1.28.0. Traefik's side: doc.traefik.io, Kubernetes Ingress
 * provider "On Service" annotations (traefik.ingress.kubernetes.io/service.nativelb) and
 * the providers' nativeLBByDefault option.
 */
import { assessMesh } from './assessMesh';
import { healthySnapshot } from './__fixtures__/snapshots';
import { ingressUseWaypoint } from './waypoint';

describe('istio.io/ingress-use-waypoint (ambient/sidecar_interop.go ingressUseWaypoint, 1.28.0)', () => {
  it.each<
    [string, Record<string, string>, Record<string, string>, boolean, string]
  >([
    [
      'Service true',
      { 'istio.io/ingress-use-waypoint': 'true' },
      {},
      true,
      'service',
    ],
    [
      'Service TRUE (EqualFold)',
      { 'istio.io/ingress-use-waypoint': 'TRUE' },
      {},
      true,
      'service',
    ],
    [
      'Namespace True only',
      {},
      { 'istio.io/ingress-use-waypoint': 'True' },
      true,
      'namespace',
    ],
    [
      'Service false beats Namespace true',
      { 'istio.io/ingress-use-waypoint': 'false' },
      { 'istio.io/ingress-use-waypoint': 'true' },
      false,
      'service',
    ],
    [
      'an empty Service label still beats the Namespace label',
      { 'istio.io/ingress-use-waypoint': '' },
      { 'istio.io/ingress-use-waypoint': 'true' },
      false,
      'service',
    ],
    ['neither', {}, {}, false, 'none'],
  ])('%s', (_name, service, namespace, uses, from) => {
    expect(ingressUseWaypoint(service, namespace)).toMatchObject({
      usesWaypoint: uses,
      from,
    });
  });

  it.each<[string, string | undefined, string | undefined, boolean]>([
    ['the Namespace label in upper case', undefined, 'TRUE', true],
    [
      'a Service label false under a Namespace label true',
      'false',
      'true',
      false,
    ],
  ])('assesses %s', (_name, serviceValue, namespaceValue, uses) => {
    const snapshot = healthySnapshot();
    const labels = snapshot.services[0].metadata!.labels!;
    if (serviceValue === undefined)
      delete labels['istio.io/ingress-use-waypoint'];
    else labels['istio.io/ingress-use-waypoint'] = serviceValue;
    if (namespaceValue !== undefined) {
      snapshot.namespaceObject!.metadata!.labels![
        'istio.io/ingress-use-waypoint'
      ] = namespaceValue;
    }
    const status = assessMesh(snapshot);
    expect(
      status.waypoint.kind === 'waypoint' &&
        status.waypoint.ingressUsesWaypoint,
    ).toBe(uses);
    const diagnostic = status.diagnostics.find(
      d => d.id === 'ingress-bypasses-waypoint',
    );
    expect(Boolean(diagnostic)).toBe(!uses);
    expect(diagnostic?.evidence).toEqual(
      uses
        ? undefined
        : [
            'Service shop/orders: istio.io/ingress-use-waypoint=false on the Service (beats the Namespace label)',
          ],
    );
  });

  it('gives the fix for Istio gateways and the one Traefik documents (nativeLB)', () => {
    const snapshot = healthySnapshot();
    snapshot.services[0].metadata!.labels!['istio.io/ingress-use-waypoint'] =
      'false';
    const diagnostic = assessMesh(snapshot).diagnostics.find(
      d => d.id === 'ingress-bypasses-waypoint',
    );
    expect(diagnostic?.message).toContain('Traefik');
    const command =
      diagnostic?.fix?.kind === 'command' ? diagnostic.fix.command : '';
    expect(command).toContain(
      'kubectl -n shop annotate service orders traefik.ingress.kubernetes.io/service.nativelb=true --overwrite',
    );
    expect(command).toContain(
      'kubectl -n shop label service orders istio.io/ingress-use-waypoint=true --overwrite',
    );
  });
});
