import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { freePort } from '../../tools/toolchain';
import { projectRoot } from '../../tools/toolchain/paths';
import { DEV_PASSWORD } from '../../tools/oidc-dev/accounts';
import { startStack, type Stack } from '../api/support';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const SCREENSHOTS = process.env.BEREIK_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'bereik-screenshots');

export interface ConsoleStack {
  stack: Stack;
  baseUrl: string;
  issuer: string;
  browser: Browser;
  stop(): Promise<void>;
}

/** The development OpenID provider as its own process, as `npm start` would serve it. */
async function startProvider(
  redirectUri: string,
  clientSecret: string,
): Promise<{ issuer: string; child: ChildProcess }> {
  const child = spawn(path.join(projectRoot, 'node_modules/.bin/tsx'), ['tools/oidc-dev/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, OIDC_DEV_PORT: '0', OIDC_REDIRECT_URIS: redirectUri, OIDC_CLIENT_SECRET: clientSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the OpenID provider did not start: ${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { issuer: string }).issuer);
      }
    });
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code}): ${stderr}`)));
  });
  return { issuer, child };
}

/** API and worker (in this process), the OpenID provider (its own process) and one Chromium. */
export async function startConsoleStack(
  label: string,
  env: Record<string, string> = {},
  options: { temporalAddress?: string } = {},
): Promise<ConsoleStack> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const provider = await startProvider(`${baseUrl}/console/auth/callback`, clientSecret);
  const stack = await startStack(
    label,
    {
      PUBLIC_BASE_URL: baseUrl,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_SECRET: clientSecret,
      MATCHING_WINDOW: '1s',
      ...env,
    },
    options,
  );
  const server: Server = await new Promise((resolve) => {
    const s = stack.app.listen(port, '127.0.0.1', () => resolve(s));
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  return {
    stack,
    baseUrl,
    issuer: provider.issuer,
    browser,
    async stop() {
      await browser.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      provider.child.kill('SIGTERM');
      await stack.stop();
    },
  };
}

/** Signs in through the IdP's form with the keyboard only: Tab to each field, Enter to submit. */
export async function signIn(page: Page, baseUrl: string, login: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByRole('link', { name: 'Aanmelden' }).focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('Gebruikersnaam').waitFor();
  await page.getByLabel('Gebruikersnaam').focus();
  await page.keyboard.type(login);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEV_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Werkvoorraad' }).waitFor();
}

/** WCAG 2.1 A and AA violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `bereik-console-${name}.png`), fullPage: true });
}

/** Presses `key` until `target` has the focus, as a keyboard user would; fails after `limit` presses. */
async function pressUntilFocused(page: Page, target: Locator, key: string, limit: number): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    const focused = await target.evaluate(
      (element: { ownerDocument: { activeElement: unknown } }) => element === element.ownerDocument.activeElement,
    );
    if (focused) return;
    await page.keyboard.press(key);
  }
  throw new Error(`no focus on ${target.toString()} after ${limit} presses of ${key}`);
}

/** Presses Tab until `target` has the focus. */
export const tabTo = (page: Page, target: Locator, limit = 200) => pressUntilFocused(page, target, 'Tab', limit);

/** Inside a radio group, presses ArrowDown until `target` has the focus, and so is checked. */
export const arrowTo = (page: Page, target: Locator, limit = 20) => pressUntilFocused(page, target, 'ArrowDown', limit);
