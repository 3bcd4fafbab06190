// The employee's page in a real headless Chromium against a real `koe serve`:
// the group and key fingerprint shown, every question type answered by mouse
// and keyboard, a draft that survives a reload, an issuance interrupted and
// retried with the same blinded element, required questions enforced at the
// question with focus moved there, server errors (422) shown at the
// question, a network failure on submit that loses nothing, the English
// toggle, the receipt and the "already answered" screen, a link already used
// in another browser, the not-found page, axe-core on every screen (no
// serious or critical violation), and screenshots for people to look at.
//
// Environment: KOE_BIN, KOE_SRC (see lib/koe.mjs), KOE_SCREENSHOTS (default
// build/screenshots).
import { blake2b } from '@noble/hashes/blake2.js';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { cleanup, closeSurvey, reissue, responded, setup, SRC, stop, Tally, openPage, checkAxe } from './lib/koe.mjs';

const T = new Tally();
const SHOTS = resolve(process.env.KOE_SCREENSHOTS || join(SRC, 'build', 'screenshots'));
const ALUMNI = 'alumni-readiness-2026';
const EVERY = 'web-every-type';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
mkdirSync(SHOTS, { recursive: true });

const hex = (b) => Buffer.from(b).toString('hex');
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64url'));
const byId = (id) => `[id="${id}"]`;

let k = null;
let browser = null;

// ---- helpers --------------------------------------------------------------

async function close(s, label) {
  T.eq(`${label}: no script errors or CSP violations`, s.problems, []);
  await s.ctx.close();
}

// axe-core on the current screen. Its source is evaluated through the
// DevTools protocol: a <script> added to the page would (rightly) be
// refused by the page's CSP.
async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const ls = (page, key) => page.evaluate((kk) => JSON.parse(window.localStorage.getItem(kk)), key);
const text = async (page, sel) => ((await page.textContent(sel)) || '').trim();

async function manifest(survey) {
  const r = await fetch(`${k.base}/api/v1/surveys/${survey}`);
  return r.json();
}

function pageQs(m, p) {
  return m.questions.filter((q) => q.page === p);
}

// Answers q through the page as planned (plan[itemKey] = value; absent keys
// stay unanswered). The NPS scale is answered with the keyboard.
async function answer(page, q, plan) {
  if (q.type === 'matrix') {
    for (const r of q.rows) if (r.key in plan) await page.check(byId(`i-${r.key}-${plan[r.key]}`));
  } else if (!(q.key in plan)) {
    /* left unanswered */
  } else if (q.type === 'single' && q.layout === 'dropdown') {
    await page.selectOption(byId(`i-${q.key}`), String(plan[q.key]));
  } else if (q.type === 'single') {
    await page.check(byId(`i-${q.key}-${plan[q.key]}`));
  } else if (q.type === 'multiple') {
    for (const v of plan[q.key]) await page.check(byId(`i-${q.key}-${v}`));
  } else if (q.type === 'nps') {
    await page.focus(byId(`i-${q.key}-0`));
    await page.keyboard.press('Space');
    for (let i = 0; i < plan[q.key]; i++) await page.keyboard.press('ArrowRight');
  } else if (q.type === 'text') {
    await page.fill(byId(`i-${q.key}`), plan[q.key]);
  }
}

// The page's own view of which items are answered (checked controls, chosen
// options, typed text) for the questions of the current page.
async function shownAnswers(page, qs) {
  return page.evaluate((questions) => {
    const out = {};
    const val = (name) => [...document.getElementsByName(`a:${name}`)];
    for (const q of questions) {
      if (q.type === 'matrix') {
        for (const r of q.rows) {
          const c = val(r.key).find((e) => e.checked);
          if (c) out[r.key] = Number(c.value);
        }
      } else if (q.type === 'multiple') {
        const c = val(q.key).filter((e) => e.checked).map((e) => Number(e.value));
        if (c.length) out[q.key] = c;
      } else if (q.type === 'text') {
        const e = val(q.key)[0];
        if (e && e.value) out[q.key] = e.value;
      } else if (q.type !== 'descriptive') {
        const els = val(q.key);
        if (els[0] && els[0].tagName === 'SELECT') {
          if (els[0].value) out[q.key] = Number(els[0].value);
        } else {
          const c = els.find((e) => e.checked);
          if (c) out[q.key] = Number(c.value);
        }
      }
    }
    return out;
  }, qs);
}

function planFor(qs, plan) {
  const out = {};
  for (const q of qs)
    for (const key of q.type === 'matrix' ? q.rows.map((r) => r.key) : q.key ? [q.key] : [])
      if (key in plan) out[key] = plan[key];
  return out;
}

// Every item of the alumni survey answered; `skip` lists keys left out.
function alumniPlan(m, shift, skip = []) {
  const plan = {};
  for (const q of m.questions) {
    if (q.type === 'matrix') q.rows.forEach((r, i) => (plan[r.key] = q.columns[(i + shift) % q.columns.length].value));
    else if (q.type === 'nps') plan[q.key] = 8;
    else if (q.key === 'saw_leave') plan[q.key] = 1; // shows the offboarding battery
    else if (q.type === 'single') plan[q.key] = q.choices[2].value;
    else if (q.type === 'multiple') plan[q.key] = [q.choices[1].value, q.choices[2].value];
    else if (q.type === 'text') plan[q.key] = '制度には期待しています。\n情報管理のルールをはっきりさせてほしいです。';
  }
  for (const s of skip) delete plan[s];
  return plan;
}

async function progress(page) {
  return text(page, '.progress-text');
}

