/**
 * The dialogs in a real browser: the built HTML files served on 127.0.0.1,
 * Debian's Chromium driven by playwright-core, and google.script.run bridged
 * to the built Code.js running on the fake Apps Script services in Node.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { FakeEnv } from "../fake-gas/env";
import { CODE_JS } from "../fake-gas/env";

export const CHROMIUM = "/usr/bin/chromium";
const DIST = dirname(CODE_JS);

export function chromiumOrSkip(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true")
    throw new Error("CI=true nhưng không có Chromium (/usr/bin/chromium): .ci/run phải cài gói chromium.");
  const install = "(apt-get install chromium)";
  console.warn(`Bỏ qua kiểm thử hộp thoại: máy này không có /usr/bin/chromium ${install}.`);
  return false;
}

export interface Harness {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The dialogs are answered from dist by request interception rather than by a
 * loopback HTTP server: a Node server's keep-alive and header timers once
 * answered a navigation with an error status mid-suite (CI saw
 * ERR_HTTP_RESPONSE_CODE_FAILURE), and HtmlService does not serve over a
 * socket we control either. The origin is a reserved name that never resolves.
 */
const ORIGIN = "http://hop-thoai.invalid";

export async function startHarness(): Promise<Harness> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

async function serveDialogs(context: BrowserContext): Promise<void> {
  await context.route(`${ORIGIN}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.replace(/^\//, "").replace(/[^a-z0-9-]/gi, "");
    const file = join(DIST, `${name}.html`);
    if (!existsSync(file)) {
      await route.fulfill({
        status: 404,
        contentType: "text/plain; charset=utf-8",
        body: `Không có hộp thoại ${name} trong ${DIST}`,
      });
      return;
    }
    await route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: readFileSync(file) });
  });
  // Anything else the page asks for would be a fetch the real dialog cannot make.
  await context.route(
    (url) => !url.href.startsWith(ORIGIN) && !url.protocol.startsWith("blob") && !url.protocol.startsWith("data"),
    (route) => route.abort("blockedbyclient"),
  );
}

/**
 * The google.script.run shim the page gets: every call goes to Node, results come back JSON-serialised
 * as Apps Script does.
 */
const SHIM = `
(() => {
  const makeRunner = (ok, fail) => new Proxy({}, {
    get(_, prop) {
      if (prop === "withSuccessHandler") return (f) => makeRunner(f, fail);
      if (prop === "withFailureHandler") return (f) => makeRunner(ok, f);
      return (...args) => {
        window.__gasCall(String(prop), JSON.stringify(args)).then((r) => {
          if (r.error !== undefined) { if (fail) fail(new Error(r.error)); }
          else if (ok) ok(r.ok === undefined ? undefined : JSON.parse(r.ok));
        });
      };
    },
  });
  window.google = { script: { run: makeRunner(null, null), host: { close() { window.__closed = true; } } } };
})();`;

export interface DialogPage {
  page: Page;
  calls: string[];
}

/** Opens a dialog as the given user, wired to the env. */
export async function openDialog(h: Harness, env: FakeEnv, dialog: string, user: string): Promise<DialogPage> {
  const context = await h.browser.newContext({
    acceptDownloads: true,
    viewport: { width: 820, height: 620 },
    locale: "vi-VN",
  });
  await serveDialogs(context);
  const page = await context.newPage();
  const calls: string[] = [];
  await page.exposeFunction("__gasCall", (fn: string, args: string) => {
    calls.push(fn);
    try {
      const result = env.run(fn, { as: user, args: JSON.parse(args) });
      return { ok: result === undefined ? undefined : JSON.stringify(result) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
  await page.addInitScript(SHIM);
  const response = await page.goto(`${ORIGIN}/${dialog}`);
  if (!response?.ok())
    throw new Error(`Không mở được hộp thoại ${dialog}: ${response?.status() ?? "không có phản hồi"}`);
  return { page, calls };
}
