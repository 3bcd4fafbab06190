// A questionnaire exported from Qualtrics as it really is (question ids with
// spaces, <strong>, <em>, <p>, <ul>, styled <span>s and <div>s, an <img>
// with an event handler, a <script>) opened with the real `koe open`, served
// by the real `koe serve` and answered in a real headless Chromium: the text
// shows formatted, no tag shows as text, the DOM of every question text holds
// only allow-listed elements and no attribute at all, nothing from the file
// runs or loads, and the answers go out under the keys `koe check` names.
//
// Environment: KOE_BIN, KOE_SRC (see lib/koe.mjs), KOE_SCREENSHOTS.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { cleanup, setup, SRC, stop, Tally } from './lib/koe.mjs';

const T = new Tally();
const SHOTS = resolve(process.env.KOE_SCREENSHOTS || join(SRC, 'build', 'screenshots'));
const FILE = join(SRC, 'tests', 'data', 'qn-good', 'qualtrics-export.txt');
const SID = 'qualtrics-export';
const ALLOWED = ['B', 'STRONG', 'I', 'EM', 'U', 'SUP', 'SUB', 'P', 'UL', 'OL', 'LI', 'BR'];
mkdirSync(SHOTS, { recursive: true });

let k = null;
let browser = null;

// What the page shows of the questionnaire's texts: every element inside a
// rich-text container, with its attributes, and the visible text.
function richDom(page) {
  return page.evaluate(() => {
    const boxes = document.querySelectorAll('.q-text, .opt-text, .mx-stmt, .mx-col');
    const els = [];
    for (const b of boxes) for (const e of b.querySelectorAll('*')) els.push({ tag: e.tagName, attrs: e.getAttributeNames() });
    return { boxes: boxes.length, els, text: document.body.innerText };
  });
}

async function checkPage(page, label) {
  const d = await richDom(page);
  T.ok(`${label}: question texts are shown`, d.boxes > 0);
  T.eq(`${label}: only allow-listed elements in question texts`, d.els.filter((e) => !ALLOWED.includes(e.tag)).map((e) => e.tag), []);
  T.eq(`${label}: no attribute in question texts`, d.els.filter((e) => e.attrs.length).map((e) => `${e.tag} ${e.attrs}`), []);
  T.ok(`${label}: no tag shown as text`, !/<\/?[a-z]+[\s>/]/i.test(d.text), d.text.match(/.{0,20}<\/?[a-z]+.{0,20}/i));
  T.ok(`${label}: no entity shown as text`, !/&(nbsp|amp|lt|gt|rsquo);/.test(d.text));
  const loaded = await page.evaluate(() => ({
    imgs: document.querySelectorAll('img, script:not([src="/static/koe.js"]), iframe, [style*="font-size"], .QuestionText').length,
    title: document.title,
  }));
  T.eq(`${label}: nothing of the file's markup in the DOM`, loaded.imgs, 0);
  T.ok(`${label}: the file's script did not run`, loaded.title !== 'x');
}

async function scenario() {
  const link = k.surveys[SID].links[0];
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('request', (r) => requests.push(r.url()));
  const posts = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/responses') && posts.push(r));

  await page.goto(k.base + link.path);
  await page.click('#start');
  await page.waitForSelector('form.survey');
  await page.screenshot({ path: join(SHOTS, 'phone-ja-qualtrics-01.png'), fullPage: true });
  await checkPage(page, 'page 1, Japanese');
  T.eq('formatted: <strong> of the intro', await page.textContent('#q-Intro_Text .q-text strong'), 'アルムナイ制度に関する意見調査');
  T.eq('formatted: a list with two items', await page.locator('#q-Intro_Text .q-text ul > li').count(), 2);
  T.eq('formatted: <em> and <u>', [await page.textContent('#q-Intro_Text .q-text em'), await page.textContent('#q-Intro_Text .q-text u')], ['匿名', '5分']);
  T.eq('formatted: a styled span keeps its text, bold kept', await page.textContent('#q-Stim_1 .q-text strong'), '再入社');
  T.ok('the <img> with its handler is gone, its question text stays', (await page.textContent('#q-Stim_2_a_ .q-text')).includes('すべて'));
  T.eq('ids with spaces: radios named by their answer key', await page.locator('[name="a:Stim_1"]').count(), 3);

  await page.check('[id="i-Stim_1-1"]');
  await page.check('[id="i-Stim_2_a_-2"]');
  await page.click('#next');
  await page.waitForSelector('#q-Engage_Q');
  await checkPage(page, 'page 2, Japanese');
  T.eq('formatted: <sup> in a Matrix row', await page.textContent('#q-Engage_Q .mx-stmt sup'), '※');
  T.ok('a removed <div> leaves its line break', (await page.innerHTML('#q-Engage_Q .q-text')).includes('<br>'));
  await page.screenshot({ path: join(SHOTS, 'phone-ja-qualtrics-02.png'), fullPage: true });

  await page.click('.lang-toggle');
  await checkPage(page, 'page 2, English');
  await page.click('#back');
  await checkPage(page, 'page 1, English');
  T.eq('English: <strong> of the intro', await page.textContent('#q-Intro_Text .q-text strong'), 'Alumni program survey');
  await page.screenshot({ path: join(SHOTS, 'phone-en-qualtrics-01.png'), fullPage: true });
  await page.click('#next');

  await page.check('[id="i-Engage_Q.1-3"]');
  await page.fill('[id="i-Free_Text"]', 'よい制度だと思います');
  await page.click('#submit');
  await page.waitForSelector('#done');
  T.eq('answers sent under the keys koe check names', posts.map((r) => r.postDataJSON().answers), [
    { Stim_1: 1, Stim_2_a_: [2], 'Engage_Q.1': 3, Free_Text: 'よい制度だと思います' },
  ]);
  T.eq('nothing loaded from anywhere but koe', requests.filter((u) => !u.startsWith(k.base)), []);
  T.eq('no script errors or CSP violations', problems, []);
  await ctx.close();
}

await T.scenario('setup', async () => {
  k = await setup([FILE]);
  browser = await chromium.launch({
    executablePath: process.env.KOE_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
if (browser) {
  await T.scenario('a Qualtrics export shown formatted and safe', scenario);
  await browser.close();
}
await stop(k);
if (T.failed && k) console.log(`--- koe serve output ---\n${k.serverLog}`);
cleanup(k);
T.finish();
