import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests run against a portal that scripts/e2e.sh starts the same
 * way `make start` does, in Debian's Chromium (Playwright downloads no browser).
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    [
      'json',
      { outputFile: process.env.E2E_RESULTS ?? 'test-results/e2e.json' },
    ],
  ],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: process.env.PORTAL_URL ?? 'http://localhost:3000',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