async function waitForm(page) {
  await page.waitForSelector('form.survey');
}

// The employee's deliberate start: the only thing that fetches a token.
async function begin(page) {
  await page.click('#start');
  await waitForm(page);
}

// ---- scenarios --------------------------------------------------------------

async function fullFlowDesktop() {
  const m = await manifest(ALUMNI);
  const link = k.surveys[ALUMNI].links[7]; // E08: group g02, tenure merged
  const prefix = `koe1:${link.invite}:`;
  const plan = alumniPlan(m, 0);
  const s = await openPage(browser, DESKTOP, (u) => u.includes('/api/v1/'));
  const { page } = s;
  await page.goto(k.base + link.path);
  await page.waitForSelector('#start');
  T.ok('desktop: the start screen says the answers are completed in this browser',
    (await text(page, '#start-panel')).includes('このブラウザで最後まで回答します'));
  T.eq('desktop: nothing fetched before the start button', s.posts.length, 0);
  T.eq('desktop: start screen title', await page.title(), `回答を始める前に | ${m.title}`);
  await checkAxe(T, page, 'desktop start screen');
  await shot(page, 'desktop-ja-00-start');
  await begin(page);

  T.eq('desktop: html lang is ja', await page.getAttribute('html', 'lang'), 'ja');
  T.eq('desktop: progress 1 / 9', await progress(page), `1 / ${m.pages}`);
  T.eq('desktop: the group is named, * in words', await text(page, '.group-label'), '営業部 / 全体');
  T.ok('desktop: the merged group is explained', (await text(page, '.intro')).includes('匿名性を守るために区分を分けずにまとめて集計します'));
  T.ok('desktop: the page says who holds the key to the answers',
    /鍵の保有者（HR）だけが読めます/.test(await text(page, '.intro .holders')));
  T.eq('desktop: fingerprint shown is the one koe open printed',
    (await text(page, '.fingerprint')).replace(/\s+/g, ''), k.surveys[ALUMNI].fingerprint);
  T.ok('desktop: fingerprint in groups of four', /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/.test((await page.innerText('.fingerprint')).replace(/\s+/g, ' ').trim()));
  T.ok('desktop: says answers can be sent later', (await text(page, '.later')).includes('すぐに送らなくても大丈夫です'));
  T.ok('desktop: plain words; the fingerprint and token named only in the details',
    (await text(page, '.intro h3:nth-of-type(2)')) === 'この調査の確認コード' &&
    !/指紋|鍵の指紋|匿名の鍵/.test((await page.innerText('.intro')).replace(await page.innerText('.intro details'), '')) &&
    (await page.textContent('.intro details')).includes('指紋'));
  T.ok('desktop: one style of number spacing (no space between a number and its counter)',
    !/\d [人件文字]/.test(await page.innerText('main')), await page.innerText('.intro'));
  T.eq('desktop: the deadline with its weekday and time', await text(page, '.intro .closes'), '回答期限：2026年12月15日(火) 23:59まで');
  const token = await ls(page, `${prefix}token`);
  T.ok('desktop: token stored before the form is shown (32-byte input, 64-byte output)',
    token && unb64(token.input).length === 32 && unb64(token.output).length === 64, token);
  await checkAxe(T, page, 'desktop page 1');
  await shot(page, 'desktop-ja-01-intro');

  for (let p = 0; p < m.pages; p++) {
    const qs = pageQs(m, p);
    if (p > 0) {
      T.eq(`desktop page ${p + 1}: progress`, await progress(page), `${p + 1} / ${m.pages}`);
      await checkAxe(T, page, `desktop page ${p + 1}`);
      await shot(page, `desktop-ja-${String(p + 1).padStart(2, '0')}-${qs.map((q) => q.id).join('-')}`);
    }
    for (const q of qs) await answer(page, q, plan);
    if (p === 4) {
      // Reload mid-way: the same page, every answer so far, the same token.
      await page.reload();
      await waitForm(page);
      T.eq('draft: reload keeps the page', await progress(page), `5 / ${m.pages}`);
      T.ok('draft: reload says the answers were restored', (await text(page, '.notice')).includes('復元しました'));
      T.eq('draft: answers of this page restored', await shownAnswers(page, qs), planFor(qs, plan));
      T.eq('draft: the token is the same after the reload', await ls(page, `${prefix}token`), token);
      await page.click('#back');
      await page.click('#back');
      await page.click('#back');
      T.eq('draft: back to page 2', await progress(page), `2 / ${m.pages}`);
      T.eq('draft: answers of page 2 restored', await shownAnswers(page, pageQs(m, 1)), planFor(pageQs(m, 1), plan));
      for (let i = 0; i < 3; i++) await page.click('#next');
      T.eq('draft: forward again to page 5', await progress(page), `5 / ${m.pages}`);
    }
    if (q0isText(qs)) {
      const counter = await text(page, `#q-${qs.find((q) => q.type === 'text').id}-count`);
      T.eq('essay: the counter counts characters', counter, `${plan.comments.length} / 4000文字`);
    }
    if (p < m.pages - 1) await page.click('#next');
  }
  T.ok('desktop: the last page says answers cannot be changed', (await text(page, '.final-note')).includes('変更できません'));

  await page.click('#submit');
  await page.waitForSelector('#done');
  const receipt = await text(page, '#receipt');
  T.eq('submit: receipt = hex(BLAKE2b-256(token input))', receipt, hex(blake2b(unb64(token.input), { dkLen: 32 })));
  const post = s.posts.find((r) => r.url().endsWith('/api/v1/responses'));
  const body = post ? post.postDataJSON() : null;
  T.eq('submit: the request carries survey, segment, token and every answer',
    body, { survey: ALUMNI, segment: 'g02', token, answers: plan });
  const hdrs = post ? await post.allHeaders() : {};
  T.ok('submit: no cookie and no referrer sent', !('cookie' in hdrs) && !('referer' in hdrs), hdrs);
  T.eq('submit: JSON content type', hdrs['content-type'], 'application/json');
  T.eq('submit: token, draft and blind state deleted, receipt kept',
    await Promise.all(['token', 'draft', 'pending'].map((n) => ls(page, prefix + n))), [null, null, null]);
  T.eq('submit: receipt stored', (await ls(page, `${prefix}receipt`)).receipt, receipt);
  T.eq('receipt screen heading', await text(page, '#done h2'), '回答を受け付けました');
  T.eq('receipt screen title', await page.title(), `回答を受け付けました | ${m.title}`);
  T.ok('receipt screen names the receipt list address',
    (await text(page, '#done .url')).endsWith(`/receipts/${ALUMNI}`));
  await checkAxe(T, page, 'desktop receipt');
  await shot(page, 'desktop-ja-10-receipt');

  await page.reload();
  await page.waitForSelector('#done');
  T.eq('reload after submitting: already answered', await text(page, '#done h2'), 'この調査にはすでに回答済みです');
  T.eq('reload after submitting: same receipt', await text(page, '#receipt'), receipt);
  T.eq('reload after submitting: no new request', s.posts.filter((r) => r.url().includes('/issue')).length, 1);
  await page.click('text=受付番号の一覧を確認する');
  await page.waitForFunction(() => document.querySelector('#check-result').textContent.includes('まだ公開されていません'));
  T.ok('receipt list check before closing: not published yet', true);
  await close(s, 'desktop');
  return link;
}

