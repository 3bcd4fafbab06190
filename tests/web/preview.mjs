// `koe preview` in a real headless Chromium (docs/ARCHITECTURE.md §3.6): a
// questionnaire file served with no roster, no database and no token, on
// the same page code as `koe serve`. The banner is visible on a phone and a
// desktop; every question type is answered on both pages, in both
// languages; sending shows "not saved", makes no request that could store
// anything and leaves nothing in the browser; a reload shows an edit of the
// file; a broken file shows koe check's lines on the page, escaped, and a
// fixed one the form again; axe finds nothing serious; a non-loopback
// address is refused. A second preview, of tests/data/qn-good/branching.txt,
// checks display conditions ([[ShowIf]], a block and a nested condition
// inside it): answers show and hide the block's page and the battery as on
// `koe serve`, and "not saved" lists only the answers to questions shown.
// Screenshots go to KOE_SCREENSHOTS for people to look at.
//
// Environment: KOE_BIN, KOE_SRC (see lib/koe.mjs), KOE_SCREENSHOTS.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { BIN, freePort, SRC, Tally, checkAxe } from './lib/koe.mjs';

const T = new Tally();
const SHOTS = resolve(process.env.KOE_SCREENSHOTS || join(SRC, 'build', 'screenshots'));
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
mkdirSync(SHOTS, { recursive: true });

const dir = mkdtempSync(join(tmpdir(), 'koe-preview-'));
const file = join(dir, 'every-type.txt');
copyFileSync(join(SRC, 'tests', 'web', 'data', 'every-type.txt'), file);
const original = readFileSync(file, 'utf8');
let base = '';
let browser = null;
const previews = [];

