import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The adopter test (scripts/adopter.sh): a fresh create-app app with the packed
 * plugins, served by its backend on ADOPTER_URL, in Debian's Chromium.
 */
export default defineConfig({
  ...base,
  testDir: 'packages/app/e2e-adopter',
  timeout: 240_000,
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/adopter/e2e.json' }],
  ],
  outputDir: 'test-results/adopter/artifacts',
  use: {
    ...base.use,
    baseURL: process.env.ADOPTER_URL ?? 'http://localhost:27107',
  },
});