function q0isText(qs) {
  return qs.some((q) => q.type === 'text');
}

async function otherDevice(link) {
  const s = await openPage(browser, DESKTOP, (u) => u.includes('/api/v1/'));
  await s.page.goto(k.base + link.path);
  await s.page.click('#start');
  await s.page.waitForSelector('.msg-error');
  T.ok('a link used in another browser: explained',
    (await text(s.page, '.msg-error')).includes('すでに別の端末またはブラウザで使われています'));
  T.eq('a link used in another browser: no token stored', await ls(s.page, `koe1:${link.invite}:token`), null);
  await checkAxe(T, s.page, 'other-device message');
  await shot(s.page, 'desktop-ja-other-device');
  await s.page.click('.lang-toggle');
  T.eq('a link used in another browser: the message has the language toggle',
    await text(s.page, '.msg-error h2'), 'This link is in use in another browser');
  await checkAxe(T, s.page, 'other-device message, English');
  await close(s, 'other device');
}

// A link replaced by a newer one (a new e-mail or a reissue) says so.
async function replacedLink() {
  const old = k.surveys[ALUMNI].links[9]; // E10, never started
  reissue(k, ALUMNI, old.employee_id);
  const s = await openPage(browser, PHONE, (u) => u.includes('/api/v1/'));
  const res = await s.page.goto(k.base + old.path);
  T.eq('a replaced link: 410', res.status(), 410);
  await s.page.waitForSelector('#replaced h2');
  T.ok('a replaced link: says a newer link was sent',
    (await text(s.page, '#replaced')).includes('新しいリンクに置き換えられました'));
  T.eq('a replaced link: no start button', await s.page.$('#start'), null);
  await checkAxe(T, s.page, 'replaced link');
  await shot(s.page, 'phone-ja-replaced');
  await s.page.click('.lang-toggle');
  T.eq('a replaced link: English', await text(s.page, '#replaced h2'), 'This link has been replaced by a newer one');
  await close(s, 'replaced');
}

