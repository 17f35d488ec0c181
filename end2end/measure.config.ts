import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * Measurements, not tests: `npx playwright test -c measure.config.ts` (or
 * scripts/measure-portal-load) prints how long the portal takes to become usable. Same server
 * and browser as the suite; nothing here asserts a time.
 */
export default defineConfig({ ...base, testDir: './measure', timeout: 120_000 });
