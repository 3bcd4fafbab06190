// Display conditions ([[ShowIf]]) end to end in a real headless Chromium
// against a real `koe serve`, with tests/data/qn-good/branching.txt: a block
// shown only to people who saw a colleague leave (saw = 1), and inside it a
// battery shown only to those who heard it from a manager, or heard it from
// the person and would not recommend the company (nested conditions).
//
// Two employees answer along two paths in the browser:
//  A (desktop): yes, a promoter (enps 9); "from them" alone keeps the
//    battery hidden, "from a manager" reveals it in place; answers it.
//  B (phone): yes, then the block, then back to page 1 to change to no: the
//    block disappears, its answers are not sent, and the progress bar counts
//    two pages instead of three.
// What each path was shown is checked on the page; what was stored is
// checked in what the server opened: the report JSON after `koe close`
// (four more respondents answer over the API so that MinGroup 3 lets the
// figures show). axe-core runs on every screen with a condition.
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BIN, cleanup, closeSurvey, postJson, setup, SRC, stop, Tally, openPage, checkAxe } from './lib/koe.mjs';

const T = new Tally();
const SURVEY = 'branching';
const SHOTS = process.env.KOE_SCREENSHOTS || join(SRC, 'build', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const byId = (id) => `[id="${id}"]`;
const b64 = (b) => Buffer.from(b).toString('base64url');
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64url'));

let k = null;
let browser = null;

const text = async (page, sel) => ((await page.textContent(sel)) || '').trim();
// The questions the page shows (rendered and not hidden), by id.
const visible = (page) =>
  page.evaluate(() => [...document.querySelectorAll('[id^="q-"]')].filter((e) => e.offsetParent !== null && /^q-[^-]+$/.test(e.id)).map((e) => e.id.slice(2)));

async function begin(page, link) {
  await page.goto(k.base + link.path);
  await page.click('#start');
  await page.waitForSelector('form.survey');
}

async function npsKey(page, key, v) {
  await page.focus(byId(`i-${key}-0`));
  await page.keyboard.press('Space');
  for (let i = 0; i < v; i++) await page.keyboard.press('ArrowRight');
}

async function submitted(s) {
  await s.page.waitForSelector('#done');
  const last = s.posts[s.posts.length - 1];
  return last ? last.postDataJSON().answers : null;
}

// Path A: yes, promoter; "from them" keeps the battery hidden; "from a
// manager" shows it on the same page, with the focus kept.
async function pathA() {
  const s = await openPage(browser, DESKTOP, (u) => u.endsWith('/api/v1/responses'));
  const { page } = s;
  await begin(page, k.surveys[SURVEY].links[0]);
  T.eq('A: before any answer, two pages are counted', await text(page, '.progress-text'), '1 / 2');
  T.eq('A: page 1 shows saw and enps', await visible(page), ['saw', 'enps']);
  await page.check(byId('i-saw-1'));
  T.eq('A: "yes" adds the block\'s page to the count', await text(page, '.progress-text'), '1 / 3');
  T.eq('A: the focus stays on the answer given', await page.evaluate(() => document.activeElement.id), 'i-saw-1');
  await npsKey(page, 'enps', 9);
  await checkAxe(T, page, 'A page 1');
  await page.click('#next');
  T.eq('A: page 2 is the block', await text(page, '#page-heading'), '退職の経験');
  T.eq('A: progress 2 / 3', await text(page, '.progress-text'), '2 / 3');
  T.eq('A: the battery is hidden until an answer calls for it', await visible(page), ['how']);
  await page.check(byId('i-how-1'));
  T.eq('A: "from them" and a promoter: still hidden', await visible(page), ['how']);
  await page.check(byId('i-how-2'));
  T.eq('A: "from a manager" shows the battery in place', await visible(page), ['how', 'handled']);
  T.eq('A: screen readers are told a question appeared', await text(page, '#shown-live'), 'この回答により、質問が1問表示されました。');
  T.eq('A: the focus stays on the answer given', await page.evaluate(() => document.activeElement.id), 'i-how-2');
  await checkAxe(T, page, 'A page 2 with the battery shown');
  await shot(page, 'desktop-ja-branching-battery-shown');
  // The battery is required once shown.
  await page.click('#next');
  T.ok('A: the shown battery is required', await page.isVisible('#q-handled .q-err'));
  await page.check(byId('i-handled.1-3'));
  await page.click('#next');
  T.eq('A: progress 3 / 3', await text(page, '.progress-text'), '3 / 3');
  await page.click('#submit');
  const sent = await submitted(s);
  T.eq('A: the page sent every shown answer', sent, { saw: 1, enps: 9, how: [1, 2], 'handled.1': 3 });
  T.eq('A: no script errors', s.problems, []);
  await s.ctx.close();
}

// Path B (phone): yes, answers the block, goes back and says no: the block
// goes, its page is skipped and not counted, its answers are not sent.
async function pathB() {
  const s = await openPage(browser, PHONE, (u) => u.endsWith('/api/v1/responses'));
  const { page } = s;
  await begin(page, k.surveys[SURVEY].links[1]);
  await page.check(byId('i-saw-1'));
  await npsKey(page, 'enps', 3);
  await page.click('#next');
  await page.check(byId('i-how-1'));
  T.eq('B: "from them" and a detractor shows the battery', await visible(page), ['how', 'handled']);
  await page.check(byId('i-handled.1-2'));
  await checkAxe(T, page, 'B phone page 2');
  await shot(page, 'phone-ja-branching-block');
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  T.ok('B: the phone page does not scroll sideways', sw <= 390, `scrollWidth ${sw}`);
  await page.click('#back');
  await page.check(byId('i-saw-2'));
  T.eq('B: "no" takes the block out of the count', await text(page, '.progress-text'), '1 / 2');
  await page.click('#next');
  T.eq('B: the block\'s page is skipped', await visible(page), ['comments']);
  T.eq('B: progress 2 / 2', await text(page, '.progress-text'), '2 / 2');
  await page.fill(byId('i-comments'), '特にありません。');
  await checkAxe(T, page, 'B phone last page');
  await page.click('#back');
  T.eq('B: back skips the hidden page too', await visible(page), ['saw', 'enps']);
  await page.click('#next');
  await page.click('#submit');
  const sent = await submitted(s);
  T.eq('B: answers of the hidden block are not sent', sent, { saw: 2, enps: 3, comments: '特にありません。' });
  T.eq('B: no script errors', s.problems, []);
  await s.ctx.close();
}

// Four more employees over the API (the page's token protocol), so that
// the opened figures reach MinGroup 3: two "yes, from a manager" with the
// battery at 1, two "no".
function lp(str) {
  const b = Buffer.from(str, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}

async function apiEmployee(link, answers) {
  const html = await (await fetch(k.base + link.path)).text();
  const segment = /data-segment="([^"]*)"/.exec(html)[1];
  const m = await (await fetch(`${k.base}/api/v1/surveys/${SURVEY}`)).json();
  const poprf = ristretto255_oprf.poprf(new Uint8Array(Buffer.concat([lp('koe/1'), lp(SURVEY), lp(segment)])));
  const input = crypto.getRandomValues(new Uint8Array(32));
  const b = poprf.blind(input, unb64(m.public_key));
  const r = await postJson(`${k.base}/api/v1/issue`, { invite: link.invite, blinded: b64(b.blinded) });
  const output = poprf.finalize(input, b.blind, unb64(r.body.evaluated), b.blinded, unb64(r.body.proof), b.tweakedKey);
  const res = await postJson(`${k.base}/api/v1/responses`, { survey: SURVEY, segment, token: { input: b64(input), output: b64(output) }, answers });
  return res.status;
}

