// The receipt screens (docs/ARCHITECTURE.md §2 step 3, §3): the receipt
// once the answers are accepted, a closed survey's link, and the survey's
// public page /receipts/{sid}; each can check a receipt against the
// published list. Each takes the App (app.js) and draws through its
// show(), t() and rerender, like App's own screens.
import { api } from './api.js';
import { clear, h } from './dom.js';

// The survey closed: what was never sent is wiped from this browser; a
// stored receipt is offered for checking against the published list.
export function showClosed(app) {
  const wiped = app.forget();
  closedScreen(app, app.store.get('receipt'), wiped);
}

function closedScreen(app, receipt, wiped) {
  app.rerender = () => closedScreen(app, receipt, wiped);
  const code = receipt && typeof receipt.receipt === 'string' ? receipt.receipt : '';
  const result = h('div', { class: 'check-result', id: 'check-result', role: 'status' });
  app.show(
    [
      h(
        'section',
        { class: 'panel msg msg-closed', id: 'closed' },
        h('h2', { tabindex: '-1', text: app.t('closedHeading') }),
        h('p', { text: app.t('closedText') }),
        wiped ? h('p', { class: 'notice', text: app.t('closedWiped') }) : null,
        code
          ? [
              h('p', { text: app.t('closedReceipt') }),
              receiptBox(app, code),
              h('p', {}, h('button', { type: 'button', class: 'btn primary', id: 'check', text: app.t('checkButton'), onclick: () => checkReceipt(app, code, result) })),
              result,
            ]
          : h('p', { text: app.t('closedNoReceipt') }),
        h('p', { class: 'url' }, h('a', { href: publicPath(app), id: 'public-link', text: app.t('publicLink') })),
      ),
    ],
    { toggle: true, title: app.t('closedHeading') },
  );
  app.focusHeading();
}

function publicPath(app) {
  return `/receipts/${encodeURIComponent(app.survey)}`;
}

// The receipt code with a copy button.
function receiptBox(app, code) {
  const copyStatus = h('span', { class: 'copy-status', role: 'status' });
  const codeEl = h('code', { class: 'receipt', id: 'receipt', text: code });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      // No clipboard access: select the code so the employee can copy it.
      const rg = document.createRange();
      rg.selectNodeContents(codeEl);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(rg);
      return;
    }
    copyStatus.textContent = app.t('copied');
  };
  return h(
    'div',
    { class: 'receipt-box' },
    h('p', { class: 'receipt-label', id: 'receipt-label', text: app.t('receiptLabel') }),
    h('p', { class: 'receipt-line' }, codeEl),
    h(
      'p',
      { class: 'receipt-actions' },
      h('button', { type: 'button', class: 'btn', text: app.t('copy'), onclick: copy, 'aria-describedby': 'receipt-label' }),
      copyStatus,
    ),
  );
}

// Looks code up in the published list and shows, in `out` (a live
// region), whether it is included, with the list's count and digest.
async function checkReceipt(app, code, out) {
  clear(out);
  out.append(h('p', { text: app.t('checking') }));
  let res;
  try {
    res = await api.receipts(app.survey);
  } catch {
    res = null;
  }
  clear(out);
  if (!res || res.status !== 200 || !res.body || !Array.isArray(res.body.receipts)) {
    const key = res && res.status === 403 ? 'checkNotYet' : 'checkFailed';
    out.className = 'check-result';
    out.append(h('p', { text: app.t(key) }));
    return;
  }
  const found = res.body.receipts.includes(code);
  out.className = `check-result ${found ? 'found' : 'missing'}`;
  out.append(
    h('p', { class: 'verdict' }, h('strong', { text: app.t(found ? 'included' : 'notIncluded') })),
    h('p', { text: app.t(found ? 'checkFound' : 'checkMissing') }),
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: app.t('listCount') }),
      h('dd', { class: 'count', text: app.t('listCountN', { n: res.body.count }) }),
      h('dt', { text: app.t('listDigest') }),
      h('dd', {}, h('code', { class: 'digest', text: String(res.body.digest || '') })),
    ),
    h('p', { class: 'small', text: app.t('digestNote') }),
    h('p', {}, h('a', { href: `${publicPath(app)}.txt`, download: '', id: 'download', text: app.t('download') })),
  );
}

// Receipts stored in this browser for this survey (any link).
function storedReceipts(app) {
  const out = [];
  try {
    const ls = window.localStorage;
    for (let i = 0; i < ls.length; i++) {
      const key = ls.key(i);
      if (!/^koe1:[^:]+:receipt$/.test(key || '')) continue;
      let v = null;
      try {
        v = JSON.parse(ls.getItem(key));
      } catch {
        v = null;
      }
      if (!v || typeof v.receipt !== 'string' || !/^[0-9a-f]{64}$/.test(v.receipt)) continue;
      if (v.survey && v.survey !== app.survey) continue;
      if (!out.includes(v.receipt)) out.push(v.receipt);
    }
  } catch {
    /* no storage: nothing to fill in */
  }
  return out;
}