async function phoneFlow() {
  const m = await manifest(ALUMNI);
  const link = k.surveys[ALUMNI].links[0]; // E01: group g01
  const prefix = `koe1:${link.invite}:`;
  const plan = alumniPlan(m, 2, ['offerings', 'comments']);
  const s = await openPage(browser, PHONE, (u) => u.includes('/api/v1/'));
  const { page } = s;

  // The first issuance request is lost on the way: the page offers a
  // retry, and a reload sends the same blinded element again.
  let first = null;
  await page.route('**/api/v1/issue', async (route) => {
    first = route.request().postDataJSON();
    await route.abort('failed');
  });
  await page.goto(k.base + link.path);
  await page.click('#start');
  await page.waitForSelector('.msg-error');
  T.ok('issuance lost: network message and retry button',
    (await text(page, '.msg-error')).includes('通信できませんでした') && (await page.isVisible('.msg-error button')));
  T.eq('issuance lost: blinded element kept on the device', (await ls(page, `${prefix}pending`) || {}).blinded, first && first.blinded);
  await page.click('.msg-error button');
  await page.waitForSelector('.msg-error');
  T.eq('issuance lost, retried, lost again: focus on the message heading, not <body>',
    await page.evaluate(() => document.activeElement.tagName), 'H2');
  await page.unroute('**/api/v1/issue');
  await page.reload();
  await waitForm(page);
  const issues = s.posts.filter((r) => r.url().endsWith('/api/v1/issue')).map((r) => r.postDataJSON().blinded);
  T.eq('issuance retried after reload with the same blinded element', issues, [first.blinded, first.blinded, first.blinded]);
  T.eq('phone: the group is named', await text(page, '.group-label'), '営業部 / 1-3年');
  T.ok('phone: no merge explanation for an unmerged group', !(await text(page, '.intro')).includes('まとめて集計します'));
  await checkAxe(T, page, 'phone page 1');
  await shot(page, 'phone-ja-01-intro');
  await page.click('#next');

  // A required Matrix with rows left empty.
  const support = pageQs(m, 1)[0];
  for (const r of support.rows.slice(0, 3)) await page.check(byId(`i-${r.key}-${plan[r.key]}`));
  await page.focus(byId(`i-${support.rows[0].key}-${plan[support.rows[0].key]}`));
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  T.ok('Enter on a radio: neither moves on nor checks the page',
    (await progress(page)) === `2 / ${m.pages}` && (await page.isHidden('#q-support .q-err')));
  T.eq('progress: a real <progress> named in words',
    await page.getByRole('progressbar', { name: `${m.pages}ページ中2ページ目`, exact: true }).getAttribute('value'), '2');
  T.ok('title names the page', (await page.title()).startsWith(`${m.pages}ページ中2ページ目`));
  await page.click('#next');
  T.eq('required: still on page 2', await progress(page), `2 / ${m.pages}`);
  T.eq('required: message at the question', await text(page, '#q-support .q-err'), 'すべての項目にお答えください（未回答 4件）。');
  T.eq('required: focus on the first unanswered statement', await page.evaluate(() => document.activeElement.name), 'a:support.4');
  T.eq('required: the group is described by the message',
    (await page.getAttribute('#q-support', 'aria-describedby')) || '', 'q-support-err');
  T.ok('required: a summary in the live region',
    (await page.getAttribute('#form-status', 'role')) === 'alert' && (await text(page, '#form-status')).includes('未回答の必須の質問があります（1件）'));
  T.eq('required: the missing statement\'s options are aria-invalid, the answered ones not',
    await page.evaluate(() => [...document.getElementsByName('a:support.4')].every((e) => e.getAttribute('aria-invalid') === 'true') &&
      [...document.getElementsByName('a:support.1')].every((e) => !e.hasAttribute('aria-invalid'))), true);
  T.eq('required: the missing statement is described by the message',
    await page.getAttribute('fieldset[data-key="support.4"]', 'aria-describedby'), 'q-support-err');
  const stmt = await page.textContent('fieldset[data-key="support.4"] legend');
  T.eq('required: no decorative "!" in the statement\'s accessible name',
    await page.getByRole('group', { name: stmt.trim(), exact: true }).count(), 1);
  await checkAxe(T, page, 'phone required error');
  await shot(page, 'phone-ja-02-required-error');
  for (const r of support.rows.slice(3)) await page.check(byId(`i-${r.key}-${plan[r.key]}`));
  T.ok('required: message gone once every statement is answered', await page.isHidden('#q-support .q-err'));
  T.eq('required: nothing was sent', s.posts.filter((r) => r.url().endsWith('/responses')).length, 0);
  await page.click('#next');

  for (let p = 2; p < m.pages; p++) {
    const qs = pageQs(m, p);
    T.eq(`phone page ${p + 1}: progress`, await progress(page), `${p + 1} / ${m.pages}`);
    await checkAxe(T, page, `phone page ${p + 1}`);
    await shot(page, `phone-ja-${String(p + 1).padStart(2, '0')}-${qs.map((q) => q.id).join('-')}`);
    for (const q of qs) await answer(page, q, plan);
    if (p < m.pages - 1) await page.click('#next');
  }
  const token = await ls(page, `${prefix}token`);
  await page.click('#submit');
  await page.waitForSelector('#done');
  const post = s.posts.find((r) => r.url().endsWith('/api/v1/responses'));
  T.eq('phone submit: unanswered optional questions omitted', post && post.postDataJSON().answers, plan);
  T.eq('phone submit: receipt', await text(page, '#receipt'), hex(blake2b(unb64(token.input), { dkLen: 32 })));
  await shot(page, 'phone-ja-10-receipt');
  await close(s, 'phone');
}

