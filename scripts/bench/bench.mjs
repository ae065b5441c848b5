// The load of `make bench` (see scripts/bench/run.sh): every row of the
// performance table, each printed with its ratio and its goal. A small
// keep-alive HTTP loop, bounded in time and in count, to 127.0.0.1 only.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';

const BACKEND = process.env.BENCH_BACKEND;
const KUBE = process.env.BENCH_KUBE;
const CA = readFileSync(process.env.BENCH_CA, 'utf8');
const PID = process.env.BENCH_BACKEND_PID;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 20);
const MAX_REQUESTS = 200_000;
const FLEET_SIZE = Number(process.env.BENCH_FLEET_SIZE ?? 500);
const FLEET_NAMESPACES = Math.ceil(FLEET_SIZE / 50);
for (const url of [BACKEND, KUBE]) {
  if (new URL(url).hostname !== '127.0.0.1')
    throw new Error(`not loopback: ${url}`);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });
const kubeAgent = new https.Agent({ keepAlive: true, ca: CA });

function request(url, { method = 'GET', headers = {}, body } = {}) {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = lib.request(
      u,
      {
        method,
        agent: u.protocol === 'https:' ? kubeAgent : agent,
        headers: {
          ...(body ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            ms: performance.now() - start,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  ];
}
const median = v => quantile(v, 0.5);

/** `clients` loops for `seconds`; throughput, p95 and errors. */
async function load(
  url,
  { clients, seconds, headers, method, body, onTick, raw },
) {
  const latencies = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const started = performance.now();
  let count = 0;
  const worker = async () => {
    while (Date.now() < end && count < MAX_REQUESTS) {
      count += 1;
      try {
        const r = await request(url, { headers, method, body });
        if (r.status >= 400) errors += 1;
        latencies.push(r.ms);
      } catch {
        errors += 1;
      }
    }
  };
  const ticker = onTick ? setInterval(onTick, 1000) : undefined;
  await Promise.all(Array.from({ length: clients }, worker));
  clearInterval(ticker);
  const elapsed = (performance.now() - started) / 1000;
  if (raw) return { latencies, errors, elapsed };
  return {
    rps: latencies.length / elapsed,
    p95: quantile(latencies, 0.95),
    errors,
    n: latencies.length,
  };
}

/**
 * Two loads in alternating slices (so a change in the machine's load hits
 * both alike), added up: throughput over all slices, p95 over all requests.
 */
async function sideBySide(a, b, { clients, seconds, headers, slices = 5 }) {
  const parts = { a: [], b: [] };
  for (let i = 0; i < slices; i++) {
    parts.a.push(
      await load(a, { clients, seconds: seconds / slices, headers, raw: true }),
    );
    parts.b.push(
      await load(b, { clients, seconds: seconds / slices, headers, raw: true }),
    );
  }
  const sum = list => {
    const latencies = list.flatMap(p => p.latencies);
    const elapsed = list.reduce((t, p) => t + p.elapsed, 0);
    return {
      rps: latencies.length / elapsed,
      p95: quantile(latencies, 0.95),
      errors: list.reduce((t, p) => t + p.errors, 0),
      n: latencies.length,
    };
  };
  return [sum(parts.a), sum(parts.b)];
}

function rssMb() {
  const status = readFileSync(`/proc/${PID}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

const rows = [];
function row(what, figure, ratio, goal, ok) {
  rows.push({ what, figure, ratio, goal, ok });
  console.log(
    `bench | ${what} | ${figure} | ${ratio} | goal ${goal} | ${
      ok ? 'OK' : 'MISSED'
    }`,
  );
}
const f = (n, d = 0) => n.toFixed(d);

async function main() {
  const refresh = await request(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token = JSON.parse(refresh.body).backstageIdentity.token;
  const auth = { Authorization: `Bearer ${token}` };

  // The catalog's entities that name a namespace
  let entities = [];
  for (let i = 0; i < 120 && entities.length === 0; i++) {
    const r = await request(
      `${BACKEND}/api/catalog/entities/by-query?filter=kind=component,metadata.namespace=default,metadata.annotations.backstage.io/kubernetes-namespace&limit=50`,
      { headers: auth },
    );
    entities = r.status === 200 ? JSON.parse(r.body).items : [];
    if (entities.length === 0) await new Promise(res => setTimeout(res, 1000));
  }
  if (entities.length === 0)
    throw new Error('the catalog has no entity with a namespace');
  const names = entities.map(e => e.metadata.name);
  const meshUrl = n =>
    `${BACKEND}/api/istio/v1/entities/component/default/${n}/mesh`;
  console.log(
    `bench: ${names.length} entities (${names.join(
      ', ',
    )}); throughput runs of ${SECONDS} s, RSS load of ${LOAD_SECONDS} s`,
  );

  // Wait for the cluster cache to list what the catalog claims
  for (let i = 0; i < 120; i++) {
    const r = await request(`${BACKEND}/api/istio/cluster-cache`, {
      headers: auth,
    });
    const stats = r.status === 200 ? JSON.parse(r.body) : undefined;
    const c = stats?.clusters?.[0];
    if (c && c.namespaces > 0 && c.syncing === 0) {
      console.log(
        `bench: cluster cache synced: ${c.namespaces} namespaces, ${c.informers} informers, ${c.objects} objects`,
      );
      break;
    }
    await new Promise(res => setTimeout(res, 1000));
  }

  // The seeded fleet (scripts/bench/seedFleet.mjs) is in the catalog and the
  // cluster cache watches its namespaces
  const fleetQuery = `filter=kind=component,metadata.namespace=bench-fleet&limit=1`;
  for (let i = 0; i < 300; i++) {
    const r = await request(
      `${BACKEND}/api/catalog/entities/by-query?${fleetQuery}`,
      { headers: auth },
    );
    if (r.status === 200 && JSON.parse(r.body).totalItems >= FLEET_SIZE) break;
    await new Promise(res => setTimeout(res, 1000));
  }
  for (let i = 0; i < 300; i++) {
    const r = await request(`${BACKEND}/api/istio/cluster-cache`, {
      headers: auth,
    });
    const c = r.status === 200 ? JSON.parse(r.body).clusters?.[0] : undefined;
    const claimed =
      new Set(
        entities.map(
          e => e.metadata.annotations['backstage.io/kubernetes-namespace'],
        ),
      ).size + FLEET_NAMESPACES;
    if (c && c.namespaces >= claimed && c.syncing === 0) {
      console.log(
        `bench: fleet of ${FLEET_SIZE} in the catalog; cluster cache: ${c.namespaces} namespaces, ${c.objects} objects`,
      );
      break;
    }
    await new Promise(res => setTimeout(res, 1000));
  }

  // Startup work (catalog ingestion, search indexing) settles first
  await new Promise(res => setTimeout(res, SETTLE_SECONDS * 1000));

  // Per entity, side by side: one Kubernetes round trip (with the injected
  // 50 ms), the first view (nothing cached for the entity yet), and the
  // Kubernetes plugin's view of it
  const rttOnce = async () =>
    (
      await request(`${KUBE}/api/v1/namespaces/microservices`, {
        headers: { Authorization: 'Bearer mesh-sandbox-readonly-token' },
      })
    ).ms;
  const kubePlugin = async e => {
    const r = await request(
      `${BACKEND}/api/kubernetes/services/${e.metadata.name}`,
      {
        method: 'POST',
        headers: auth,
        body: { entity: e },
      },
    );
    if (r.status !== 200)
      throw new Error(
        `Kubernetes plugin answered ${r.status}: ${r.body.slice(0, 200)}`,
      );
    return r.ms;
  };
  for (let i = 0; i < 3; i++) await rttOnce();
  await kubePlugin(entities[0]);
  const rtts = [];
  const firsts = [];
  const kube = [];
  for (const e of entities) {
    rtts.push(await rttOnce());
    firsts.push(
      (await request(meshUrl(e.metadata.name), { headers: auth })).ms,
    );
    kube.push(await kubePlugin(e));
    rtts.push(await rttOnce());
  }
  const rtt = median(rtts);
  const first = median(firsts);
  const kubeMs = median(kube);
  row(
    'first view vs one Kubernetes RTT',
    `${f(first)} ms vs ${f(rtt)} ms (medians of ${firsts.length})`,
    `${f(first / rtt, 2)}x RTT`,
    '<= 1.5x RTT',
    first / rtt <= 1.5,
  );
  row(
    'first view vs Kubernetes plugin POST /services/:name',
    `${f(first)} ms vs ${f(kubeMs)} ms`,
    `${f(kubeMs / first, 2)}x faster`,
    '>= 2x faster',
    kubeMs / first >= 2,
  );

  // Warm throughput and p95 at 50 clients, against the catalog's own read
  const target = names.includes('orders') ? 'orders' : names[0];
  await load(meshUrl(target), { clients: 10, seconds: 2, headers: auth });
  const catalog = await load(
    `${BACKEND}/api/catalog/entities/by-name/component/default/${target}`,
    { clients: 50, seconds: SECONDS, headers: auth },
  );
  const mesh = await load(meshUrl(target), {
    clients: 50,
    seconds: SECONDS,
    headers: auth,
  });
  row(
    'warm /mesh throughput, 50 clients, vs catalog by-name',
    `${f(mesh.rps)} vs ${f(catalog.rps)} req/s`,
    `${f(mesh.rps / catalog.rps, 2)}x`,
    '>= 0.7x',
    mesh.rps / catalog.rps >= 0.7,
  );
  row(
    'warm /mesh p95 vs catalog p95',
    `${f(mesh.p95)} vs ${f(catalog.p95)} ms`,
    `${f(mesh.p95 / catalog.p95, 2)}x`,
    '<= 1.5x',
    mesh.p95 / catalog.p95 <= 1.5,
  );

  const many = await load(meshUrl(target), {
    clients: 200,
    seconds: SECONDS,
    headers: auth,
  });
  row(
    '200 concurrent clients on /mesh, p95',
    `${f(many.p95)} ms, ${many.errors} errors (${many.n} requests)`,
    `${f(many.p95 / 1500, 2)}x of 1.5 s`,
    '<= 1.5 s, 0 errors',
    many.p95 <= 1500 && many.errors === 0,
  );

  for (const route of ['metrics', 'traces']) {
    const url = `${BACKEND}/api/istio/v1/entities/component/default/${target}/${route}`;
    await request(url, { headers: auth });
    const r = await load(url, { clients: 50, seconds: SECONDS, headers: auth });
    row(
      `warm /${route} at 50 clients vs catalog by-name`,
      `${f(r.rps)} req/s, p95 ${f(r.p95)} ms, ${r.errors} errors`,
      `${f(r.rps / catalog.rps, 2)}x, p95 ${f(r.p95 / catalog.p95, 2)}x`,
      '>= 0.7x, p95 <= 1.5x',
      r.rps / catalog.rps >= 0.7 &&
        r.p95 / catalog.p95 <= 1.5 &&
        r.errors === 0,
    );
  }

  // RSS over a load on every entity's views; the first 20 % is warm-up
  const samples = [];
  const urls = names.flatMap(n => [
    meshUrl(n),
    `${BACKEND}/api/istio/v1/entities/component/default/${n}/metrics`,
  ]);
  const rssStart = rssMb();
  await Promise.all(
    Array.from({ length: 4 }, (_, k) =>
      load(urls[k % urls.length], {
        clients: 12,
        seconds: LOAD_SECONDS,
        headers: auth,
        onTick: k === 0 ? () => samples.push(rssMb()) : undefined,
      }),
    ),
  );
  // Medians of the first quarter after the warm-up (20 %) and of the last quarter
  const slice = (from, to) =>
    samples.slice(
      Math.floor(samples.length * from),
      Math.max(
        Math.floor(samples.length * from) + 1,
        Math.floor(samples.length * to),
      ),
    );
  const warm = median(slice(0.2, 0.4)) ?? rssStart;
  const end = median(slice(0.75, 1)) ?? rssMb();
  const growth = (end - warm) / warm;
  row(
    `backend RSS over a ${LOAD_SECONDS} s load (50 clients)`,
    `${f(rssStart)} MB at start, median ${f(warm)} MB after warm-up, median ${f(
      end,
    )} MB at the end (${samples.length} samples)`,
    `${f(growth * 100, 1)} % growth after warm-up`,
    '< 10 % growth',
    growth < 0.1,
  );

  // The fleet page's one request for FLEET_SIZE entities, against the
  // catalog's own query of the same page (the first step of the route)
  const pageQuery = `filter=kind=component,metadata.annotations.backstage.io/kubernetes-id&filter=kind=component,metadata.annotations.backstage.io/kubernetes-namespace&orderField=metadata.name,asc&limit=${FLEET_SIZE}`;
  const fleetUrl = `${BACKEND}/api/istio/v1/fleet?limit=${FLEET_SIZE}`;
  const catalogPage = `${BACKEND}/api/catalog/entities/by-query?${pageQuery}`;
  const fleetCold = await request(fleetUrl, { headers: auth });
  if (fleetCold.status !== 200)
    throw new Error(
      `fleet answered ${fleetCold.status}: ${fleetCold.body.slice(0, 200)}`,
    );
  const fleetItems = JSON.parse(fleetCold.body).items;
  const fleetMs = [];
  const catalogMs = [];
  for (let i = 0; i < 5; i++) {
    catalogMs.push((await request(catalogPage, { headers: auth })).ms);
    const r = await request(fleetUrl, { headers: auth });
    if (r.status !== 200) throw new Error(`fleet answered ${r.status}`);
    fleetMs.push(r.ms);
  }
  const fleetWarm = median(fleetMs);
  const catalogWarm = median(catalogMs);
  const withRows = fleetItems.filter(i =>
    i.clusters.some(c => !c.error && c.totalPods > 0),
  ).length;
  row(
    `fleet page, one request for ${fleetItems.length} entities, vs the catalog's query of the same page`,
    `first ${f(fleetCold.ms)} ms, warm ${f(fleetWarm)} ms vs ${f(
      catalogWarm,
    )} ms (medians of 5; ${withRows} with pods)`,
    `${f(fleetWarm / catalogWarm, 2)}x`,
    '<= 5x, first <= 10 s',
    fleetWarm / catalogWarm <= 5 &&
      fleetCold.ms <= 10_000 &&
      fleetItems.length === FLEET_SIZE,
  );

  const missed = rows.filter(r => !r.ok).length;
  console.log(`bench: ${rows.length - missed} of ${rows.length} goals met`);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(`bench: ${error.stack ?? error}`);
    process.exit(1);
  },
);