// A `koe preview` of path on a free loopback port, once it answers:
// {proc, base, out} (out: what it printed).
async function launch(path) {
  const port = await freePort();
  const p = { base: `http://127.0.0.1:${port}`, out: '' };
  p.proc = spawn(BIN, ['preview', path, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.proc.stdout.on('data', (d) => (p.out += d));
  p.proc.stderr.on('data', (d) => (p.out += d));
  previews.push(p);
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${p.base}/`)).status === 200) return p;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`koe preview did not answer: ${p.out}`);
}

async function open(viewport) {
  const ctx = await browser.newContext({ viewport, locale: 'ja-JP', deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  return { ctx, page, problems, requests };
}

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const text = async (page, sel) => ((await page.textContent(sel)) || '').trim();

// The banner is on screen (not only in the DOM) and says both things.
async function bannerShown(page, label) {
  const b = await page.locator('#preview-banner').boundingBox();
  const vp = page.viewportSize();
  T.ok(`${label}: banner visible at the top`, b && b.y >= 0 && b.y < 10 && b.width >= vp.width - 1, b);
  const t = await text(page, '#preview-banner');
  T.ok(`${label}: banner says preview and not saved, in both languages`, t.includes('プレビュー') && t.includes('保存されません') && t.includes('Preview') && t.includes('not saved'), t);
  T.eq(`${label}: banner is a named region`, await page.getAttribute('#preview-banner', 'role'), 'region');
}

// Answers every question of the current page in a plain way.
async function answerPage(page) {
  await page.evaluate(() => {
    for (const q of document.querySelectorAll('.q')) {
      const sel = q.querySelector('select');
      if (sel) {
        sel.selectedIndex = 1;
        sel.dispatchEvent(new Event('change'));
      }
      for (const row of q.querySelectorAll('.mx-row')) row.querySelector('input').click();
      if (!q.querySelector('.mx-row')) {
        const first = q.querySelector('input[type=radio], input[type=checkbox]');
        if (first && !first.checked) first.click();
      }
      for (const t of q.querySelectorAll('textarea, input[type=text]')) {
        t.value = 'プレビューの回答';
        t.dispatchEvent(new Event('input'));
      }
    }
  });
}

async function formFlow(viewport, label) {
  const s = await open(viewport);
  const { page } = s;
  await page.goto(`${base}/`);
  await page.waitForSelector('#start');
  await bannerShown(page, `${label}, start screen`);
  await shot(page, `${label}-ja-preview-00-start`);
  await checkAxe(T, page, `${label}, start screen`);
  await page.click('#start');
  await page.waitForSelector('form.survey');
  await bannerShown(page, label);
  T.eq(`${label}: the title of the file`, await text(page, 'h1'), '画面テスト用アンケート');
  T.ok(`${label}: the questions of the file, formatted`, (await text(page, '#q-about .q-text b')) === 'すべての質問形式');
  await shot(page, `${label}-ja-preview-01`);
  await checkAxe(T, page, `${label}, page 1`);
  await page.mouse.wheel(0, 2000);
  await page.waitForTimeout(200);
  T.ok(`${label}: banner stays in view when scrolled`, (await page.locator('#preview-banner').boundingBox()).y < 10);

  // Required questions are checked as for employees.
  await page.click('#next');
  T.ok(`${label}: required questions enforced`, await page.isVisible('#q-office_days .q-err'));
  await answerPage(page);
  await page.click('#next');
  await page.waitForSelector('#q-week');
  await answerPage(page);
  await shot(page, `${label}-ja-preview-02`);
  await checkAxe(T, page, `${label}, page 2`);

  // English, as employees get it.
  await page.click('.lang-toggle');
  T.eq(`${label}: English title`, await text(page, 'h1'), 'Page test survey');
  T.eq(`${label}: English question`, await text(page, '#q-week .q-text'), 'About the past week, how much do you agree with these statements?');
  await shot(page, `${label}-en-preview-02`);

  await page.click('#submit');
  await page.waitForSelector('#preview-done');
  T.eq(`${label}: sending says not saved`, await text(page, '#preview-done h2'), 'Preview: answers not saved');
  T.ok(`${label}: what would be sent, by answer key`, (await text(page, '.preview-sent')).includes('week.1'));
  T.eq(`${label}: focus on the message`, await page.evaluate(() => document.activeElement.textContent), 'Preview: answers not saved');
  await shot(page, `${label}-en-preview-sent`);
  await checkAxe(T, page, `${label}, not saved`);
  const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
  T.eq(`${label}: nothing kept in the browser`, stored, [0, 0, '']);
  T.eq(`${label}: no request but GET, all to the preview`, s.requests.filter((r) => !r.startsWith(`GET ${base}/`)), []);
  T.eq(`${label}: no request to an endpoint that takes answers or tokens`, s.requests.filter((r) => /responses|issue/.test(r)), []);
  await page.click('#preview-again');
  await page.waitForSelector('form.survey');
  T.eq(`${label}: start again: nothing was ever sent`, s.requests.filter((r) => !r.startsWith(`GET ${base}/`)), []);
  T.eq(`${label}: start again: back on page 1, answers gone`, [await text(page, '.progress-text'), await page.isChecked('[name="a:office_days"] >> nth=0')], ['1 / 2', false]);
  T.eq(`${label}: no script errors or CSP violations`, s.problems, []);
  await s.ctx.close();
}

async function reloadAndErrors() {
  const s = await open(PHONE);
  const { page } = s;
  await page.goto(`${base}/`);
  await page.click('#start');
  await page.waitForSelector('form.survey');

  // HR edits, saves, reloads.
  writeFileSync(file, original.replace('週に何日、出社していますか。', '編集しました：週に何日、出社していますか。'));
  await page.reload();
  await page.click('#start');
  await page.waitForSelector('form.survey');
  T.eq('reload shows the edit', await text(page, '#q-office_days .q-text'), '編集しました：週に何日、出社していますか。');

  // A broken file: koe check's lines on the page, escaped.
  const broken = original
    .replace('[[Question:MC:SingleAnswer:DropDown]]', '[[Question:MC:SingelAnswer:DropDown]]')
    .replace('[[Block:働き方]]', '[[Block:働き方]]\n[[<img src=x onerror="document.title=1">]]');
  writeFileSync(file, broken);
  const check = spawnSync(BIN, ['check', file], { encoding: 'utf8' });
  await page.reload();
  await page.waitForSelector('#preview-check');
  const shown = await page.textContent('#preview-check pre');
  T.eq('broken file: the page shows what koe check prints', shown, check.stderr);
  T.ok('broken file: errors as FILE:LINE:COL: error:', new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: `, 'm').test(shown), shown);
  T.eq('broken file: its markup is text, not elements', await page.locator('#preview-check img, img').count(), 0);
  T.ok('broken file: nothing of it ran', (await page.title()) !== '1');
  T.eq('broken file: no form', await page.locator('form.survey').count(), 0);
  await bannerShown(page, 'broken file');
  await shot(page, 'phone-preview-errors');
  await checkAxe(T, page, 'broken file');

  writeFileSync(file, original);
  await page.reload();
  await page.click('#start');
  await page.waitForSelector('form.survey');
  T.eq('fixed file: the form again', await page.locator('#preview-check').count(), 0);
  T.eq('reload and errors: no script errors or CSP violations', s.problems, []);
  await s.ctx.close();
}

