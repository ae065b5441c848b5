import { test, expect } from '@playwright/test';

const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:7007';

test('a guest token lists the demo components through the catalog API', async ({
  request,
}) => {
  const refresh = await request.get(`${backendUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(refresh.status()).toBe(200);
  const { backstageIdentity } = await refresh.json();
  expect(backstageIdentity.identity.userEntityRef).toBe('user:default/guest');

  const unauthenticated = await request.get(
    `${backendUrl}/api/catalog/entities/by-query?filter=kind=component`,
  );
  expect(unauthenticated.status()).toBe(401);

  const response = await request.get(
    `${backendUrl}/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name`,
    { headers: { authorization: `Bearer ${backstageIdentity.token}` } },
  );
  expect(response.status()).toBe(200);
  const { items } = await response.json();
  const names = items.map(
    (e: { metadata: { name: string } }) => e.metadata.name,
  );
  // The storefront (team-commerce), team-finance's ledger and the platform's
  // traefik and otel-collector (examples/components.yaml)
  expect(names.sort()).toEqual(
    [
      'frontend',
      'inventory',
      'orders',
      'payments',
      'productpage',
      'reports',
      'ledger',
      'traefik',
      'otel-collector',
    ].sort(),
  );
  // The guest signs in as a developer of team-commerce only
  expect(backstageIdentity.identity.ownershipEntityRefs.sort()).toEqual([
    'group:default/team-commerce',
    'user:default/guest',
  ]);
});
