import { assessMesh } from './assessMesh';
import { trafficSnapshot } from './__fixtures__/traffic';

describe('the traffic management summary', () => {
  it('lists the routes and DestinationRules of the service, enforced by its waypoint', () => {
    const status = assessMesh(trafficSnapshot());
    expect(status.traffic?.rules).toEqual([
      {
        kind: 'VirtualService',
        name: 'orders',
        namespace: 'shop',
        targets: ['orders'],
        enforcer: 'waypoint',
        enforcedBy: 'shop/waypoint',
        status: 'ok',
        statusMessage: 'Applied by the waypoint shop/waypoint',
      },
      {
        kind: 'HTTPRoute',
        name: 'orders',
        namespace: 'shop',
        targets: ['Service shop/orders'],
        enforcer: 'waypoint',
        enforcedBy: 'shop/waypoint',
        status: 'ok',
        statusMessage: 'Applied by the waypoint shop/waypoint',
      },
      {
        kind: 'DestinationRule',
        name: 'orders',
        namespace: 'shop',
        targets: ['orders.shop.svc.cluster.local'],
        enforcer: 'waypoint',
        enforcedBy: 'shop/waypoint',
        status: 'ok',
        statusMessage: 'Applied by the waypoint shop/waypoint',
      },
    ]);
  });

  it('says nobody enforces them once the Service opts out of the waypoint', () => {
    const snapshot = trafficSnapshot();
    snapshot.services[0].metadata!.labels!['istio.io/use-waypoint'] = 'none';
    const rules = assessMesh(snapshot).traffic!.rules;
    expect(
      rules.map(r => [r.kind, r.enforcer, r.status, r.statusMessage]),
    ).toEqual([
      [
        'VirtualService',
        'nobody',
        'ignored',
        'VirtualService that no waypoint applies',
      ],
      [
        'HTTPRoute',
        'nobody',
        'ignored',
        'HTTPRoute for a Service no waypoint serves',
      ],
      [
        'DestinationRule',
        'nobody',
        'ignored',
        'L7 DestinationRule that no waypoint applies',
      ],
    ]);
  });

  it('marks a route whose references are broken as an error', () => {
    const snapshot = trafficSnapshot();
    snapshot.traffic!.httpRoutes[0].spec!.rules![0].backendRefs![0].name =
      'ordrs';
    const route = assessMesh(snapshot).traffic!.rules.find(
      r => r.kind === 'HTTPRoute',
    );
    expect(route).toMatchObject({
      status: 'error',
      statusMessage: 'HTTPRoute backend not found',
    });
  });

  it('says why when the traffic objects could not be read', () => {
    const snapshot = trafficSnapshot();
    delete snapshot.traffic;
    snapshot.trafficReadError =
      'Kubernetes did not answer within 5000 ms: list virtualservices.networking.istio.io (cluster-wide)';
    expect(assessMesh(snapshot).traffic).toEqual({
      rules: [],
      unavailable:
        'Kubernetes did not answer within 5000 ms: list virtualservices.networking.istio.io (cluster-wide)',
    });
  });
});