async function serverSide() {
  const post = await fetch(`${base}/api/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  T.eq('POST is not allowed anywhere in a preview', post.status, 405);
  const issue = await fetch(`${base}/api/v1/issue`);
  T.eq('no issuance endpoint', issue.status, 404);
  const m = await (await fetch(`${base}/api/v1/surveys/web-every-type`)).json();
  T.eq('manifest: the file\'s questions, one preview group, no key', [m.questions.length, m.segments.map((x) => x.code), /^-+$/.test(m.key_id)], [8, ["preview"], true]);

  const far = spawnSync(BIN, ['preview', file, '--listen', '0.0.0.0:0'], { encoding: 'utf8', timeout: 10000 });
  T.eq('a non-loopback address is refused (exit 2)', far.status, 2);
  T.ok('… with a clear message', /0\.0\.0\.0 is not a loopback address.*--allow-remote/s.test(far.stderr), far.stderr);
  const v6 = spawnSync(BIN, ['preview', file, '--listen', '[::]:0'], { encoding: 'utf8', timeout: 10000 });
  T.eq('the IPv6 any address is refused too', v6.status, 2);
}

// ---- display conditions --------------------------------------------------

const BRANCHING = join(SRC, 'tests', 'data', 'qn-good', 'branching.txt');
const byId = (id) => `[id="${id}"]`;
// The questions the page shows (rendered and not hidden), by id.
const visible = (page) =>
  page.evaluate(() => [...document.querySelectorAll('[id^="q-"]')].filter((e) => e.offsetParent !== null && /^q-[^-]+$/.test(e.id)).map((e) => e.id.slice(2)));
// What "not saved" lists as the answers that would have been sent.
const listed = (page) =>
  page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.preview-sent dt')].map((dt) => [dt.textContent, JSON.parse(dt.nextElementSibling.textContent)])));

// branching.txt: the block 退職の経験 is shown when saw = 1; inside it the
// battery `handled` when how = 2 or (how = 1 and enps = 0..6).
async function conditions() {
  const pv = await launch(BRANCHING);
  const s = await open(DESKTOP);
  const { page } = s;
  await page.goto(`${pv.base}/`);
  await page.click('#start');
  await page.waitForSelector('form.survey');
  T.eq('conditions: before any answer, page 1 shows saw and enps of two pages', [await visible(page), await text(page, '.progress-text')], [['saw', 'enps'], '1 / 2']);

  // Yes, and a detractor: the block's page comes, and "from them" shows
  // the battery through the nested "and".
  await page.check(byId('i-saw-1'));
  T.eq('conditions: "yes" adds the block\'s page to the count', await text(page, '.progress-text'), '1 / 3');
  await page.check(byId('i-enps-3'));
  await page.click('#next');
  T.eq('conditions: page 2 is the conditioned block, battery hidden', [await text(page, '#page-heading'), await visible(page)], ['退職の経験', ['how']]);
  await page.check(byId('i-how-1'));
  T.eq('conditions: "from them" and a detractor shows the battery', await visible(page), ['how', 'handled']);
  await page.click('#next');
  T.ok('conditions: the shown battery is required', await page.isVisible('#q-handled .q-err'));
  await page.check(byId('i-handled.1-2'));
  await shot(page, 'desktop-ja-preview-branching-battery');
  await page.click('#next');
  T.eq('conditions: progress 3 / 3', await text(page, '.progress-text'), '3 / 3');
  await page.fill(byId('i-comments'), 'なし');
  await page.click('#submit');
  await page.waitForSelector('#preview-done');
  T.eq('conditions: "not saved" lists the block\'s answers when it was shown', await listed(page), { saw: 1, enps: 3, how: [1], 'handled.1': 2, comments: 'なし' });

  // Again as a promoter: "from them" keeps the battery hidden, "from a
  // manager" shows it, taking that back hides it with its answer; then
  // "no" takes the whole block away.
  await page.click('#preview-again');
  await page.waitForSelector('form.survey');
  await page.check(byId('i-saw-1'));
  await page.check(byId('i-enps-9'));
  await page.click('#next');
  await page.check(byId('i-how-1'));
  T.eq('conditions: "from them" and a promoter: the battery stays hidden', await visible(page), ['how']);
  await page.check(byId('i-how-2'));
  T.eq('conditions: "from a manager" shows it in place', await visible(page), ['how', 'handled']);
  await page.check(byId('i-handled.1-3'));
  await page.uncheck(byId('i-how-2'));
  T.eq('conditions: taking "from a manager" back hides it again', await visible(page), ['how']);
  await page.click('#back');
  await page.check(byId('i-saw-2'));
  T.eq('conditions: "no" takes the block out of the count', await text(page, '.progress-text'), '1 / 2');
  await page.click('#next');
  T.eq('conditions: the block\'s page is skipped', [await visible(page), await text(page, '.progress-text')], [['comments'], '2 / 2']);
  await page.click('#submit');
  await page.waitForSelector('#preview-done');
  T.eq('conditions: "not saved" lists only answers to questions shown', await listed(page), { saw: 2, enps: 9 });
  await shot(page, 'desktop-ja-preview-branching-sent');
  await checkAxe(T, page, 'conditions, not saved');
  T.eq('conditions: no request but GET, all to the preview', s.requests.filter((r) => !r.startsWith(`GET ${pv.base}/`)), []);
  T.eq('conditions: no script errors or CSP violations', s.problems, []);
  await s.ctx.close();
}

await T.scenario('setup', async () => {
  base = (await launch(file)).base;
  browser = await chromium.launch({
    executablePath: process.env.KOE_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
if (browser) {
  await T.scenario('phone: every type, both languages, not saved', () => formFlow(PHONE, 'phone'));
  await T.scenario('desktop: every type, both languages, not saved', () => formFlow(DESKTOP, 'desktop'));
  await T.scenario('an edit seen on reload, errors on the page', reloadAndErrors);
  await T.scenario('what the preview server refuses', serverSide);
  await T.scenario('display conditions: shown, hidden, and only shown answers listed', conditions);
  await browser.close();
}
for (const p of previews) {
  p.proc.kill('SIGTERM');
  const code = await new Promise((r) => (p.proc.exitCode !== null ? r(p.proc.exitCode) : p.proc.on('exit', (c) => r(c))));
  T.eq(`koe preview exits 0 on SIGTERM (${p.base})`, code, 0);
}
if (T.failed) for (const p of previews) console.log(`--- koe preview output (${p.base}) ---\n${p.out}`);
console.log(`screenshots: ${SHOTS}`);
rmSync(dir, { recursive: true, force: true });
T.finish();
