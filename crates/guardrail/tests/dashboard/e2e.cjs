// The dashboard in a real headless Chromium, driven by playwright-core (never a browser of its
// own: Debian's chromium). Called by crates/guardrail/tests/dashboard.rs, which checks what this
// prints (one JSON document) against the API.
//
//   GUARDRAIL_URL        the running `guardrail serve`
//   GUARDRAIL_TOKEN      the token to sign in with (a policy admin)
//   GUARDRAIL_EXEMPTION  the id of the pending exemption to approve through the page
//   PLAYWRIGHT_CORE      the playwright-core package directory
//   CHROMIUM             the browser (default /usr/bin/chromium)
//   SCREENSHOT           where to save a screenshot of the overview (optional)
'use strict';

const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const url = process.env.GUARDRAIL_URL;
const exemption = process.env.GUARDRAIL_EXEMPTION;

async function main() {
  const userDataDir = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'guardrail-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const out = {};
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15000);

    // Not signed in: the dashboard leads to the sign-in form.
    await page.goto(url + '/');
    out.redirectedTo = new URL(page.url()).pathname;
    await page.fill('#token', process.env.GUARDRAIL_TOKEN);
    await Promise.all([page.waitForURL(url + '/'), page.click('button[type=submit]')]);
    out.signedInAs = await page.getAttribute('[data-user]', 'data-user');
    out.role = await page.getAttribute('[data-role]', 'data-role');
    // The session cookie is out of the page's reach (HttpOnly).
    out.documentCookie = await page.evaluate(() => document.cookie);
    const cookies = await context.cookies();
    out.sessionCookie = cookies.filter((c) => c.name === 'guardrail_session')
      .map((c) => ({ httpOnly: c.httpOnly, sameSite: c.sameSite }))[0] || null;

    // Every chart: drawn (an SVG) and its numbers in its table.
    out.charts = {};
    for (const figure of await page.$$('figure[data-chart]')) {
      const id = await figure.getAttribute('data-chart');
      const svg = await figure.$('svg');
      const rows = await figure.$$eval('table[data-chart] tr[data-x]', (trs) =>
        trs.map((tr) => [tr.getAttribute('data-x'), Number(tr.getAttribute('data-value'))]));
      out.charts[id] = { svg: svg !== null, rows };
    }
    out.tiles = await page.$$eval('[data-metric]', (els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-metric'), e.getAttribute('data-value')])));
    if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });

    // The queue: approve the pending exemption with its button.
    await page.click('nav >> text=Exemptions');
    const button = `button[data-action=approve][data-exemption="${exemption}"]`;
    out.approveButton = (await page.$(button)) !== null;
    await Promise.all([page.waitForURL(/done=approve/), page.click(button)]);
    out.notice = (await page.textContent('[data-notice]')).trim();
    out.stateAfter = await page.getAttribute(`tr[data-exemption="${exemption}"]`, 'data-state');

    // Sign out: back to the form, and the pages are closed again.
    await Promise.all([page.waitForURL(url + '/login'), page.click('text=Sign out')]);
    await page.goto(url + '/exemptions');
    out.afterSignOut = new URL(page.url()).pathname;
  } finally {
    await context.close();
    require('fs').rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
