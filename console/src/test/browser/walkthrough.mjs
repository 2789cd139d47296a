// An operator's walk through the console in Debian's headless Chromium, for ConsoleBrowserIT.
// Reads its settings as JSON on stdin (passwords never go on a command line) and prints one JSON line per step;
// on a failure it saves a screenshot and exits 1. The Java test asserts on these lines and on the audit trail.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const settings = JSON.parse(readFileSync(0, 'utf8'));
const { baseUrl, approver, viewer, alertHost, screenshotDir } = settings;
const timeout = settings.timeoutMs ?? 60000;

function report(step, details = {}) {
  console.log(JSON.stringify({ step, ok: true, ...details }));
}

async function logIn(browser, user) {
  const context = await browser.newContext({ baseURL: baseUrl, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto('/login');
  await page.fill('#login input[name=username]', user.username);
  await page.fill('#login input[name=password]', user.password);
  await Promise.all([page.waitForNavigation(), page.click('#login button[type=submit]')]);
  const who = (await page.textContent('#whoami')) ?? '';
  if (!who.includes(user.username)) {
    throw new Error(`after logging in as ${user.username} the page says #whoami "${who}" (url ${page.url()})`);
  }
  return { context, page };
}

/** Reloads `path` until `selector` shows (the pipeline delivers alerts and approvals a little later). */
async function reloadUntil(page, path, selector) {
  const deadline = Date.now() + timeout;
  await page.goto(path);
  while ((await page.locator(selector).count()) === 0) {
    if (Date.now() > deadline) {
      throw new Error(`${path} showed no ${selector} within ${timeout} ms`);
    }
    await page.waitForTimeout(1000);
    await page.goto(path);
  }
  return page.locator(selector).first();
}

const browser = await chromium.launch({
  executablePath: settings.chromium ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
});
let current = null;
try {
  current = 'approver logs in';
  const approverSession = await logIn(browser, approver);
  const page = approverSession.page;
  report(current, { url: page.url() });

  current = 'approver sees the alert with its reason and sparkline';
  const alert = await reloadUntil(page, '/alerts', `[data-alert-id][data-host="${alertHost}"]`);
  const reason = ((await alert.locator('.reason').first().textContent()) ?? '').trim();
  const sparklines = await alert.locator('svg.sparkline').count();
  report(current, { alertId: await alert.getAttribute('data-alert-id'), reason, sparklines });

  current = 'approver sees the pending approval';
  const pending = await reloadUntil(page, '/approvals', 'form.approval[data-decision-id]');
  const decisionId = await pending.getAttribute('data-decision-id');
  report(current, { decisionId });

  current = 'viewer cannot approve';
  const viewerSession = await logIn(browser, viewer);
  const readonly = await reloadUntil(viewerSession.page, '/approvals', `.approval.readonly[data-decision-id="${decisionId}"]`);
  const viewerButtons = await viewerSession.page.locator('button[name=decision]').count();
  const viewerCsrf = await viewerSession.page.locator('#logout input[name=csrf]').first().inputValue();
  const forced = await viewerSession.context.request.post(`/approvals/${decisionId}`, {
    form: { decision: 'approve', comment: 'a viewer tries', csrf: viewerCsrf },
    maxRedirects: 0,
  });
  report(current, { readonly: (await readonly.count()) === 1, viewerButtons, forcedStatus: forced.status() });
  await viewerSession.context.close();

  current = 'approver approves with a comment';
  const form = page.locator(`form.approval[data-decision-id="${decisionId}"]`);
  await form.locator('textarea[name=comment]').fill('approved in the browser test');
  await Promise.all([page.waitForNavigation(), form.locator('button[name=decision][value=approve]').click()]);
  const flash = ((await page.locator('.flash').first().textContent()) ?? '').trim();
  report(current, { decisionId, flash, url: page.url() });

  current = 'the audit trail shows the approval and the action';
  const executedKinds = settings.executedKinds ?? ['EXECUTED', 'DRY_RUN'];
  const executedSelector = executedKinds.map(kind => `tr[data-kind="${kind}"]`).join(', ');
  await reloadUntil(page, '/audit', executedSelector);
  const approvedActors = await page.locator('tr[data-kind="APPROVED"] td.actor').allTextContents();
  const executedRows = await page.locator(executedSelector).count();
  const verification = ((await page.textContent('#verification')) ?? '').trim();
  report(current, { approvedActors: approvedActors.map(a => a.trim()), executedRows, verification });

  current = 'logging out ends the session';
  const cookies = await approverSession.context.cookies();
  const session = cookies.find(cookie => cookie.name === 'vigil_session');
  await Promise.all([page.waitForNavigation(), page.click('#logout button[type=submit]')]);
  await page.goto('/alerts');
  const afterLogout = page.url();
  // The old cookie, replayed by a client that kept it, must be refused too: the session ended on the server.
  const replay = await browser.newContext({ baseURL: baseUrl, ignoreHTTPSErrors: true });
  if (session) {
    await replay.addCookies([{ ...session }]);
  }
  const replayed = await replay.request.get('/alerts', { maxRedirects: 0 });
  report(current, { afterLogout, hadSessionCookie: Boolean(session), replayedStatus: replayed.status(),
    replayedLocation: replayed.headers()['location'] ?? '' });
  await replay.close();
  await approverSession.context.close();
} catch (error) {
  const pages = [];
  for (const [contextIndex, context] of browser.contexts().entries()) {
    for (const [index, page] of context.pages().entries()) {
      await page.screenshot({ path: `${screenshotDir}/failure-${contextIndex}-${index}.png`, fullPage: true }).catch(() => {});
      pages.push({ url: page.url(), html: (await page.content().catch(() => '')).slice(0, 2000) });
    }
  }
  console.log(JSON.stringify({ step: current, ok: false, error: String(error?.message ?? error), pages }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
