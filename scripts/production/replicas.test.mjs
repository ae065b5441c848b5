// Two backend replicas on one PostgreSQL and one Redis, started by
// `scripts/production.sh test`: what must hold when a portal runs more than one
// backend process. Run with node's test runner; the environment comes from the
// script (REPLICA_URLS, REPLICA_PIDS, PROMETHEUS_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const [replica1, replica2] = process.env.REPLICA_URLS.split(',');
const [replica1Pid] = process.env.REPLICA_PIDS.split(',').map(Number);
const prometheusUrl = process.env.PROMETHEUS_URL;

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function guestToken(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  assert.equal(res.status, 200, `guest sign-in on ${baseUrl}`);
  return (await res.json()).backstageIdentity.token;
}

async function call(baseUrl, token, path, init = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

// Every parameter of templates/onboard-namespace, as the form would send them
const onboardingDefaults = {
  cluster: 'sandbox',
  createNamespace: false,
  waypoint: false,
  waypointFor: 'service',
  tracingSamplingPercentage: 10,
  defaultPolicies: false,
  allowNamespaces: [],
  requireJwt: false,
  overwrite: false,
  // This stack has no Git host: change the cluster (the production default is
  // a GitOps pull request)
  mode: 'apply',
};

async function createOnboardingTask(baseUrl, token, values) {
  const { status, body } = await call(
    baseUrl,
    token,
    '/api/scaffolder/v2/tasks',
    {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/onboard-namespace',
        values: { ...onboardingDefaults, ...values },
      }),
    },
  );
  assert.equal(status, 201, `task creation: ${JSON.stringify(body)}`);
  return body.id;
}

async function waitForTaskEnd(baseUrl, token, taskId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let task;
  while (Date.now() < deadline) {
    const res = await call(
      baseUrl,
      token,
      `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}`,
    );
    assert.equal(res.status, 200, `task read on ${baseUrl}`);
    task = res.body;
    if (['completed', 'failed', 'cancelled'].includes(task.status)) return task;
    await sleep(1000);
  }
  assert.fail(`task ${taskId} still ${task?.status} after ${timeoutMs} ms`);
}

async function taskEvents(baseUrl, token, taskId) {
  const res = await call(
    baseUrl,
    token,
    `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}/events`,
  );
  return Array.isArray(res.body) ? res.body : [];
}

/**
 * The number of API queries Prometheus has answered so far, read from its own
 * live counters on /metrics (querying the counter with PromQL would only see
 * its last scrape).
 */
async function prometheusQueryCount() {
  const text = await (await fetch(`${prometheusUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = line.match(
      /^prometheus_http_requests_total\{[^}]*handler="\/api\/v1\/(query|query_range)"[^}]*\} (\S+)$/,
    );
    if (match) total += Number(match[2]);
  }
  return total;
}

test('an onboarding task created on replica 1 is visible on replica 2 and completes', async () => {
  const token = await guestToken(replica1);
  const taskId = await createOnboardingTask(replica1, token, {
    cluster: 'sandbox',
    namespace: 'reporting',
    waypoint: false,
    defaultPolicies: false,
  });
  const seen = await call(
    replica2,
    token,
    `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}`,
  );
  assert.equal(seen.status, 200);
  assert.equal(seen.body.id, taskId);
  const task = await waitForTaskEnd(replica2, token, taskId, 120_000);
  const events = await taskEvents(replica2, token, taskId);
  assert.equal(
    task.status,
    'completed',
    `task ended ${task.status}: ${JSON.stringify(events.at(-1)?.body)}`,
  );
});

test('a Prometheus answer cached by replica 1 is served by replica 2 without a second Prometheus query', async () => {
  const token = await guestToken(replica1);
  // A window no other view asked for, so replica 1 computes the answer
  const path =
    '/api/istio/v1/entities/component/default/orders/metrics?window=3m&range=30m';
  const before = await prometheusQueryCount();
  const first = await call(replica1, token, path);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const afterFirst = await prometheusQueryCount();
  const second = await call(replica2, token, path);
  assert.equal(second.status, 200, JSON.stringify(second.body));
  const afterSecond = await prometheusQueryCount();
  const byReplica1 = afterFirst - before;
  const byReplica2 = afterSecond - afterFirst;
  assert.ok(byReplica1 > 0, `replica 1 made ${byReplica1} Prometheus queries`);
  assert.equal(byReplica2, 0, 'replica 2 queried Prometheus again');
  assert.deepEqual(second.body, first.body);
});

test('replica 1 stopped during a task: replica 2 keeps answering and the task ends with a clear status', async () => {
  const token = await guestToken(replica2);
  const taskId = await createOnboardingTask(replica1, token, {
    cluster: 'sandbox',
    namespace: 'reporting',
    waypoint: true,
    defaultPolicies: false,
  });
  // Stop replica 1 once its worker runs the task (it waits for the waypoint
  // to be Programmed, a few seconds). A task that no worker claimed yet stays
  // open until a replica dispatches again: the scaffolder's claim signal is
  // per process (see the README's Production section).
  const claimDeadline = Date.now() + 30_000;
  for (;;) {
    const res = await call(
      replica2,
      token,
      `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}`,
    );
    if (res.body.status !== 'open') break;
    assert.ok(Date.now() < claimDeadline, 'replica 1 never claimed the task');
    await sleep(100);
  }
  process.kill(-replica1Pid, 'SIGKILL');

  const deadline = Date.now() + 150_000;
  let task;
  let meshAnswers = 0;
  while (Date.now() < deadline) {
    const mesh = await call(
      replica2,
      token,
      '/api/istio/v1/entities/component/default/orders/mesh',
    );
    assert.equal(mesh.status, 200, 'replica 2 answers the mesh view');
    meshAnswers += 1;
    const res = await call(
      replica2,
      token,
      `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}`,
    );
    task = res.body;
    if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
    await sleep(2000);
  }
  assert.ok(meshAnswers > 0);
  assert.ok(
    ['completed', 'failed'].includes(task.status),
    `task still ${task.status}`,
  );
  if (task.status === 'failed') {
    const events = await taskEvents(replica2, token, taskId);
    const message = events.at(-1)?.body?.message ?? '';
    assert.ok(message.length > 0, 'a failed task says why');
  }
});