async function everyType() {
  const m = await manifest(EVERY);
  const link = k.surveys[EVERY].links[3]; // E04: group g01
  const prefix = `koe1:${link.invite}:`;
  const s = await openPage(browser, DESKTOP, (u) => u.includes('/api/v1/'));
  const { page } = s;
  await page.setViewportSize(PHONE);
  await page.goto(k.base + link.path);
  await begin(page);
  await shot(page, 'phone-ja-every-type-01');
  await page.setViewportSize(DESKTOP);
  await shot(page, 'desktop-ja-every-type-01');

  // English.
  T.eq('toggle: offered when every question has English', await text(page, '.lang-toggle'), 'English');
  await page.click('.lang-toggle');
  T.eq('toggle: html lang is en', await page.getAttribute('html', 'lang'), 'en');
  T.eq('toggle: title in English', await text(page, 'h1'), 'Page test survey');
  T.eq('toggle: button texts in English', await text(page, '#next'), 'Next');
  T.eq('toggle: question texts in English', await text(page, '#q-office_days .q-text'), 'How many days a week do you work at the office?');
  T.eq('toggle: focus stays on the toggle', await page.evaluate(() => document.activeElement.className), 'lang-toggle');
  T.eq('toggle: the Japanese group name is marked lang=ja', await page.getAttribute('.group-label', 'lang'), 'ja');
  await checkAxe(T, page, 'every type, English, page 1');

  const q = Object.fromEntries(m.questions.map((x) => [x.id, x]));
  await answer(page, q.office_days, { office_days: 3 });
  await answer(page, q.commute, { commute: 30 });
  await answer(page, q.tools, { tools: [1, 2] });
  await page.click('#next');
  await checkAxe(T, page, 'every type, English, page 2');
  await shot(page, 'desktop-en-every-type-02');
  await answer(page, q.week, { 'week.1': 3, 'week.2': 1 });
  await answer(page, q.notes, { notes: 'Nothing else.' });
  await page.click('#submit');
  T.eq('required text: message at the question', await text(page, '#q-one_word .q-err'), 'Please answer this question.');
  T.eq('required text: focus in the field', await page.evaluate(() => document.activeElement.id), 'i-one_word');
  T.eq('required text: field marked invalid', await page.getAttribute(byId('i-one_word'), 'aria-invalid'), 'true');
  T.eq('required text: nothing was sent', s.posts.filter((r) => r.url().endsWith('/responses')).length, 0);
  await answer(page, q.one_word, { one_word: 'Calm' });
  await page.press(byId('i-one_word'), 'Enter');
  await page.waitForTimeout(500); // a request would have been seen by now
  T.eq('Enter in a one-line answer does not send the survey', s.posts.filter((r) => r.url().endsWith('/responses')).length, 0);

  // A draft the server refuses (not one of the choices): the page shows the
  // server's 422 at the question, on its page, in the page's language.
  await page.evaluate((key) => {
    const d = JSON.parse(window.localStorage.getItem(key));
    d.answers.commute = 99;
    window.localStorage.setItem(key, JSON.stringify(d));
  }, `${prefix}draft`);
  await page.reload();
  await waitForm(page);
  T.eq('language choice survives a reload', await page.getAttribute('html', 'lang'), 'en');
  T.eq('reload: back on page 2', await progress(page), '2 / 2');
  await page.click('#submit');
  await page.waitForSelector('#q-commute.has-error');
  T.eq('422: shown on page 1', await progress(page), '1 / 2');
  T.eq('422: translated message at the question', await text(page, '#q-commute .q-err'), 'That is not one of the options. Please choose again.');
  T.eq('422: focus on the question', await page.evaluate(() => document.activeElement.id), 'i-commute');
  T.ok('422: token kept', !!(await ls(page, `${prefix}token`)));
  await checkAxe(T, page, '422 error');
  await answer(page, q.commute, { commute: 20 });
  T.ok('422: message gone once answered again', await page.isHidden('#q-commute .q-err'));
  await page.click('#next');

  // The answers are lost on the way: nothing is lost on the device.
  await page.route('**/api/v1/responses', (route) => route.abort('failed'));
  await page.click('#submit');
  await page.waitForSelector('#form-status button');
  T.ok('network failure: explained with a retry button', (await text(page, '#form-status')).includes('could not be reached'));
  T.ok('network failure: token and draft kept', !!(await ls(page, `${prefix}token`)) && !!(await ls(page, `${prefix}draft`)));
  await page.click('#form-status button');
  await page.waitForSelector('#form-status button');
  T.eq('retry that fails again: focus on the status, not <body>', await page.evaluate(() => document.activeElement.id), 'form-status');
  await checkAxe(T, page, 'network failure after retry');
  await page.unroute('**/api/v1/responses');
  await page.click('#form-status button');
  await page.waitForSelector('#done');
  T.eq('retry: accepted, in English', await text(page, '#done h2'), 'Your answers have been received');
  const sent = s.posts.filter((r) => r.url().endsWith('/responses')).map((r) => r.postDataJSON().answers);
  T.eq('every type: answers as sent (integers, lists, text; optional NPS omitted)', sent[sent.length - 1], {
    office_days: 3,
    commute: 20,
    tools: [1, 2],
    'week.1': 3,
    'week.2': 1,
    one_word: 'Calm',
    notes: 'Nothing else.',
  });
  await close(s, 'every type');
}

