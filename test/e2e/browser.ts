import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** The page's document, as the functions below see it when they run in the browser (tests compile without the DOM types). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

/** Debian's Chromium; never a browser a tool downloads. CI installs it (.ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Screenshots and other artefacts of browser tests. */
export const OUTPUT_DIR = path.resolve(__dirname, '../../test-output');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Waits until the element matching `selector` has exactly `text` as its text. */
export async function waitForText(page: Page, selector: string, text: string, timeout = 15_000): Promise<void> {
  try {
    await page.waitForFunction(([sel, expected]) => document.querySelector(sel)?.textContent === expected, [selector, text] as const, { timeout });
  } catch (err) {
    const actual = await page.evaluate((sel) => document.querySelector(sel)?.textContent ?? null, selector);
    throw new Error(`${selector}: expected "${text}", still "${actual}" after ${timeout} ms`);
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, name);
  await page.screenshot({ path: file });
  return file;
}

/** Skips a browser suite with a message that says why, when Chromium is not installed. */
export function describeWithBrowser(name: string, body: () => void): void {
  if (hasChromium) {
    describe(name, body);
  } else {
    describe.skip(`${name} (skipped: ${CHROMIUM} is missing; apt-get install -y chromium)`, body);
    // eslint-disable-next-line no-console
    console.warn(`Skipping "${name}": ${CHROMIUM} is not installed (apt-get install -y chromium).`);
  }
}
