import { defineConfig } from '@playwright/test';

// One release server for the whole run, started by global-setup.ts on a fresh database.
export const PORT = Number(process.env.PROVISIO_E2E_PORT ?? 3210);

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  // The suite walks one server from first run onwards: one worker, in order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    // Browsers cannot be downloaded here: Debian's Chromium, without network chatter.
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
});
