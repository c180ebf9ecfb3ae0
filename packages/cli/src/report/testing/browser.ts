import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium, installed by .ci/run when missing. */
export const chromiumPath = '/usr/bin/chromium';

export interface Browser {
  /** Opens an html file; `problems` collects console errors, page errors and any request that leaves the file. */
  open(path: string): Promise<{ page: Page; problems: string[] }>;
  /** Writes `html` to a temp file and opens it. */
  openHtml(html: string): Promise<{ page: Page; problems: string[]; path: string }>;
  close(): Promise<void>;
}

/** Headless Chromium with a new empty profile, nothing in the background that could reach the network. */
export async function launchBrowser(): Promise<Browser> {
  const dir = await mkdtemp(join(tmpdir(), 'sdp-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  let files = 0;
  const open = async (path: string) => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    return { page, problems };
  };
  return {
    open,
    async openHtml(html) {
      files += 1;
      const path = join(dir, `report-${files}.html`);
      await writeFile(path, html);
      return { ...(await open(path)), path };
    },
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
