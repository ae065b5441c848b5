import { z } from 'zod';

const endpointName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label such as "orders"',
  );

/** One simulated call path: a client workload calling a service. */
export const edgeSchema = z.object({
  source: z.object({
    namespace: endpointName.describe('Namespace of the calling workload'),
    workload: endpointName.describe(
      'Calling workload (its pods carry app=<workload>)',
    ),
  }),
  destination: z.object({
    namespace: endpointName.describe('Namespace of the called Service'),
    service: endpointName.describe(
      'Called Service (and its workload, app=<service>)',
    ),
  }),
  rps: z.number().min(0).max(1000).describe('Requests per second on this edge'),
  errorRatio: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe('Share of requests answered with a 5xx (0..1)'),
  latencyMs: z
    .number()
    .positive()
    .max(60000)
    .default(20)
    .describe('Median latency in milliseconds'),
  ingress: z
    .boolean()
    .default(false)
    .describe(
      'The source is an ingress (Traefik): it uses the waypoint only with istio.io/ingress-use-waypoint',
    ),
  paths: z
    .array(z.string().startsWith('/'))
    .min(1)
    .default(['/'])
    .describe('Request paths, picked at random'),
  denyRatio: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe('Share of connections denied by policy (response_flags="DENY")'),
});

/** One edge of the simulated traffic, as given by the caller. */
export type EdgeInput = z.input<typeof edgeSchema>;
/** One edge with defaults filled in. */
export type Edge = z.output<typeof edgeSchema>;

export const trafficSchema = z.object({
  edges: z.array(edgeSchema).describe('The simulated call graph'),
  samplingPercent: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe(
      "Forces the share of waypoint requests that produce a trace (percent); unset, the waypoint's Telemetry resources decide",
    ),
});

/** Traffic configuration as given by the caller. */
export type TrafficInput = z.input<typeof trafficSchema>;
/** Traffic configuration with defaults filled in. */
export type TrafficConfig = z.output<typeof trafficSchema>;

/** The demo system's call graph (examples/components.yaml). */
export function defaultTraffic(): TrafficInput {
  const ms = 'microservices';
  return {
    edges: [
      {
        source: { namespace: 'traefik', workload: 'traefik' },
        destination: { namespace: ms, service: 'frontend' },
        rps: 20,
        latencyMs: 45,
        errorRatio: 0.005,
        ingress: true,
        paths: ['/', '/cart', '/checkout', '/products'],
      },
      {
        source: { namespace: ms, workload: 'frontend' },
        destination: { namespace: ms, service: 'orders' },
        rps: 8,
        latencyMs: 30,
        errorRatio: 0.01,
        paths: ['/api/orders', '/api/orders/{id}'],
      },
      {
        source: { namespace: ms, workload: 'frontend' },
        destination: { namespace: ms, service: 'inventory' },
        rps: 12,
        latencyMs: 12,
        paths: ['/api/stock', '/api/products'],
      },
      {
        source: { namespace: ms, workload: 'orders' },
        destination: { namespace: ms, service: 'payments' },
        rps: 5,
        latencyMs: 80,
        errorRatio: 0.04,
        paths: ['/api/charges'],
      },
      {
        source: { namespace: ms, workload: 'orders' },
        destination: { namespace: ms, service: 'inventory' },
        rps: 6,
        latencyMs: 10,
        paths: ['/api/reservations'],
      },
      {
        source: { namespace: 'reporting', workload: 'reports' },
        destination: { namespace: ms, service: 'orders' },
        rps: 2,
        latencyMs: 120,
        paths: ['/api/orders'],
      },
      // bookinfo (seed/bookinfo.ts): the frontend is denied by the mixed
      // L4/L7 DENY; reports (not captured, plaintext) gets through
      {
        source: { namespace: ms, workload: 'frontend' },
        destination: { namespace: 'bookinfo', service: 'productpage' },
        rps: 4,
        latencyMs: 25,
        paths: ['/productpage'],
      },
      {
        source: { namespace: 'reporting', workload: 'reports' },
        destination: { namespace: 'bookinfo', service: 'productpage' },
        rps: 1,
        latencyMs: 25,
        paths: ['/productpage'],
      },
    ],
  };
}
