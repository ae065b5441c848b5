/*
 * PeerAuthentication portLevelMtls in ambient mode, graded per workload port. Follows
 * istio/istio pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go
 * convertPeerAuthentication (1.28.0: port-level modes only on a selector policy outside
 * the root namespace, also with an UNSET mode) and istio/ztunnel src/rbac.rs +
 * src/proxy/inbound.rs (1.28.0: port rules compare the pod's destination port, i.e. the
 * Service's targetPort). Policies are written in the security.istio.io/v1 shape of the
 * istio/api security/v1beta1/peer_authentication.proto examples.
 */
import type { V1Service } from '@kubernetes/client-node';
import { assessMesh } from './assessMesh';
import {
  APP_LABELS,
  healthySnapshot,
  NS,
  peerAuthentication,
  pod,
} from './__fixtures__/snapshots';
import type { PeerAuthenticationObject } from './snapshot';

function orders(ports: V1Service['spec']): V1Service {
  return {
    metadata: { name: 'orders', namespace: NS, labels: { ...APP_LABELS } },
    spec: { selector: { app: 'orders' }, ...ports },
  };
}

const workload = (
  mode: string | undefined,
  portLevel: Record<string, string>,
) =>
  peerAuthentication('orders', NS, mode, {
    selector: { app: 'orders' },
    portLevel,
  });

describe('PeerAuthentication per workload port (ambient/authorization.go convertPeerAuthentication 1.28.0)', () => {
  it.each<[string, PeerAuthenticationObject[], V1Service, string, string[]]>([
    [
      "STRICT with the Service's only port PERMISSIVE is not strict",
      [workload('STRICT', { '8080': 'PERMISSIVE' })],
      orders({ ports: [{ port: 80, targetPort: 8080 }] }),
      'partial',
      ['8080 (orders:80): PERMISSIVE'],
    ],
    [
      'the port key is the targetPort, not the Service port',
      [workload('STRICT', { '80': 'PERMISSIVE' })],
      orders({ ports: [{ port: 80, targetPort: 8080 }] }),
      'partial',
      ['80: PERMISSIVE'],
    ],
    [
      'a named targetPort is resolved by the container port name',
      [workload('STRICT', { '9090': 'DISABLE' })],
      orders({ ports: [{ port: 80, targetPort: 'http' }] }),
      'partial',
      ['9090 (orders:80): DISABLE'],
    ],
    [
      'PERMISSIVE with every Service port STRICT is strict on the Service',
      [workload('PERMISSIVE', { '8080': 'STRICT' })],
      orders({ ports: [{ port: 80, targetPort: 8080 }] }),
      'strict',
      [],
    ],
    [
      'an UNSET workload policy keeps its port-level modes under a STRICT namespace',
      [
        peerAuthentication('default', NS, 'STRICT'),
        workload(undefined, { '8080': 'PERMISSIVE' }),
      ],
      orders({ ports: [{ port: 80, targetPort: 8080 }] }),
      'partial',
      ['8080 (orders:80): PERMISSIVE'],
    ],
    [
      'an UNSET port inherits the mode',
      [workload('STRICT', { '8080': 'UNSET' })],
      orders({ ports: [{ port: 80, targetPort: 8080 }] }),
      'strict',
      [],
    ],
    [
      'port-level modes of a root-namespace selector policy are ignored',
      [
        peerAuthentication('default', NS, 'STRICT'),
        peerAuthentication('orders', 'istio-system', undefined, {
          selector: { app: 'orders' },
          portLevel: { '8080': 'PERMISSIVE' },
        }),
      ],
      orders({ ports: [{ port: 80, targetPort: 8080 }] }),
      'strict',
      [],
    ],
  ])('%s', (_name, policies, svc, grade, plaintext) => {
    const snapshot = healthySnapshot();
    snapshot.pods = [
      pod('orders-1', {
        spec: {
          nodeName: 'node-a',
          containers: [
            { name: 'app', ports: [{ name: 'http', containerPort: 9090 }] },
          ],
        },
      }),
    ];
    snapshot.services = [svc];
    snapshot.peerAuthentications = policies;
    const status = assessMesh(snapshot);
    expect(status.mtls.grade).toBe(grade);
    const ports = (status.mtls.configured.ports ?? [])
      .filter(p => p.mode !== 'STRICT')
      .map(
        p =>
          `${p.targetPort}${
            p.servicePorts.length ? ` (${p.servicePorts.join(', ')})` : ''
          }: ${p.mode}`,
      );
    expect(ports).toEqual(plaintext);
    const diagnostic = status.diagnostics.find(d => d.id === 'mtls-permissive');
    expect(
      (diagnostic?.evidence ?? [])
        .filter(e => e.startsWith('workload port '))
        .map(e => e.split(/[ :]/)[2]),
    ).toEqual(plaintext.map(p => p.split(/[ :]/)[0]));
    expect(Boolean(diagnostic)).toBe(plaintext.length > 0);
  });

  it('offers the workload policy without its plaintext ports as the fix', () => {
    const snapshot = healthySnapshot();
    snapshot.services = [orders({ ports: [{ port: 80, targetPort: 8080 }] })];
    snapshot.peerAuthentications = [
      workload('STRICT', { '8080': 'PERMISSIVE', '15020': 'STRICT' }),
    ];
    const fix = assessMesh(snapshot).diagnostics.find(
      d => d.id === 'mtls-permissive',
    )?.fix;
    expect(fix?.kind).toBe('yaml');
    const yaml = fix && fix.kind === 'yaml' ? fix.yaml : '';
    expect(yaml).toContain('mode: STRICT');
    expect(yaml).toContain('"15020"');
    expect(yaml).not.toContain('"8080"');
  });
});
