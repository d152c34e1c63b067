/**
 * The web console in a real browser (Debian's Chromium, driven by playwright-core), against a
 * real daemon with real processes: the live table, a crash-looping process's chart with its
 * current state lit and the light moving as it restarts, the Stop button, the log tail, text
 * that looks like HTML shown as text, and a cross-site form that cannot act.
 *
 * One test with steps, so that where no browser is found the run prints one line saying what to
 * install (`# SKIP needs Chromium …: apt-get install -y chromium`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { needsBrowser } from '../helpers/requirements.js';
import { launchChromium, openPage } from '../helpers/browser.js';
import { waitUntil } from '../helpers/leaks.js';

/** The page's globals, as the code playwright runs in the page sees them (this project compiles without DOM types). */
interface PageElement {
  readonly id: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement> };
declare const window: { __pwned?: number };

/** A name and a log line that would run script if the page ever parsed them as HTML. */
const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

test('the console in a real browser: table, lit chart, log tail, Stop, HTML as text, no cross-site actions', { skip: needsBrowser, timeout: 240_000 }, async (t) => {
  const h = await startTestDaemon({ http: '127.0.0.1:0', usageIntervalMs: 500 });
  t.after(() => h.close());
  const listener = (await h.client.getStatus()).listeners.find((l) => l.kind === 'http');
  assert.ok(listener, 'the daemon serves --http');
  const base = `http://${listener.address}`;
  const browser = await launchChromium();
  t.after(() => browser.close());

  // Runs 0.8 s, crashes, waits 1 s: each state of the loop lasts long enough to be drawn.
  await h.client.createProcess(
    {
      name: 'crashy',
      command: 'sh',
      args: ['-c', 'echo "run starts"; sleep 0.8; echo "crashing" >&2; exit 3', h.marker],
      restart: { policy: 'always', delayMs: 1000, maxDelayMs: 1000, minUptimeMs: 0, startLimitBurst: 1000 },
    },
    { start: true },
  );
  await h.client.createProcess(
    {
      name: 'web',
      command: 'sh',
      args: ['-c', `echo '${hostile}'; echo 'ready on stdout'; echo 'warning on stderr' >&2; exec sleep ${h.sleepArgs()[0]}`, h.marker],
      labels: { tier: 'web', note: '<b>bold</b>' },
    },
    { start: true },
  );
  await waitUntil('web runs', async () => (await h.client.describeProcess('web')).process.state === 'RUNNING');

  await t.test('the table lists every process live, and filters by name and label', async () => {
    const { page, errors } = await openPage(browser, `${base}/`);
    await page.waitForSelector('tr[data-name="web"][data-state="RUNNING"]');
    await page.waitForSelector('tr[data-name="crashy"]');
    // Live: crashy's row changes state without a reload.
    const states = new Set<string>();
    await page.waitForFunction(() => document.querySelector('tr[data-name="crashy"]')?.getAttribute('data-state') === 'BACKOFF');
    states.add('BACKOFF');
    await page.waitForFunction(() => document.querySelector('tr[data-name="crashy"]')?.getAttribute('data-state') === 'RUNNING');
    states.add('RUNNING');
    assert.deepEqual([...states], ['BACKOFF', 'RUNNING']);
    await page.fill('[data-testid="filter"]', 'crash');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="processes"] tbody tr').length === 1);
    assert.equal(await page.getAttribute('[data-testid="processes"] tbody tr', 'data-name'), 'crashy');
    await page.fill('[data-testid="filter"]', 'tier=web');
    await page.waitForFunction(() => document.querySelector('[data-testid="processes"] tbody tr')?.getAttribute('data-name') === 'web');
    assert.equal(await page.locator('[data-testid="processes"] tbody tr').count(), 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("a crash-looping process's chart lights its current state, and the light moves as it restarts", async () => {
    const { page, errors } = await openPage(browser, `${base}/#/p/crashy`);
    const lit = () => page.evaluate(() => [...document.querySelectorAll('[data-testid="chart"] svg g.active')].map((g) => g.id).join(' '));
    const litIs = (fragment: string) =>
      page.waitForFunction((f) => [...document.querySelectorAll('[data-testid="chart"] svg g.active')].some((g) => g.id.includes(f)), fragment, { timeout: 20_000 });
    const litIsNot = (fragment: string) =>
      page.waitForFunction(
        (f) => {
          const ids = [...document.querySelectorAll('[data-testid="chart"] svg g.active')].map((g) => g.id);
          return ids.length > 0 && !ids.some((id) => id.includes(f));
        },
        fragment,
        { timeout: 20_000 },
      );
    const restarts = async () => (await h.client.describeProcess('crashy')).process.restartCount;
    // Backing off after a crash, then running again, then backing off again: the light follows.
    const before = await restarts();
    await litIs('terminated_restartDelay');
    await litIsNot('terminated_restartDelay');
    const whileUp = await lit();
    await litIs('terminated_restartDelay');
    assert.ok((await restarts()) > before, 'it restarted meanwhile');
    assert.notEqual(whileUp, '', 'something was lit between the two backoffs');
    // The caption names the lit states and the event that moved the chart there.
    assert.match((await page.textContent('[data-testid="chart-active"]')) ?? '', /terminated\.restartDelay/);
    assert.notEqual(((await page.textContent('[data-testid="chart-event"]')) ?? '').trim(), '');
    assert.ok((await page.locator('[data-testid="transitions"] tbody tr').count()) > 0, 'recent transitions are listed');
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test('the log tail shows what the process printed, `<script>` as text; nothing from it runs', async () => {
    const { page, errors } = await openPage(browser, `${base}/#/p/web`);
    await page.waitForFunction(() => document.querySelector('[data-testid="log"]')?.textContent?.includes('ready on stdout'));
    const log = (await page.textContent('[data-testid="log"]')) ?? '';
    assert.ok(log.includes(hostile), `the line is shown as written: ${log}`);
    assert.ok(log.includes('warning on stderr'), 'stderr too');
    assert.equal(await page.locator('[data-testid="log"] script, [data-testid="log"] img').count(), 0, 'no element was made of it');
    assert.equal(await page.locator('[data-testid="spec"] b').count(), 0, 'nor of a label');
    assert.match((await page.textContent('[data-testid="spec"]')) ?? '', /<b>bold<\/b>/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script of the process ran');
    // New lines arrive live.
    await h.client.signalProcess('web', 'CONT');
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test('the Stop button stops the process', async () => {
    const { page, errors } = await openPage(browser, `${base}/#/p/web`);
    await page.waitForSelector('[data-testid="state"]:text("RUNNING")');
    await page.click('[data-testid="action-stop"]');
    await page.waitForSelector('[data-testid="state"]:text("STOPPED")', { timeout: 30_000 });
    assert.equal((await h.client.describeProcess('web')).process.state, 'STOPPED');
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test('a table of 1,000 processes is shown a page of 100 rows at a time, and filtered at once', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `idle-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name) => h.client.createProcess({ name, command: 'sleep', args: h.sleepArgs() })));
    }
    const { page, errors } = await openPage(browser, `${base}/`);
    await page.waitForSelector('[data-testid="page"]:text("1–100 of 1002")');
    assert.equal(await page.locator('[data-testid="processes"] tbody tr').count(), 100, 'only the page shown is in the DOM');
    await page.click('[data-testid="next"]');
    await page.waitForSelector('[data-testid="page"]:text("101–200 of 1002")');
    assert.equal(await page.getAttribute('[data-testid="processes"] tbody tr', 'data-name'), 'idle-0099', 'sorted by name: crashy and idle-0000…0098 fill the first page');
    await page.fill('[data-testid="filter"]', 'idle-0999');
    await page.waitForSelector('[data-testid="page"]:text("1–1 of 1")');
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test('a cross-site form cannot start a process: it carries no same-origin guard', async (st) => {
    // Another site the user has open: a page on another origin that posts to the console.
    const attacker = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<form id="f" method="POST" action="${base}/api/processes/web/start"></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    st.after(() => new Promise<void>((resolve) => attacker.close(() => resolve())));
    const page = await browser.newPage();
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/processes/web/start'));
    await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    assert.equal((await answered).status(), 403);
    assert.equal((await h.client.describeProcess('web')).process.state, 'STOPPED', 'still stopped');
    await page.close();
  });
});
