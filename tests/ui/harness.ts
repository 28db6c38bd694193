/**
 * The dialogs in a real browser: the built HTML files served on 127.0.0.1,
 * Debian's Chromium driven by playwright-core, and google.script.run bridged
 * to the built Code.js running on the fake Apps Script services in Node.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { FakeEnv } from "../fake-gas/env";
import { CODE_JS } from "../fake-gas/env";

export const CHROMIUM = "/usr/bin/chromium";
const DIST = dirname(CODE_JS);

export function chromiumOrSkip(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") throw new Error("CI=true nhưng không có Chromium (/usr/bin/chromium): .ci/run phải cài gói chromium.");
  console.warn("Bỏ qua kiểm thử hộp thoại: máy này không có /usr/bin/chromium (apt-get install chromium).");
  return false;
}

export interface Harness {
  browser: Browser;
  url(dialog: string): string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? "/").replace(/^\//, "").replace(/[^a-z0-9-]/gi, "");
    const file = join(DIST, `${name}.html`);
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    browser,
    url: (dialog) => `http://127.0.0.1:${port}/${dialog}`,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The google.script.run shim the page gets: every call goes to Node, results come back JSON-serialised as Apps Script does. */
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
  const context = await h.browser.newContext({ acceptDownloads: true, viewport: { width: 820, height: 620 }, locale: "vi-VN" });
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
  await page.goto(h.url(dialog));
  return { page, calls };
}