// A token damaged on the device: the server refuses it (403), the page
// offers to fetch it again, which sends the stored blinded element once more
// (answered again by the server) and resends the answers.
async function damagedToken() {
  const m = await manifest(EVERY);
  const link = k.surveys[EVERY].links[4]; // E05
  const prefix = `koe1:${link.invite}:`;
  const q = Object.fromEntries(m.questions.map((x) => [x.id, x]));
  const s = await openPage(browser, PHONE, (u) => u.includes('/api/v1/'));
  const { page } = s;
  await page.goto(k.base + link.path);
  await begin(page);
  await answer(page, q.office_days, { office_days: 1 });
  await answer(page, q.commute, { commute: 10 });
  await page.click('#next');
  await answer(page, q.week, { 'week.1': 2, 'week.2': 2 });
  await answer(page, q.one_word, { one_word: '静か' });
  const good = await ls(page, `${prefix}token`);
  await page.evaluate(([key, tok]) => {
    const bytes = Uint8Array.from(atob(tok.output.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    bytes[0] ^= 1;
    const out = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    window.localStorage.setItem(key, JSON.stringify({ ...tok, output: out }));
  }, [`${prefix}token`, good]);
  await page.reload();
  await waitForm(page);
  await page.click('#submit');
  await page.waitForSelector('#form-status button');
  T.ok('damaged token: 403 explained, answers kept', (await text(page, '#form-status')).includes('回答券を取得し直して'));
  await shot(page, 'phone-ja-token-refused');
  await page.click('#form-status button');
  await page.waitForSelector('#done');
  T.eq('damaged token: the token fetched again is the original one', (await s.posts.filter((r) => r.url().endsWith('/responses')).pop().postDataJSON()).token, good);
  const blinded = s.posts.filter((r) => r.url().endsWith('/issue')).map((r) => r.postDataJSON().blinded);
  T.ok('damaged token: fetched again with the same blinded element', blinded.length === 2 && blinded[0] === blinded[1], blinded);
  T.eq('damaged token: accepted after fetching again', await text(page, '#done h2'), '回答を受け付けました');
  await close(s, 'damaged token');
}

// Mail scanners, link previews and private windows load the page and run its
// script; none of them presses 「回答を始める」. The link stays fresh: a
// browser that never shares their storage can still start and answer.
async function noClickLeavesLinkFresh() {
  const link = k.surveys[ALUMNI].links[2]; // E03
  const prefix = `koe1:${link.invite}:`;
  // A scanner: loads the page, runs every script, waits, never clicks.
  const scanner = await openPage(browser, DESKTOP, (u) => u.includes('/api/v1/'));
  await scanner.page.goto(k.base + link.path);
  await scanner.page.waitForSelector('#start');
  await scanner.page.waitForLoadState('networkidle');
  await scanner.page.waitForTimeout(500);
  T.eq('scanner: no request that uses the link', scanner.posts.length, 0);
  T.eq('scanner: nothing stored for the link',
    await scanner.page.evaluate((p) => Object.keys(window.localStorage).filter((x) => x.startsWith(p)), prefix), []);
  await close(scanner, 'scanner');
  // A private window: loads, reloads, its storage is discarded with it.
  const priv = await openPage(browser, PHONE, (u) => u.includes('/api/v1/'));
  await priv.page.goto(k.base + link.path);
  await priv.page.waitForSelector('#start');
  await priv.page.evaluate(() => window.localStorage.clear());
  await priv.page.reload();
  await priv.page.waitForSelector('#start');
  T.eq('private window: no request that uses the link', priv.posts.length, 0);
  await shot(priv.page, 'phone-ja-00-start');
  await checkAxe(T, priv.page, 'phone start screen');
  await close(priv, 'private window');
  // The employee, in a browser of their own: the link still works.
  const emp = await openPage(browser, DESKTOP, (u) => u.includes('/api/v1/'));
  await emp.page.goto(k.base + link.path);
  await begin(emp.page);
  T.ok('after a scanner and a private window: the employee gets a token',
    !!(await ls(emp.page, `${prefix}token`)));
  T.eq('after a scanner and a private window: one issuance, from the employee',
    emp.posts.filter((r) => r.url().endsWith('/api/v1/issue')).length, 1);
  await close(emp, 'employee after scanner');
}

// After `koe close`: the closed link's page (still 410) checks the receipt
// stored in this browser and wipes what was never sent; the public page
// /receipts/{sid} fills the stored receipt in and checks it; the list is a
// text file whose SHA-256 is the digest.
async function afterClose() {
  const m = await manifest(EVERY);
  const q = Object.fromEntries(m.questions.map((x) => [x.id, x]));
  const answered = k.surveys[EVERY].links[5]; // E06
  const unsent = k.surveys[EVERY].links[6]; // E07
  const s = await openPage(browser, PHONE, (u) => u.includes('/api/v1/'));
  const { page } = s;
  await page.goto(k.base + answered.path);
  await begin(page);
  await answer(page, q.office_days, { office_days: 2 });
  await answer(page, q.commute, { commute: 10 });
  await page.click('#next');
  await answer(page, q.week, { 'week.1': 1, 'week.2': 2 });
  await answer(page, q.one_word, { one_word: '晴れ' });
  await page.click('#submit');
  await page.waitForSelector('#done');
  const receipt = await text(page, '#receipt');
  await page.goto(k.base + unsent.path);
  await begin(page);
  await answer(page, q.office_days, { office_days: 4 });
  T.ok('before close: a draft of unsent answers is stored', !!(await ls(page, `koe1:${unsent.invite}:draft`)));
  const never = k.surveys[EVERY].links[8]; // E09: started, never sent, never opened again
  await page.goto(k.base + never.path);
  await begin(page);
  await answer(page, q.office_days, { office_days: 3 });

  closeSurvey(k, EVERY);

  const res = await page.goto(k.base + answered.path);
  T.eq('closed link: still 410', res.status(), 410);
  await page.waitForSelector('#closed');
  T.eq('closed link: the stored receipt is shown', await text(page, '#receipt'), receipt);
  await page.click('#check');
  await page.waitForSelector('#check-result .verdict');
  T.eq('closed link: the receipt is 含まれています', await text(page, '#check-result .verdict'), '含まれています');
  const list = await (await fetch(`${k.base}/api/v1/surveys/${EVERY}/receipts`)).json();
  T.eq('closed link: count shown', await text(page, '#check-result .count'), `${list.count}件`);
  T.eq('closed link: digest shown', await text(page, '#check-result .digest'), list.digest);
  T.ok('closed link: title names the screen', (await page.title()).startsWith('この調査は終了しました'));
  await checkAxe(T, page, 'closed link with a receipt');
  await shot(page, 'phone-ja-closed-receipt');

  await page.goto(k.base + unsent.path);
  await page.waitForSelector('#closed');
  T.ok('closed link without a receipt: says so and that the unsent answers were deleted',
    (await text(page, '#closed')).includes('記録はありません') && (await text(page, '#closed')).includes('削除しました'));
  T.eq('closed link: draft, token and blinded request wiped',
    await Promise.all(['token', 'draft', 'pending'].map((n) => ls(page, `koe1:${unsent.invite}:${n}`))), [null, null, null]);
  await checkAxe(T, page, 'closed link without a receipt');

  await page.click('#public-link');
  await page.waitForSelector('#check-result .verdict');
  T.eq('public page: the stored receipt filled in', await page.inputValue('#receipt-input'), receipt);
  T.eq('public page after close: what another link of the survey never sent is wiped',
    await Promise.all(['token', 'draft', 'pending'].map((n) => ls(page, `koe1:${never.invite}:${n}`))), [null, null, null]);
  T.eq('public page: 含まれています', await text(page, '#check-result .verdict'), '含まれています');
  T.ok('public page: title', (await page.title()).startsWith('受付番号の確認'));
  await checkAxe(T, page, 'public receipt page');
  await shot(page, 'phone-ja-public-receipts');
  await page.click('.lang-toggle');
  await page.click('#check');
  await page.waitForFunction(() => document.querySelector('#check-result .verdict')?.textContent === 'Included');
  T.ok('public page in English: Included', true);
  T.eq('public page in English: the English title', [await text(page, 'h1'), await page.getAttribute('h1', 'lang')], ['Page test survey', null]);
  await checkAxe(T, page, 'public receipt page, English');
  await page.goto(`${k.base}/receipts/${ALUMNI}`);
  await page.waitForSelector('#receipt-input');
  T.eq('public page of another survey: a receipt of this one is not filled in', await page.inputValue('#receipt-input'), '');
  await page.fill('#receipt-input', receipt);
  await page.click('#check');
  await page.waitForFunction(() => /not published yet/.test(document.querySelector('#check-result').textContent));
  T.ok('public page of an open survey: not published yet, in English', true);
  await checkAxe(T, page, 'public receipt page before close, English');
  await close(s, 'after close');

  // Another browser: nothing stored; a pasted code that is not in the list,
  // and one that is not a receipt at all.
  const o = await openPage(browser, DESKTOP, (u) => u.includes('/api/v1/'));
  await o.page.goto(`${k.base}/receipts/${EVERY}`);
  await o.page.waitForSelector('#receipt-input');
  T.eq('public page elsewhere: nothing filled in', await o.page.inputValue('#receipt-input'), '');
  await o.page.fill('#receipt-input', 'not a receipt');
  await o.page.click('#check');
  T.eq('public page: a malformed code is marked invalid', await o.page.getAttribute('#receipt-input', 'aria-invalid'), 'true');
  T.ok('public page: the message describes the field',
    ((await o.page.getAttribute('#receipt-input', 'aria-describedby')) || '').includes('receipt-err'));
  await checkAxe(T, o.page, 'public receipt page, malformed code');
  await o.page.fill('#receipt-input', ` ${'ab'.repeat(16)} ${'cd'.repeat(16)} `);
  await o.page.click('#check');
  await o.page.waitForSelector('#check-result .verdict');
  T.eq('public page: an unknown code is 含まれていません', await text(o.page, '#check-result .verdict'), '含まれていません');
  await shot(o.page, 'desktop-ja-public-receipts-missing');
  await close(o, 'public page elsewhere');

  const txt = await fetch(`${k.base}/receipts/${EVERY}.txt`);
  const body = await txt.text();
  T.eq('list file: 200 text/plain', [txt.status, txt.headers.get('content-type')], [200, 'text/plain; charset=utf-8']);
  T.eq('list file: an attachment', txt.headers.get('content-disposition'), `attachment; filename="koe-receipts-${EVERY}.txt"`);
  T.eq('list file: one receipt a line, as in the API', body.split('\n').filter(Boolean), list.receipts);
  T.eq('list file: its SHA-256 is the digest', createHash('sha256').update(body).digest('hex'), list.digest);
  const open404 = await fetch(`${k.base}/receipts/${ALUMNI}.txt`);
  T.eq('list file while open: 403', open404.status, 403);
  T.eq('public page of an unknown survey: 404', (await fetch(`${k.base}/receipts/nope`)).status, 404);
}

// Two tabs of one link: the first sends; the second is told at once that
// what it shows was not sent, and sends nothing.
async function secondTab() {
  const m = await manifest(EVERY);
  const q = Object.fromEntries(m.questions.map((x) => [x.id, x]));
  const link = k.surveys[EVERY].links[7]; // E08
  const s = await openPage(browser, DESKTOP, (u) => u.includes('/api/v1/'));
  const a = s.page;
  await a.goto(k.base + link.path);
  await begin(a);
  await answer(a, q.office_days, { office_days: 1 });
  await answer(a, q.commute, { commute: 10 });
  await a.click('#next');
  await answer(a, q.week, { 'week.1': 1, 'week.2': 1 });
  await answer(a, q.one_word, { one_word: 'A' });
  const b = await s.ctx.newPage();
  const bPosts = [];
  b.on('request', (r) => r.method() === 'POST' && bPosts.push(r.url()));
  await b.goto(k.base + link.path);
  await waitForm(b);
  await b.fill(byId('i-one_word'), 'B');
  await a.click('#submit');
  await a.waitForSelector('#done');
  await b.waitForSelector('.msg-warn');
  T.eq('second tab: told its answers were not sent', await text(b, '.msg-warn h2'), 'このタブの回答は送信されていません');
  T.eq('second tab: sent nothing', bPosts, []);
  await checkAxe(T, b, 'second tab told');
  await shot(b, 'desktop-ja-second-tab');
  await b.click('.msg-warn .actions button');
  await b.waitForSelector('#done');
  T.eq('second tab: shows the receipt of the first', await text(b, '#receipt'), await text(a, '#receipt'));
  await close(s, 'second tab');
}

// What sticks out sideways on the current screen: the page itself, and any
// card whose content is wider than the card.
async function overflow(page) {
  return page.evaluate(() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const el of document.querySelectorAll('.q, .panel, .nav, .matrix, .top-inner'))
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.id || el.className} ${el.scrollWidth} > ${el.clientWidth}`);
    const btn = document.querySelector('#next, #submit, #start');
    if (btn && btn.getBoundingClientRect().right > doc.clientWidth) out.push('the main button is off screen');
    return out;
  });
}

// Every page of the alumni survey and the start screen at 320, 390, 768,
// 780 (the old Matrix overflow) and 1280 px, and at 200 % text-only zoom
// (the root font size doubled through the CSSOM, which the CSP allows; the
// media queries keep their pixel widths, so the wide layout is tried with
// the large text too): nothing scrolls sideways, no card overflows, the
// buttons stay on screen.
async function layout() {
  const m = await manifest(ALUMNI);
  const fresh = k.surveys[ALUMNI].links[3]; // E04, never started
  const link = k.surveys[ALUMNI].links[4]; // E05
  const s = await openPage(browser, PHONE, (u) => u.includes('/api/v1/'));
  const { page } = s;
  await page.goto(k.base + link.path);
  await begin(page);
  const sizes = [
    { name: '320', width: 320 },
    { name: '390', width: 390 },
    { name: '768', width: 768 },
    { name: '780', width: 780 },
    { name: '1280', width: 1280 },
    { name: '320-text200', width: 320, zoom: true },
    { name: '1280-text200', width: 1280, zoom: true },
  ];
  for (const sz of sizes) {
    const zoom = () => sz.zoom && page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    await page.setViewportSize({ width: sz.width, height: 900 });
    await page.goto(k.base + fresh.path);
    await page.waitForSelector('#start');
    await zoom();
    T.eq(`layout ${sz.name}: start screen fits`, await overflow(page), []);
    if (sz.name === '320' || sz.name === '320-text200') await shot(page, `layout-${sz.name}-start`);
    await page.goto(k.base + link.path);
    await waitForm(page);
    await zoom();
    while ((await progress(page)) !== `1 / ${m.pages}`) await page.click('#back');
    const bad = [];
    for (let p = 0; p < m.pages; p++) {
      const o = await overflow(page);
      if (o.length) bad.push(`page ${p + 1}: ${o.join('; ')}`);
      if (p <= 1) await shot(page, `layout-${sz.name}-page${p + 1}`);
      if (p < m.pages - 1) {
        await page.evaluate(() => {
          // Move on without answering: the draft keeps nothing, the
          // check would stop us, so go straight to the next page.
          document.getElementById('next').scrollIntoView();
        });
        await page.evaluate(() => document.querySelector('form.survey'));
        const next = await page.$('#next');
        await next.click();
        // Required questions stop us: answer them as they come.
        if ((await progress(page)) === `${p + 1} / ${m.pages}`) {
          for (const q of pageQs(m, p)) await answer(page, q, alumniPlan(m, 1));
          await page.click('#next');
        }
      }
    }
    T.eq(`layout ${sz.name}: every page fits`, bad, []);
  }
  await close(s, 'layout');
}

async function notFound() {
  const s = await openPage(browser, PHONE, (u) => u.includes('/api/v1/'));
  const res = await s.page.goto(`${k.base}/s/AAAAAAAAAAAAAAAAAAAAAA`);
  T.eq('unknown link: 404', res.status(), 404);
  T.ok('unknown link: explained in Japanese and English',
    (await text(s.page, 'main')).includes('このリンクは使えません') && (await text(s.page, 'main')).includes('This link cannot be used'));
  await checkAxe(T, s.page, 'not-found page');
  await shot(s.page, 'phone-ja-notfound');
  await close(s, 'not found');
}

// ---- main -------------------------------------------------------------------

await T.scenario('setup', async () => {
  k = await setup([join(SRC, 'surveys', 'alumni-readiness.txt'), join(SRC, 'tests', 'web', 'data', 'every-type.txt')]);
  browser = await chromium.launch({
    executablePath: process.env.KOE_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
if (browser) {
  let used = null;
  await T.scenario('full flow on a desktop', async () => {
    used = await fullFlowDesktop();
  });
  if (used) await T.scenario('a link used in another browser', () => otherDevice(used));
  await T.scenario('phone, interrupted issuance, required questions', phoneFlow);
  await T.scenario('every question type, English, server errors', everyType);
  await T.scenario('a damaged token fetched again', damagedToken);
  await T.scenario('not-found page', notFound);
  await T.scenario('a page load without the start button leaves the link fresh', noClickLeavesLinkFresh);
  await T.scenario('two tabs of one link', secondTab);
  await T.scenario('a replaced link', replacedLink);
  await T.scenario('layout at every width and 200% text', layout);
  await T.scenario('after close: the receipt checked from the link and the public page', afterClose);
  await browser.close();
  // While open, koe status rounds responded counts down to steps of k.
  T.ok('koe status while open: fewer than 5', /responded fewer than 5 /.test(responded(k, ALUMNI).output));
}
const exit = await stop(k);
if (k) T.eq('koe serve exits 0 on SIGTERM', exit && exit.code, 0);
if (k) {
  T.eq('koe status: 2 responses to the alumni survey', responded(k, ALUMNI, true).count, 2);
  T.eq('koe status: 4 responses to the every-type survey', responded(k, EVERY, true).count, 4);
}
if (T.failed && k) console.log(`--- koe serve output ---\n${k.serverLog}`);
console.log(`screenshots: ${SHOTS}`);
cleanup(k);
T.finish();
