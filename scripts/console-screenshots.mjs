// The README's pictures of the web console, taken in Debian's Chromium (playwright-core, as the
// browser tests): a daemon in a temp dir runs examples/demo/ (a web server, a ticker, a one-shot
// job, a crash loop) plus a row of the kinds a console must show safely, then the table, a
// crash-looping process's page (its chart lit) and the whole chart are saved under docs/.
//
// Usage: npm run screenshots   ($CHROMIUM_PATH, else /usr/bin/chromium)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startDaemon } = await import(path.join(root, 'dist/src/server/daemon.js'));
const { silentLogger } = await import(path.join(root, 'dist/src/manager/logger.js'));
const { createClient } = await import(path.join(root, 'dist/src/client/index.js'));

const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-screenshots-'));
const socket = path.join(dir, 'statevisor.sock');
const daemon = await startDaemon({
  socket,
  stateDir: path.join(dir, 'state'),
  logger: silentLogger,
  http: '127.0.0.1:0',
  configPath: path.join(root, 'examples', 'demo'),
  usageIntervalMs: 1000,
});
const client = createClient({ socket });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
try {
  await client.createProcess(
    { name: 'echo-html', command: 'sh', args: ['-c', 'echo "<script>alert(1)</script> is shown as text"; exec sleep 3600'], labels: { tier: 'web' } },
    { start: true },
  );
  const { address } = (await client.getStatus()).listeners.find((l) => l.kind === 'http');
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`http://${address}/`);
  // Let the crash loop back off a few times and the usage sampler see everyone.
  await sleep(6000);
  await page.screenshot({ path: path.join(root, 'docs', 'console-table.png') });

  await page.goto(`http://${address}/#/p/flaky`);
  await page.waitForSelector('[data-testid="chart"] svg g.node.active', { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="chart-caption"]')?.textContent?.includes('terminated.restartDelay'), null, { timeout: 30_000 });
  await sleep(500);
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.screenshot({ path: path.join(root, 'docs', 'console-process.png') });
  await page.click('[data-testid="zoom-fit"]');
  await sleep(300);
  await page.locator('[data-testid="chart"]').screenshot({ path: path.join(root, 'docs', 'console-chart.png') });
  process.stdout.write('docs/console-table.png, docs/console-process.png, docs/console-chart.png\n');
} finally {
  await browser.close();
  client.close();
  await daemon.stop();
  rmSync(dir, { recursive: true, force: true });
}
