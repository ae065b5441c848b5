import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FleetResponse,
  summarizeClusterMesh,
} from '@ambient-mesh/plugin-istio-common';
import { Sandbox, startSandbox } from '@ambient-mesh/mesh-sandbox';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { componentEntity } from './__testUtils__/fixtures';
import { istioPlugin } from './plugin';

const entities = [
  componentEntity('orders', 'microservices'),
  componentEntity('reports', 'reporting'),
  componentEntity('productpage', 'bookinfo'),
  {
    ...componentEntity('ledger', 'finance'),
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-finance',
      system: 'payments',
    },
  },
  // No Kubernetes annotations: not part of the fleet
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'docs-site', namespace: 'default' },
    spec: { type: 'website', lifecycle: 'production', owner: 'team-commerce' },
  },
];

describe('GET /v1/fleet over the sandbox', () => {
  let sandbox: Sandbox;
  let dir: string;

  async function startBackend(
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  ) {
    const backend = await startTestBackend({
      features: [
        istioPlugin,
        mockServices.rootConfig.factory({
          data: {
            istio: {
              localKubeconfig: {
                path: join(dir, 'kubeconfig'),
                context: 'sandbox-readonly',
                name: 'sandbox',
              },
              cacheTtlSeconds: 0,
            },
          },
        }),
        catalogServiceMock.factory({ entities: entities as any }),
        mockServices.permissions.factory(result ? { result } : undefined),
      ],
    });
    return backend;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 0 });
    dir = mkdtempSync(join(tmpdir(), 'istio-fleet-'));
    writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig);
  });

  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const user = () => ({ Authorization: mockCredentials.user.header() });

  it('answers for every annotated component at once, each as its mesh view summarizes', async () => {
    const backend = await startBackend();
    try {
      const res = await request(backend.server)
        .get('/api/istio/v1/fleet')
        .set(user());
      expect(res.status).toBe(200);
      const body = res.body as FleetResponse;
      expect(body.items.map(i => i.entityRef).sort()).toEqual([
        'component:default/ledger',
        'component:default/orders',
        'component:default/productpage',
        'component:default/reports',
      ]);
      expect(body.totalItems).toBe(4);
      for (const item of body.items) {
        const name = item.entityRef.split('/')[1];
        const mesh = await request(backend.server)
          .get(`/api/istio/v1/entities/component/default/${name}/mesh`)
          .set(user());
        expect(mesh.status).toBe(200);
        expect(item.clusters).toEqual(
          mesh.body.clusters.map(summarizeClusterMesh),
        );
      }
      const orders = body.items.find(
        i => i.entityRef === 'component:default/orders',
      )!;
      expect(orders.owner).toBe('team-commerce');
      expect(orders.clusters[0].cluster).toBe('sandbox');
      expect(orders.clusters[0].totalPods).toBeGreaterThan(0);
    } finally {
      await backend.stop();
    }
  });

  it('pages with a cursor and filters by system and grade', async () => {
    const backend = await startBackend();
    try {
      const first = await request(backend.server)
        .get('/api/istio/v1/fleet?limit=3')
        .set(user());
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(3);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await request(backend.server)
        .get('/api/istio/v1/fleet')
        .query({ cursor: first.body.nextCursor, limit: '3' })
        .set(user());
      expect(second.status).toBe(200);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeUndefined();
      const seen = [...first.body.items, ...second.body.items].map(
        (i: any) => i.entityRef,
      );
      expect(new Set(seen).size).toBe(4);

      const payments = await request(backend.server)
        .get('/api/istio/v1/fleet?system=payments')
        .set(user());
      expect(payments.body.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/ledger',
      ]);

      const all = await request(backend.server)
        .get('/api/istio/v1/fleet')
        .set(user());
      const grade = all.body.items[0].clusters[0].mtlsGrade;
      const byGrade = await request(backend.server)
        .get(`/api/istio/v1/fleet?grade=${grade}`)
        .set(user());
      expect(byGrade.body.items.length).toBeGreaterThan(0);
      for (const item of byGrade.body.items) {
        for (const c of item.clusters) expect(c.mtlsGrade).toBe(grade);
      }

      const bad = await request(backend.server)
        .get('/api/istio/v1/fleet?limit=0')
        .set(user());
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/limit/);
    } finally {
      await backend.stop();
    }
  });

  it('leaves out what the permission policy hides', async () => {
    const backend = await startBackend(AuthorizeResult.DENY);
    try {
      const res = await request(backend.server)
        .get('/api/istio/v1/fleet')
        .set(user());
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
