// The console in a real headless Chromium (Debian's, driven by
// playwright-core): the Thái Nguyên story clicked through by the three
// roles, a 37-month proposal refused at its field, a cadre kept out of
// another cadre's secondment (404), a form without its CSRF token (403),
// axe-core on every main page (no serious or critical violation), and a
// screenshot of each main page in target/browser-artefacts/.
//
//   node tests/browser/run.mjs [path/to/secondments]
//
// Starts its own `secondments serve` on a free port with a fresh SQLite
// database; the set-up (units, officials, accounts) goes through the JSON
// API as an administrator would, everything the story's people do goes
// through the console's pages.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ARTEFACTS, CHROMIUM, ROOT, check, failures, look, serve } from './support.mjs';

const BINARY = path.resolve(process.argv[2] ?? path.join(ROOT, 'target/debug/secondments'));
const ADMIN_EMAIL = 'admin@browser.test';
const PASSWORD = 'a sufficiently long password 2026';
// The first administrator starts with this one and replaces it with
// PASSWORD on the console's forced-change page (decision 0039).
const FIRST_ADMIN_PASSWORD = 'the first administrator start password';

const day = (d) => d.toISOString().slice(0, 10);
const vi = (iso) => iso.split('-').reverse().join('/');
function addMonths(iso, months, days = 0) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() + days);
  return day(d);
}

async function startService() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'secondments-browser-'));
  const dbUrl = `sqlite://${work}/service.db`;
  const { server, base } = await serve(BINARY, dbUrl, {
    SECONDMENTS__SCHEDULER__ALLOW_DATE_OVERRIDE: 'true',
    SECONDMENTS_ADMIN_EMAIL: ADMIN_EMAIL,
    SECONDMENTS_ADMIN_PASSWORD: FIRST_ADMIN_PASSWORD,
  });
  return { server, base, dbUrl };
}

/** 300 synthetic officials and secondments beside the story (`seed`). */
function seedBeside(dbUrl) {
  const run = spawnSync(BINARY, ['seed', '--officials', '300', '--secondments', '300'], {
    env: { ...process.env, SECONDMENTS_ENV: 'development', SECONDMENTS__DATABASE__URL: dbUrl },
    encoding: 'utf8',
  });
  check(run.status === 0, `seed writes 300 officials and 300 secondments beside the story ${run.status === 0 ? '' : run.stderr}`);
}

