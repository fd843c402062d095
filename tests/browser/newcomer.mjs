// A newcomer's first hour in a real headless Chromium: `secondments demo`
// as the README says, then every demo account signs in and opens what it
// lands on and its first secondment; each page is screenshot into
// target/browser-artefacts/newcomer-*.png and checked with axe-core.
//
//   node tests/browser/newcomer.mjs [path/to/secondments]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ARTEFACTS, CHROMIUM, ROOT, check, failures, look, serve } from './support.mjs';

const BINARY = path.resolve(process.argv[2] ?? path.join(ROOT, 'target/debug/secondments'));

/** The `email role password` rows that `demo` prints once. */
function logins(stdout) {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('email') && l.trimEnd().endsWith('password'));
  const rows = [];
  for (const line of lines.slice(header + 1)) {
    const [email, role, password] = line.trim().split(/\s+/);
    if (!email || !email.includes('@') || !password) break;
    rows.push({ email, role, password });
  }
  return rows;
}

async function main() {
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'secondments-newcomer-'));
  const dbUrl = `sqlite://${work}/demo.db`;
  const demo = spawnSync(BINARY, ['demo'], {
    env: { ...process.env, SECONDMENTS_ENV: 'development', SECONDMENTS__DATABASE__URL: dbUrl },
    encoding: 'utf8',
  });
  check(demo.status === 0, `secondments demo loads the story ${demo.status === 0 ? '' : demo.stderr}`);
  const accounts = logins(demo.stdout);
  check(new Set(accounts.map((a) => a.role)).size === 4, 'demo prints a login for each of the four roles');
  const { server, base } = await serve(BINARY, dbUrl, {}, 'newcomer-server.log');
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const seen = new Map();
    for (const { email, role, password } of accounts) {
      const n = (seen.get(role) ?? 0) + 1;
      seen.set(role, n);
      const phone = role === 'cadre';
      const context = await browser.newContext({
        viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
        locale: 'vi-VN',
      });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.fill('#email', email);
      await page.fill('#password', password);
      await Promise.all([page.waitForLoadState('load'), page.click('main button[type=submit]')]);
      const landing = new URL(page.url()).pathname;
      check(landing !== '/login', `${role} ${n} signs in and lands on ${landing}`);
      await look(page, `newcomer-${role}-${n}`);
      const first = page.locator('main a[href^="/secondments/0"]').first();
      if ((await first.count()) === 1) {
        await Promise.all([page.waitForLoadState('load'), first.click()]);
        const opened = new URL(page.url()).pathname.startsWith('/secondments/0');
        check(opened && (await page.locator('main h1').count()) === 1, `${role} ${n} opens a secondment`);
        await look(page, `newcomer-${role}-${n}-secondment`);
      }
      await context.close();
    }

    // The Thái Nguyên story reads with its own dates, not the day it was loaded.
    const hr = accounts.find((a) => a.role === 'hr_officer');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', hr.email);
    await page.fill('#password', hr.password);
    await Promise.all([page.waitForLoadState('load'), page.click('main button[type=submit]')]);
    await page.goto(`${base}/secondments?q=hieu`);
    await Promise.all([page.waitForLoadState('load'), page.locator('main a[href^="/secondments/0"]').first().click()]);
    const story = await page.locator('main').innerText();
    check(/đã phê duyệt \(đơn vị tiếp nhận\) ngày 13\/03\/2021/.test(story), 'the 2021 approval is dated 13/03/2021 in the history');
    check((story.match(/đã lập các mốc mặc định/g) ?? []).length === 1 && !story.includes('đã thêm mốc'), 'the default milestones are told once, as the system\'s');
    await look(page, 'newcomer-history');
    const missing = await page.goto(`${base}/secondmentz`);
    check(missing.status() === 404 && (await page.locator('main').count()) === 1, 'a mistyped address shows the console\'s page, not JSON');
    await context.close();
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
  }
  if (failures.length > 0) {
    console.log(`\n${failures.length} newcomer check(s) failed`);
    process.exit(1);
  }
  console.log(`\nall newcomer checks passed; screenshots in ${ARTEFACTS}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
