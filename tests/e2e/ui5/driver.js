// Drives Debian's Chromium with playwright-core (test_odata_ui5.py): one fresh browser context per
// mode (own cookies, own CSRF token, own UI5 core), the page's scenarios run there, and one JSON
// line on stdout with every step's outcome, the page's console and failed requests.
// Usage: UI5_NODE_DIR=<dir with node_modules/playwright-core> node driver.js PAGE_URL USER PASSWORD MODES
// MODES: comma-separated "batch" / "nobatch". The user answers the server's Basic challenge the way
// a person does in the browser's logon dialog (httpCredentials): the app itself sends no credentials.
"use strict";
const path = require("path");
const {chromium} = require(path.join(process.env.UI5_NODE_DIR, "node_modules", "playwright-core"));

async function main() {
  const [pageUrl, user, password, modes] = process.argv.slice(2);
  const out = {console: [], pageErrors: [], failedRequests: [], modes: {}};
  const t0 = Date.now();
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM || "/usr/bin/chromium"});
  out.browserVersion = browser.version();
  out.launchMs = Date.now() - t0;
  try {
    for (const mode of modes.split(",")) {
      const context = await browser.newContext({httpCredentials: {username: user, password}});
      try {
        const page = await context.newPage();
        await page.exposeFunction("causewayClearCookies", () => context.clearCookies());
        page.on("console", (m) => out.console.push({mode, type: m.type(), text: m.text()}));
        page.on("pageerror", (e) => out.pageErrors.push({mode, message: String(e && e.stack || e)}));
        page.on("requestfailed", (r) => out.failedRequests.push(
          {mode, method: r.method(), url: r.url(), failure: r.failure() && r.failure().errorText}));
        const started = Date.now();
        await page.goto(pageUrl, {waitUntil: "load", timeout: 30000});
        await page.waitForFunction(() => window.causeway && (window.causeway.ready || window.causeway.loadError),
          null, {timeout: 30000});
        const loadError = await page.evaluate(() => window.causeway.loadError);
        if (loadError) {
          throw new Error("UI5 modules did not load: " + loadError);
        }
        const bootMs = Date.now() - started;
        const ui5Version = await page.evaluate(() => window.causeway.version);
        const steps = await page.evaluate((m) => window.causeway.run({useBatch: m === "batch", tag: m + "-" + Date.now()}),
          mode);
        out.modes[mode] = {ui5Version, bootMs, runMs: Date.now() - started - bootMs, steps};
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + "\n");
  process.exit(1);
});