function apiClient(base) {
  return async function api(method, url, body, token, expect = [200, 201]) {
    const res = await fetch(base + url, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** Units, officials and accounts of the story, as an administrator sets them up. */
async function setUp(api) {
  const admin = (await api('POST', '/api/v1/auth/login', { email: ADMIN_EMAIL, password: PASSWORD })).access_token;
  const unit = (code, name, kind, parent) =>
    api('POST', '/api/v1/org-units', { code, name, kind, parent_id: parent ?? null, valid_from: '2000-01-01' }, admin);
  const ministry = await unit('BTTTT', 'Bộ Thông tin và Truyền thông', 'ministry');
  const home = await unit('BTTTT-CDS', 'Cục Chuyển đổi số quốc gia', 'ministry_department', ministry.id);
  // The reference provinces are loaded by `seed`: Thái Nguyên is P19 there.
  const provinces = await api('GET', `/api/v1/org-units?kind=province&q=${encodeURIComponent('Thái Nguyên')}`, undefined, admin);
  const province = provinces.items.find((u) => u.code === 'P19') ?? (await unit('P19', 'Tỉnh Thái Nguyên', 'province'));
  const host = await unit('P19-STTTT', 'Sở Thông tin và Truyền thông Thái Nguyên', 'provincial_department', province.id);
  const official = (code, name) =>
    api('POST', '/api/v1/officials', { staff_code: code, full_name: name, email: `${code.toLowerCase()}@example.gov.vn`, home_unit_id: home.id }, admin);
  const hieu = await official('MIC-0001', 'Phạm Quang Hiếu');
  const mai = await official('MIC-0002', 'Lê Thị Mai');
  const user = async (email, full_name, role, org_unit_id, official_id) => {
    await api('POST', '/api/v1/users', { email, password: PASSWORD, full_name, role, org_unit_id, official_id }, admin);
    return email;
  };
  return {
    admin,
    host,
    hieu,
    hr: await user('lan.nt@example.gov.vn', 'Nguyễn Thị Lan', 'hr_officer', ministry.id, null),
    homeDirector: await user('minh.tv@example.gov.vn', 'Trần Văn Minh', 'director', home.id, null),
    hostDirector: await user('hung.dq@example.gov.vn', 'Đỗ Quốc Hùng', 'director', host.id, null),
    cadre: await user('hieu.pq@example.gov.vn', 'Phạm Quang Hiếu', 'cadre', home.id, hieu.id),
    otherCadre: await user('mai.lt@example.gov.vn', 'Lê Thị Mai', 'cadre', home.id, mai.id),
  };
}

async function main() {
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  const { server, base, dbUrl } = await startService();
  let browser;
  try {
    const api = apiClient(base);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });

    async function signIn(email, viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport, locale: 'vi-VN' });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.fill('#email', email);
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForLoadState('load'), page.click('main button[type=submit]')]);
      return page;
    }
    console.log('The first administrator replaces the printed password');
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
      const admin = await context.newPage();
      await admin.goto(`${base}/login`);
      await admin.fill('#email', ADMIN_EMAIL);
      await admin.fill('#password', FIRST_ADMIN_PASSWORD);
      await Promise.all([admin.waitForLoadState('load'), admin.click('main button[type=submit]')]);
      check(new URL(admin.url()).pathname === '/account/password', 'the first sign-in opens the forced password change');
      await admin.goto(`${base}/admin/users`);
      check(new URL(admin.url()).pathname === '/account/password', 'no other page opens before the change');
      await look(admin, 'forced-password-change');
      await admin.fill('#f-current_password', FIRST_ADMIN_PASSWORD);
      await admin.fill('#f-new_password', PASSWORD);
      await admin.fill('#f-new_password_repeat', 'not the same password');
      await Promise.all([admin.waitForLoadState('load'), admin.click('main button[type=submit]')]);
      check((await admin.locator('#new_password_repeat-error').count()) === 1, 'a repetition that differs is refused next to its field');
      check((await admin.inputValue('#f-new_password')) === '', 'typed passwords are not written back into the page');
      await admin.fill('#f-current_password', FIRST_ADMIN_PASSWORD);
      await admin.fill('#f-new_password', PASSWORD);
      await admin.fill('#f-new_password_repeat', PASSWORD);
      await Promise.all([admin.waitForLoadState('load'), admin.click('main button[type=submit]')]);
      check(new URL(admin.url()).pathname === '/secondments', 'after the change the administrator reaches the console');
      await context.close();
    }
    seedBeside(dbUrl);
    const w = await setUp(api);

    // Today as the service counts it: the date in Vietnam (UTC+7), which
    // after 17:00 UTC is already tomorrow's.
    const start = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const end = addMonths(start, 12, -1);

    console.log('HR proposes');
    const hr = await signIn(w.hr);
    check(new URL(hr.url()).pathname === '/secondments', 'HR lands on the secondments list');
    await look(hr, 'login-then-list');
    await hr.goto(`${base}/secondments/new`);
    await hr.fill('#official_q', 'pham quang hieu');
    // Beside 300 seeded postings there are hundreds of units: narrowed too.
    await hr.fill('#unit_q', 'thai nguyen');
    await hr.click('form[role=search] button');
    check((await hr.locator('#f-official_id option').count()) === 2, 'the proposal form narrows the officials by a search without diacritics');
    await hr.selectOption('#f-official_id', w.hieu.id);
    await hr.selectOption('#f-host_unit_id', w.host.id);
    await hr.selectOption('#f-ground', 'fixed_term_task');
    await hr.fill('#f-position_title', 'Phó Giám đốc Sở (biệt phái)');
    await hr.fill('#f-mandate', 'Đầu mối triển khai chuyển đổi số của tỉnh');
    await hr.fill('#f-start_date', start);
    await hr.fill('#f-end_date', addMonths(start, 37));
    await hr.fill('#f-agreement_ref', 'TT-01/2026/BTTTT-UBND');
    await hr.fill('#f-consultation-held_on', start);
    await hr.click('form[action="/secondments"] button[type=submit]');
    const endError = hr.locator('#end_date-error');
    check((await endError.count()) === 1 && /36/.test(await endError.innerText()), 'a 37-month proposal is refused next to the end date');
    check((await hr.getAttribute('#f-end_date', 'aria-invalid')) === 'true', 'the end date is marked invalid for assistive technology');
    check((await hr.inputValue('#f-position_title')) === 'Phó Giám đốc Sở (biệt phái)', 'the other fields keep what was typed');
    await look(hr, 'new-proposal-refused');
    await hr.fill('#f-end_date', end);
    await hr.click('form[action="/secondments"] button[type=submit]');
    const match = /\/secondments\/([0-9a-f-]{36})$/.exec(hr.url());
    check(match !== null, 'the proposal is created and its page opens');
    const id = match[1];
    await hr.click('text=Trình phê duyệt');
    check((await hr.locator('h1 .badge').innerText()).includes('Chờ phê duyệt'), 'submitted: the badge says pending approval');
    await look(hr, 'secondment-pending');

    console.log('Both directors approve');
    const home = await signIn(w.homeDirector);
    check(new URL(home.url()).pathname === '/approvals', 'a director lands on the pending approvals');
    const homeCard = home.locator('article', { hasText: 'Phạm Quang Hiếu' });
    check(/12\s*trên tối đa 36/.test(await homeCard.innerText()), 'the months used of the 36-month cap are shown');
    await homeCard.locator('textarea[name=comment]').fill('Đồng ý cử đi');
    await homeCard.locator('input[value=approve]').check();
    await homeCard.locator('button[type=submit]').click();
    const host = await signIn(w.hostDirector);
    const hostCard = host.locator('article', { hasText: 'Phạm Quang Hiếu' });
    check((await hostCard.count()) === 1, 'the host director sees the proposal waiting');
    check((await hostCard.innerText()).includes('Trần Văn Minh') && (await hostCard.innerText()).includes('Đồng ý cử đi'), "the host director sees the home side's decision and comment");
    await look(host, 'pending-approvals');
    await hostCard.locator('input[name=decision_ref]').fill('125/QĐ-UBND');
    await hostCard.locator('input[value=approve]').check();
    await hostCard.locator('button[type=submit]').click();
    await host.goto(`${base}/secondments/${id}`);
    check((await host.locator('h1 .badge').innerText()).includes('Đã phê duyệt'), 'approved by both sides');
    await api('POST', '/api/v1/admin/tick', {}, w.admin);

    console.log('The cadre logs outcomes and asks for more time');
    const cadre = await signIn(w.cadre, { width: 390, height: 844 });
    check(new URL(cadre.url()).pathname === `/secondments/${id}`, 'a cadre with one secondment lands on it');
    check((await cadre.locator('h1 .badge').innerText()).includes('Đang biệt phái'), 'the secondment is active');
    check((await cadre.locator('main').innerText()).includes('Số ngày còn lại'), 'days remaining are shown');
    await cadre.fill('#f-outcome-title', 'Đưa 85% thủ tục lên dịch vụ công trực tuyến');
    await cadre.selectOption('#f-pillar', 'digital_government');
    await cadre.fill('#f-occurred_on', start);
    await cadre.fill('#f-metrics-0-name', 'Dịch vụ công trực tuyến toàn trình');
    await cadre.fill('#f-metrics-0-value', '85');
    await cadre.fill('#f-metrics-0-unit', '%');
    await cadre.click('form[action$="/outcomes"] button[type=submit]');
    check((await cadre.locator('#h-outcomes + ul').innerText()).includes('toàn trình: 85 %'), 'the outcome and its metric are listed');
    await cadre.click('a[href$="/edit"][href*="/outcomes/"]');
    await cadre.fill('#f-metric-0-value', '87,5');
    await cadre.click('main form button[type=submit]');
    check((await cadre.locator('#h-outcomes + ul').innerText()).includes('toàn trình: 87,5 %'), 'the cadre edits the outcome, a decimal comma read as Vietnamese writes it');
    const newEnd = addMonths(end, 6);
    await cadre.fill('#f-requested_end_date', newEnd);
    await cadre.fill('#f-extension-reason', 'Hoàn thành giai đoạn 2 của đề án');
    await cadre.click('form[action$="/extensions"] button[type=submit]');
    check((await cadre.locator('main').innerText()).includes('Đề nghị gia hạn đang chờ phê duyệt'), 'the extension request waits');
    await look(cadre, 'my-secondment-phone');
    const firstMilestone = cadre.locator('form[action*="/milestones/"][action$="/complete"] button').first();
    const milestoneCount = await cadre.locator('form[action$="/complete"]').count();
    await firstMilestone.click();
    check((await cadre.locator('form[action$="/complete"]').count()) === milestoneCount - 1, 'the cadre marks a milestone done');
    const forged = await cadre.request.post(`${base}/secondments/${id}/extensions`, {
      form: { requested_end_date: newEnd, reason: 'x' },
      maxRedirects: 0,
    });
    check(forged.status() === 403, 'a form without its CSRF token is refused with 403');

    console.log('The directors decide the extension; the host director acknowledges and evaluates');
    await host.goto(`${base}/secondments/${id}`);
    await host.click('form[action$="/acknowledge"] button');
    check((await host.locator('#h-outcomes + ul').innerText()).includes('Đã xác nhận'), 'the host director acknowledges the outcome');
    for (const page of [home, host]) {
      await page.goto(`${base}/approvals`);
      const card = page.locator('article', { hasText: 'Phạm Quang Hiếu' });
      if ((await card.count()) === 1) {
        await card.locator('input[name=decision_ref]').fill('126/QĐ-UBND');
        await card.locator('input[value=approve]').check();
        await card.locator('button[type=submit]').click();
      }
    }
    const afterExtension = await api('GET', `/api/v1/secondments/${id}`, undefined, w.admin);
    check(afterExtension.end_date === newEnd, 'the approved extension moved the end date');
    await api('POST', '/api/v1/admin/tick', { date: addMonths(newEnd, 0, 1) }, w.admin);
    await host.goto(`${base}/secondments/${id}`);
    await host.selectOption('#f-rating', 'excellent');
    await host.fill('#f-comment', 'Hoàn thành xuất sắc nhiệm vụ');
    await host.click('form[action$="/evaluation"] button[type=submit]');
    const story = await host.locator('main').innerText();
    check(story.includes('Hoàn thành xuất sắc'), 'the evaluation is recorded');
    check(story.includes(`Đỗ Quốc Hùng đã phê duyệt (đơn vị tiếp nhận) ngày ${vi(start)}`), 'the history is told in words with dd/mm/yyyy days');
    await look(host, 'secondment-completed');
    await host.goto(`${base}/secondments/${id}?lang=en`);
    const english = await host.locator('main').innerText();
    check(english.includes('Approvals') && english.includes(start), 'English: words and YYYY-MM-DD days');

    console.log('HR records the return');
    await hr.goto(`${base}/secondments/${id}`);
    await hr.fill('#f-return_arrangement', 'Trở về Cục Chuyển đổi số quốc gia, Phó Cục trưởng');
    await hr.click('form[action$="/return"] button[type=submit]');
    check((await hr.inputValue('#f-return_arrangement')).includes('Phó Cục trưởng'), 'the return arrangement is recorded');

    console.log('Officials: search without diacritics, CSV import with line errors');
    await hr.goto(`${base}/officials`);
    await hr.fill('#q', 'pham quang hieu');
    await hr.click('form[role=search] button');
    check((await hr.locator('main table').innerText()).includes('Phạm Quang Hiếu'), 'a search without diacritics finds Phạm Quang Hiếu');
    await look(hr, 'officials');
    const csvPath = path.join(ARTEFACTS, 'officials-bad.csv');
    fs.writeFileSync(csvPath, 'staff_code,full_name,email,home_unit_code,position,rank,date_of_birth,language\nMIC-0100,Vũ Văn Nam,nam.vv@example.gov.vn,BTTTT-CDS,,,,vi\nMIC-0101,,not-an-email,NOPE,,,,vi\n');
    await hr.goto(`${base}/officials`);
    await hr.setInputFiles('#file', csvPath);
    await hr.click('form[action="/officials/import"] button');
    const report = await hr.locator('main').innerText();
    check(report.includes('Không có dòng nào được nhập') && /\b3\b/.test(await hr.locator('main table').innerText()), 'a bad CSV line is reported with its line number and nothing is imported');
    await look(hr, 'officials-import-errors');

    console.log('Another cadre');
    const other = await signIn(w.otherCadre);
    const res = await other.goto(`${base}/secondments/${id}`);
    check(res.status() === 404, "a cadre opening another cadre's secondment gets 404");

    console.log('Account: calendar feed and a delegation');
    await cadre.goto(`${base}/account`);
    await cadre.click('form[action="/account/calendar"] button');
    const feedUrl = await cadre.inputValue('#feed');
    const feed = await fetch(feedUrl);
    check(feed.status === 200 && (await feed.text()).includes('BEGIN:VCALENDAR'), 'the cadre gets a working calendar feed address');
    await home.goto(`${base}/account`);
    await home.selectOption('#f-delegate_user_id', { label: 'Đỗ Quốc Hùng' });
    await home.fill('#f-starts_on', start);
    await home.fill('#f-ends_on', addMonths(start, 0, 14));
    await home.click('form[action="/account/delegations"] button[type=submit]');
    check((await home.locator('#h-delegations + ul').innerText()).includes('Trần Văn Minh → Đỗ Quốc Hùng'), 'a director delegates decisions while on leave');
    await look(home, 'account-director');

    console.log('Reports');
    await hr.goto(`${base}/reports`);
    const chart = hr.locator('#chart-province');
    check((await chart.count()) === 1 && (await hr.locator('#chart-status rect').count()) === 8, 'the summary shows its charts drawn on the server');
    await look(hr, 'reports');

    console.log('The administrator');
    const admin = await signIn(ADMIN_EMAIL);
    for (const list of ['secondments', 'officials']) {
      await admin.goto(`${base}/${list}`);
      const next = admin.locator('a[rel=next]');
      check((await next.count()) === 1, `the ${list} list over the seeded data has a next page`);
      await Promise.all([admin.waitForLoadState('load'), next.click()]);
      const rows = await admin.locator('main table tbody tr').count();
      check(rows > 0 && admin.url().includes('cursor='), `the second page of the ${list} list opens (${rows} rows)`);
      await look(admin, `${list}-page-2`);
    }
    await admin.goto(`${base}/admin/users?q=hieu.pq`);
    check((await admin.locator('main').innerText()).includes('hieu.pq@example.gov.vn'), 'the users page lists the accounts');
    await look(admin, 'admin-users');
    await admin.goto(`${base}/admin/units`);
    check((await admin.locator('main').innerText()).includes('Sở Thông tin và Truyền thông Thái Nguyên'), 'the unit tree names the host department');
    await look(admin, 'admin-units');
    await admin.goto(`${base}/admin/units/merge`);
    await admin.selectOption('#f-source_ids', [w.host.id]);
    await admin.selectOption('#f-target_id', { index: 1 });
    await admin.fill('#f-effective_date', addMonths(start, 1));
    await admin.click('form[action="/admin/units/merge#preview"] button[type=submit]');
    check((await admin.locator('#preview').count()) === 1, 'a merge is previewed before it is done');
    await look(admin, 'admin-merge-preview');
    await admin.goto(`${base}/admin/holidays?year=2026`);
    await look(admin, 'admin-holidays');
    await admin.goto(`${base}/admin/outbox`);
    await look(admin, 'admin-outbox');

    console.log('Exports and sign-out');
    await hr.goto(`${base}/secondments`);
    await look(hr, 'secondments-list');
    const csv = await hr.request.get(`${base}/secondments/export.csv`);
    check(csv.status() === 200 && (await csv.text()).includes('Phạm Quang Hiếu'), 'the CSV export names the official');
    await hr.click('header button[type=submit]');
    const back = await hr.goto(`${base}/secondments`);
    check(new URL(back.url()).pathname === '/login', 'after signing out the console asks to sign in again');
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
  }
  if (failures.length > 0) {
    console.log(`\n${failures.length} browser check(s) failed`);
    process.exit(1);
  }
  console.log(`\nall browser checks passed; screenshots in ${ARTEFACTS}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
