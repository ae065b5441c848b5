// `make bench`: the fleet of FLEET_SIZE components (default 500), seeded into
// the sandbox through its Kubernetes API as the sandbox admin (the sandbox's
// controllers create the pods) and written as a catalog file for the backend.
// Kubernetes objects in the upstream shapes: core/v1 Namespace and apps/v1
// Deployment (kubernetes/api v0.32 core/v1/types.go, apps/v1/types.go); the
// namespace label `istio.io/dataplane-mode: ambient` enrolls (istio/istio
// 1.28 pkg/config/constants: DataplaneModeLabel).
import https from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';

const KUBE = process.env.BENCH_KUBE;
const CA = readFileSync(process.env.BENCH_CA, 'utf8');
const OUT = process.env.BENCH_FLEET_CATALOG;
const SIZE = Number(process.env.BENCH_FLEET_SIZE ?? 500);
const PER_NAMESPACE = 50;
const ADMIN = 'mesh-sandbox-admin-token';
if (new URL(KUBE).hostname !== '127.0.0.1')
  throw new Error(`not loopback: ${KUBE}`);
if (!Number.isInteger(SIZE) || SIZE < 1 || SIZE > 5000)
  throw new Error('BENCH_FLEET_SIZE: a whole number from 1 to 5000');

const agent = new https.Agent({ keepAlive: true, ca: CA, maxSockets: 16 });

function post(path, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, KUBE),
      {
        method: 'POST',
        agent,
        headers: {
          Authorization: `Bearer ${ADMIN}`,
          'Content-Type': 'application/json',
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          // 409: already there (a rerun on the same sandbox)
          if (res.statusCode >= 400 && res.statusCode !== 409) {
            reject(
              new Error(
                `POST ${path}: ${res.statusCode} ${Buffer.concat(chunks)
                  .toString('utf8')
                  .slice(0, 200)}`,
              ),
            );
          } else resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export const fleetName = i => `fleet-${String(i).padStart(4, '0')}`;
const namespaceOf = i => `bench-fleet-${Math.floor(i / PER_NAMESPACE)}`;

const names = Array.from({ length: SIZE }, (_, i) => fleetName(i));
const namespaces = [...new Set(names.map((_, i) => namespaceOf(i)))];

// Every other namespace in ambient mode: both kinds of rows on the page
for (const [k, ns] of namespaces.entries()) {
  await post('/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: k % 2 === 0 ? { 'istio.io/dataplane-mode': 'ambient' } : {},
    },
  });
}
const queue = names.map((name, i) => ({ name, ns: namespaceOf(i) }));
await Promise.all(
  Array.from({ length: 16 }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const labels = { app: job.name, 'backstage.io/kubernetes-id': job.name };
      await post(`/apis/apps/v1/namespaces/${job.ns}/deployments`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: job.name, namespace: job.ns, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: job.name } },
          template: {
            metadata: { labels },
            spec: {
              containers: [{ name: job.name, image: `example/${job.name}:1` }],
            },
          },
        },
      });
    }
  }),
);

// The catalog: one Component per Deployment, in the catalog namespace
// bench-fleet (apart from the demo's components in default)
const docs = names.map((name, i) =>
  [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    '  namespace: bench-fleet',
    '  annotations:',
    `    backstage.io/kubernetes-id: ${name}`,
    `    backstage.io/kubernetes-namespace: ${namespaceOf(i)}`,
    'spec:',
    '  type: service',
    '  lifecycle: experimental',
    `  owner: group:default/team-${i % 5}`,
  ].join('\n'),
);
writeFileSync(OUT, `${docs.join('\n---\n')}\n`);
console.log(
  `bench: seeded ${SIZE} components in ${namespaces.length} namespaces (${OUT})`,
);
agent.destroy();
