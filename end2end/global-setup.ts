import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PORT } from './playwright.config';

const root = resolve(__dirname, '..');
export const BINARY = join(root, 'target', 'release', 'provisio');
/** A real SMTP server for invitations: aiosmtpd keeps what it receives in a maildir. */
export const SMTP_PORT = PORT + 15;

/**
 * Starts the release server on a fresh SQLite file and reads the one-time setup code from its
 * log, as an administrator would. Tests get the code and database path through the environment.
 * The server runs in the temporary directory, with no --site-root: the portal it serves is the
 * one compiled into the binary (scripts/build), so the suite also proves the binary is whole.
 */
export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-e2e-'));
  const database = join(dir, 'provisio.db');
  const maildir = join(dir, 'mail');
  const smtp = spawn(
    join(root, 'tools', '.venv', 'bin', 'python'),
    ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${SMTP_PORT}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: 'ignore' },
  );
  const server = spawn(
    BINARY,
    [
      'serve', '--listen', `127.0.0.1:${PORT}`, '--database', database,
      '--smtp-host', '127.0.0.1', '--smtp-port', String(SMTP_PORT), '--smtp-tls', 'none',
      '--smtp-from', 'Provisio <provisio@example.com>',
    ],
    { cwd: dir, stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, RUST_LOG: 'info', PROVISIO_SITE_ROOT: undefined } },
  );

  const setupCode = await new Promise<string>((resolveCode, reject) => {
    let log = '';
    let code = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000);
    server.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      code ||= /setup_code=([A-Z0-9-]+)/.exec(log)?.[1] ?? '';
      if (code && log.includes('Provisio is listening')) {
        clearTimeout(timer);
        if (!/site=compiled into the binary/.test(log)) reject(new Error(`the binary has no portal compiled in (scripts/build):\n${log}`));
        resolveCode(code);
      }
    });
    server.on('exit', (status) => reject(new Error(`server exited (${status}):\n${log}`)));
  });
  // Keep draining the log so the server never blocks on a full pipe.
  server.stderr.on('data', (chunk: Buffer) => process.env.E2E_SERVER_LOG && process.stderr.write(chunk));

  process.env.PROVISIO_SETUP_CODE = setupCode;
  process.env.PROVISIO_DATABASE = database;
  process.env.PROVISIO_MAILDIR = maildir;
  return async () => {
    server.kill('SIGTERM');
    smtp.kill('SIGTERM');
  };
}
