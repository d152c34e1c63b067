/**
 * A real Chromium for the console's end-to-end tests, driven by playwright-core (which brings no
 * browser of its own: it drives the one at `chromiumPath`). Every page's console errors and
 * uncaught exceptions are collected, so that a test can prove the page ran clean.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from './requirements.js';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true });
}

export interface WatchedPage {
  readonly page: Page;
  /** Errors the page reported: uncaught exceptions, console.error, CSP violations. */
  readonly errors: string[];
}

export async function openPage(browser: Browser, url: string): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, errors };
}