// The manifest for the title and the language toggle of the pages that
// do not need it otherwise; failures leave the page as served.
async function quietManifest(app) {
  try {
    const res = await api.manifest(app.survey);
    if (res.status === 200 && res.body && res.body.survey === app.survey && Array.isArray(res.body.questions))
      app.manifest = res.body;
  } catch {
    /* offline: the page as served */
  }
}

// GET /receipts/{sid}: paste (or have filled in) a receipt and check it.
function receiptsPage(app, value, auto) {
  app.rerender = () => receiptsPage(app, input.value);
  const input = h('input', {
    type: 'text',
    id: 'receipt-input',
    name: 'receipt',
    autocomplete: 'off',
    spellcheck: 'false',
    inputmode: 'latin',
    'aria-describedby': 'receipt-hint',
  });
  input.value = value || '';
  const hint = h('p', { class: 'small', id: 'receipt-hint', text: app.t('receiptHint') });
  const err = h('p', { class: 'q-err', id: 'receipt-err', hidden: true });
  const result = h('div', { class: 'check-result', id: 'check-result', role: 'status' });
  const run = () => {
    const code = input.value.replace(/\s+/g, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(code)) {
      err.textContent = app.t('receiptBad');
      err.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'receipt-err receipt-hint');
      clear(result);
      input.focus();
      return;
    }
    err.hidden = true;
    err.textContent = '';
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', 'receipt-hint');
    checkReceipt(app, code, result);
  };
  const form = h(
    'form',
    {
      class: 'panel receipts',
      id: 'receipts',
      novalidate: true,
      'aria-labelledby': 'receipts-heading',
      onsubmit: (ev) => {
        ev.preventDefault();
        run();
      },
    },
    h('h2', { id: 'receipts-heading', tabindex: '-1', text: app.t('receiptsHeading') }),
    h('p', { text: app.t('receiptsIntro') }),
    auto ? h('p', { class: 'notice', text: app.t('receiptFilled') }) : null,
    h('label', { class: 'q-label', for: 'receipt-input', text: app.t('receiptInputLabel') }),
    err,
    input,
    hint,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn primary', id: 'check', text: app.t('checkSubmit') })),
    result,
  );
  app.show([form], { toggle: true, title: app.t('receiptsHeading') });
  app.focusHeading();
  if (auto) run();
}

// Once the survey is closed, what other links of it left in this browser
// and never sent (identified by the survey in their blinded request) goes.
async function wipeClosedLeftovers(app) {
  let res = null;
  try {
    res = await api.receipts(app.survey);
  } catch {
    return;
  }
  if (!res || res.status !== 200) return;
  try {
    const ls = window.localStorage;
    const invites = [];
    for (let i = 0; i < ls.length; i++) {
      const m = /^koe1:([^:]+):pending$/.exec(ls.key(i) || '');
      if (!m) continue;
      let v = null;
      try {
        v = JSON.parse(ls.getItem(ls.key(i)));
      } catch {
        v = null;
      }
      if (v && v.survey === app.survey) invites.push(m[1]);
    }
    for (const inv of invites) for (const name of ['token', 'draft', 'pending']) ls.removeItem(`koe1:${inv}:${name}`);
  } catch {
    /* no storage: nothing left behind */
  }
}

// The page of /receipts/{sid}: a receipt stored in this browser is filled
// in and checked at once.
export async function startReceipts(app) {
  await quietManifest(app);
  await wipeClosedLeftovers(app);
  app.restoreLang();
  const stored = storedReceipts(app);
  receiptsPage(app, stored[0] || '', stored.length > 0);
}

// A link of a closed survey (served with HTTP 410).
export async function startClosed(app) {
  await quietManifest(app);
  app.restoreLang();
  showClosed(app);
}

// The receipt once the server has the answers; already: they were sent
// before this page was loaded.
export function showReceipt(app, receipt, already) {
  app.rerender = () => showReceipt(app, receipt, already);
  const code = receipt.receipt;
  const url = window.location.origin + publicPath(app);
  const result = h('div', { class: 'check-result', id: 'check-result', role: 'status' });
  app.show(
    [
      h(
        'section',
        { class: 'panel done', id: 'done' },
        h('h2', { tabindex: '-1', text: app.t(already ? 'alreadyHeading' : 'doneHeading') }),
        h('p', { text: app.t(receipt.spent ? 'alreadySpent' : 'doneThanks') }),
        receiptBox(app, code),
        receipt.check === false ? h('p', { class: 'notice warn', text: app.t('receiptMismatch') }) : null,
        h('p', { text: app.t('receiptNote') }),
        h('p', { text: app.t('receiptCheck') }),
        h('p', { class: 'url' }, h('a', { href: url, rel: 'noreferrer', text: url })),
        h('p', {}, h('button', { type: 'button', class: 'btn', id: 'check', text: app.t('checkButton'), onclick: () => checkReceipt(app, code, result) })),
        result,
      ),
    ],
    { toggle: true, title: app.t(already ? 'alreadyHeading' : 'doneHeading') },
  );
  app.focusHeading();
}