async function others() {
  const links = k.surveys[SURVEY].links;
  const yes = { saw: 1, enps: 5, how: [2], 'handled.1': 1 };
  const no = { saw: 2, enps: 6 };
  const st = [];
  for (const [i, a] of [[2, yes], [3, yes], [4, no], [5, no]]) st.push(await apiEmployee(links[i], a));
  T.eq('API: four more employees answered', st, [201, 201, 201, 201]);
}

// What the server stored, as it opened it for the report.
function stored() {
  closeSurvey(k, SURVEY);
  const out = join(k.dir, 'r.json');
  const r = spawnSync(BIN, ['report', SURVEY, '--db', k.db, '--out', join(k.dir, 'r.pdf'), '--json', out, '--passphrase-file', join(k.dir, 'pass.txt')], {
    encoding: 'utf8',
    env: process.env,
  });
  T.eq('koe report exits 0', r.status, 0, r.stderr);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  const choice = (key) => j.choices.find((c) => c.key === key);
  const share = (c, v) => c.options.find((o) => o.value === v).share.x;
  T.eq('stored: six responses', j.responses.responded, 6);
  const saw = choice('saw');
  T.eq('stored: saw yes 3 (A and two), no 3 (B and two)', [saw.n, share(saw, 1), share(saw, 2)], [6, 3, 3]);
  const how = choice('how');
  // B's "from them" was hidden again before sending: only A's counts.
  T.eq('stored: how answered by the three who were asked; "from them" only by A', [how.n, share(how, 1), share(how, 2)], [3, 1, 3]);
  T.eq('stored: how asked of those who saw a colleague leave', how.asked, { label: '同僚の退職を見聞きした人', n: 3 });
  const handled = j.items.find((i) => i.key === 'handled.1');
  // B's 2 was hidden again: no answer of 2 is stored.
  T.eq('stored: the battery holds A\'s 3 and the two 1s, not B\'s hidden 2', [handled.n, handled.counts], [3, [2, 0, 1]]);
  T.eq('stored: the battery\'s audience joins both conditions', handled.asked && handled.asked.label, '同僚の退職を見聞きした人、かつ上司から聞いた人、またはすすめない人');
  const pdf = spawnSync('pdftotext', [join(k.dir, 'r.pdf'), '-'], { encoding: 'utf8' }).stdout || '';
  T.ok('PDF: 対象 line with n', pdf.includes('対象: 同僚の退職を見聞きした人 n = 3'));
}

await T.scenario('branching', async () => {
  k = await setup([join(SRC, 'tests', 'data', 'qn-good', 'branching.txt')]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  await T.scenario('path A: desktop, battery revealed in place', pathA);
  await T.scenario('path B: phone, block hidden again', pathB);
  await browser.close();
  await T.scenario('four more over the API', others);
  await T.scenario('what the server stored', stored);
});
await stop(k);
cleanup(k);
T.finish();
