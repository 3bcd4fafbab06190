// The employee's page at /s/<invite> (docs/ARCHITECTURE.md §2 step 3, §3).
//
// Order of events: a stored receipt means "already answered" and nothing else
// happens. Otherwise the manifest is fetched and checked (our group is in it,
// the key matches its fingerprint). Without a stored token the start screen
// comes next: nothing ties the link to this browser until the employee
// presses 「回答を始める」 (a mail scanner or a preview that runs the script
// leaves the link fresh). Then a token is obtained and stored, and only then
// is the form shown. Answers are kept as a
// draft on every change and sent with the token in a separate request; the
// receipt replaces token and draft once the server has accepted them. See
// store.js for what is kept on the device, and receipts.js for the screens
// that show and check a receipt (after sending, after closing, the public
// page /receipts/{sid}).
import { api, NetworkError } from './api.js';
import { clear, h } from './dom.js';
import { t } from './i18n.js';
import { pagesShown, shownIds } from './conditions.js';
import { answersToSend, focusTarget, itemKeys, missingRequired, renderQuestion, setError } from './questions.js';
import { previewSubmitted, startPreview } from './preview.js';
import { showClosed, showReceipt, startClosed, startReceipts } from './receipts.js';
import { Store } from './store.js';
import { IssueError, keyIdMatches, obtainToken, receiptOf } from './token.js';

const ERROR_CODES = {
  required: 'errRequired',
  type: 'errType',
  range: 'errRange',
  unknown: 'errUnknown',
  too_long: 'errTooLong',
  duplicate: 'errDuplicate',
  not_shown: 'errOther',
};

class App {
  constructor() {
    const body = document.body;
    this.survey = body.getAttribute('data-survey') || '';
    this.segment = body.getAttribute('data-segment') || '';
    // open: the form; closed: a link after `koe close` (HTTP 410);
    // receipts: the survey's public receipt page (/receipts/{sid}).
    this.state = body.getAttribute('data-state') || 'open';
    const m = /^\/s\/([^/]+)\/?$/.exec(window.location.pathname);
    this.invite = m ? decodeURIComponent(m[1]) : '';
    this.root = document.getElementById('app');
    this.langSlot = document.getElementById('lang-slot');
    this.titleEl = document.getElementById('title');
    this.pageLang = document.documentElement.lang === 'en' ? 'en' : 'ja';
    this.store = new Store(this.invite || '-');
    this.lang = this.pageLang;
    this.manifest = null;
    this.token = null;
    this.answers = {};
    this.page = 0;
    this.serverErrors = new Map(); // question id -> {msg, keys}
    this.notice = null; // one-off message shown above the form
    this.restarted = false;
    this.sending = false;
    this.rerender = null;
  }

  t(key, vars) {
    return t(key, this.lang, vars);
  }

  // ---- language ---------------------------------------------------------

  // A manifest text in the page's language: {html, lang}, lang set only when
  // the text is not in the language the page is shown in.
  tx(obj) {
    const surveyLang = this.manifest ? this.manifest.language : this.pageLang;
    if (this.lang !== surveyLang && obj.text_en && this.lang === 'en') return { html: obj.text_en };
    return { html: obj.text || '', lang: this.lang !== surveyLang ? surveyLang : undefined };
  }

  // English is offered for a Japanese survey whose every question has it.
  canSwitch() {
    const m = this.manifest;
    return !!m && m.language === 'ja' && m.questions.every((q) => typeof q.text_en === 'string' && q.text_en !== '');
  }

  setLang(lang) {
    this.lang = lang;
    document.documentElement.lang = lang;
    const m = this.manifest;
    const title = m ? (lang === 'en' && m.title_en) || m.title : this.titleEl.textContent;
    this.titleEl.textContent = title;
    document.title = title;
    // The survey's own title stays in its language: say which.
    const titleLang = m ? (lang === 'en' && m.title_en ? 'en' : m.language) : this.pageLang;
    if (titleLang !== lang) this.titleEl.setAttribute('lang', titleLang);
    else this.titleEl.removeAttribute('lang');
  }

  // The language chosen earlier in this browser, else the page's.
  restoreLang() {
    const lang = this.store.get('lang');
    this.setLang(lang === 'ja' || lang === 'en' ? lang : this.pageLang);
  }

  renderToggle(show) {
    clear(this.langSlot);
    if (!show) return;
    const other = this.lang === 'ja' ? 'en' : 'ja';
    this.langSlot.append(
      h('button', {
        type: 'button',
        class: 'lang-toggle',
        lang: other,
        text: this.t('toggleTo'),
        onclick: () => {
          this.setLang(other);
          this.store.set('lang', other);
          if (this.rerender) this.rerender();
          const b = this.langSlot.querySelector('button');
          if (b) b.focus();
        },
      }),
    );
  }

  // ---- screens ----------------------------------------------------------

  show(children, { toggle = false, title = '' } = {}) {
    // Focus inside the screen being replaced would fall to <body>: it goes
    // to the new screen's heading instead (callers may move it on).
    const had = this.root.contains(document.activeElement);
    clear(this.root);
    for (const c of children) if (c) this.root.append(c);
    if (had && !this.root.contains(document.activeElement)) this.focusHeading();
    this.renderToggle(toggle);
    // Every screen names itself in the tab: "screen | survey".
    const survey = this.titleEl.textContent;
    document.title = title ? `${title} | ${survey}` : survey;
  }

  focusHeading() {
    const hd = this.root.querySelector('h2');
    if (hd) hd.focus({ preventScroll: false });
  }

  loading(key) {
    this.rerender = null;
    // Focus was on a button of the screen being replaced (「もう一度試す」,
    // 「回答を始める」): it goes to the status rather than to <body>.
    const had = this.root.contains(document.activeElement);
    const p = h('p', { class: 'loading', role: 'status', tabindex: '-1', text: this.t(key) });
    this.show([p], { title: this.t(key) });
    if (had) p.focus();
  }

  // A message screen: heading, text and optional buttons [{label, run}].
  message(kind, heading, text, actions) {
    this.rerender = () => this.message(kind, heading, text, actions);
    this.show([
      h(
        'section',
        { class: `panel msg msg-${kind}` },
        h('h2', { tabindex: '-1', text: this.t(heading) }),
        h('p', { text }),
        actions && actions.length
          ? h(
              'div',
              { class: 'actions' },
              actions.map((a) => h('button', { type: 'button', class: 'btn primary', text: this.t(a.label), onclick: a.run })),
            )
          : null,
      ),
    ], { title: this.t(heading), toggle: true });
    this.focusHeading();
  }

  fail(key, vars, retry) {
    const actions = retry ? [{ label: 'retry', run: retry }] : [];
    this.message('error', 'errorHeading', this.t(key, vars), actions);
  }

  // A link replaced by a newer one (a new e-mail, or a reissued link):
  // what it left in this browser is of no use any more.
  startReplaced() {
    this.restoreLang();
    this.forget();
    this.rerender = () => this.startReplaced();
    this.show(
      [
        h(
          'section',
          { class: 'panel msg msg-replaced', id: 'replaced' },
          h('h2', { tabindex: '-1', text: this.t('replacedHeading') }),
          h('p', { text: this.t('replacedText') }),
        ),
      ],
      { toggle: true, title: this.t('replacedHeading') },
    );
    this.focusHeading();
  }

  // ---- start ------------------------------------------------------------

  async start() {
    if (this.state.startsWith('preview')) return startPreview(this);
    if (this.state === 'receipts') return startReceipts(this);
    if (this.state === 'closed') return startClosed(this);
    if (this.state === 'replaced') return this.startReplaced();
    const lang = this.store.get('lang');
    if (lang === 'ja' || lang === 'en') this.setLang(lang);
    if (!this.invite) return this.fail('noInvite');

    const receipt = this.store.get('receipt');
    if (receipt && receipt.receipt) {
      this.forget(); // a draft another tab left behind
      return showReceipt(this, receipt, true);
    }
    // Another tab of this link sends its answers: this one is told at once
    // that what it shows was not sent (see otherTab).
    window.addEventListener('storage', (ev) => {
      if (ev.key === this.store.prefix + 'receipt' && ev.newValue && this.manifest && !this.finished) this.otherTab();
    });

    this.loading('loading');
    let res;
    try {
      res = await api.manifest(this.survey);
    } catch (e) {
      if (e instanceof NetworkError) return this.fail('network', null, () => this.start());
      throw e;
    }
    if (res.status === 404) return this.fail('noSurvey');
    if (res.status === 410) return showClosed(this);
    if (res.status !== 200 || !res.body || !Array.isArray(res.body.questions))
      return this.fail('server', { msg: (res.body && res.body.message) || `HTTP ${res.status}` }, () => this.start());

    const m = res.body;
    this.manifest = m;
    if (m.survey !== this.survey) return this.fail('mismatch');
    if (!(m.segments || []).some((s) => s.code === this.segment)) return this.fail('segmentUnknown');
    if (!keyIdMatches(m)) return this.fail('keyMismatch');
    this.setLang(this.canSwitch() && (lang === 'ja' || lang === 'en') ? lang : m.language === 'en' ? 'en' : 'ja');

    this.keyMap = new Map();
    for (const q of m.questions) for (const k of itemKeys(q)) this.keyMap.set(k, q);

    this.token = this.store.get('token');
    if (!this.token || !this.token.input || !this.token.output) {
      this.token = null;
      // The link is tied to this browser only by the employee's own click
      // on 「回答を始める」: loading the page (a mail scanner, a preview, a
      // private window) fetches nothing. A stored blinded request means the
      // employee clicked already and the issuance was interrupted: go on.
      if (!this.store.get('pending')) return this.startScreen();
      if (!(await this.fetchToken())) return;
    }
    this.openForm();
  }

  // The employee's deliberate start: the only place a first token is fetched.
  async begin() {
    if (this.sending) return;
    this.sending = true;
    const ok = await this.fetchToken();
    this.sending = false;
    if (ok) this.openForm(true);
  }

  startScreen() {
    this.rerender = () => this.startScreen();
    const m = this.manifest;
    const closes = m.closes ? this.formatDate(m.closes) : '';
    this.show(
      [
        h(
          'section',
          { class: 'panel start', id: 'start-panel', 'aria-labelledby': 'start-heading' },
          h('h2', { id: 'start-heading', tabindex: '-1', text: this.t('startHeading') }),
          h('p', { text: this.t('startBrowser') }),
          h('p', { text: this.t('startElsewhere') }),
          !this.store.persistent ? h('p', { class: 'notice warn', text: this.t('storageWarn') }) : null,
          closes ? h('p', { class: 'closes', text: this.t('closes', { date: closes }) }) : null,
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', class: 'btn primary', id: 'start', text: this.t('startButton'), onclick: () => this.begin() }),
          ),
        ),
      ],
      { toggle: this.canSwitch(), title: this.t('startHeading') },
    );
    this.focusHeading();
  }

  openForm(focus) {
    const draft = this.store.get('draft');
    if (draft && draft.answers && typeof draft.answers === 'object') {
      this.answers = draft.answers;
      this.page = Math.min(Math.max(0, draft.page | 0), this.pageCount() - 1);
      const pages = this.shownPages();
      if (!pages.includes(this.page)) this.page = pages.filter((p) => p < this.page).pop() || pages[0];
      if (Object.keys(this.answers).length) this.notice = 'draftRestored';
    }
    this.renderForm(!!focus);
  }

  // Obtains and stores a token; on failure shows why and returns false.
  async fetchToken() {
    this.loading('issuing');
    try {
      this.token = await obtainToken(this.store, {
        invite: this.invite,
        survey: this.survey,
        segment: this.segment,
        publicKey: this.manifest.public_key,
      });
      return true;
    } catch (e) {
      if (e instanceof NetworkError) this.fail('network', null, () => this.start());
      else if (e instanceof IssueError && e.kind === 'closed') showClosed(this);
      else if (e instanceof IssueError && e.kind === 'server') this.fail('server', { msg: e.detail }, () => this.start());
      else if (e instanceof IssueError && e.kind === 'otherDevice') {
        // No receipt here (that case never gets this far): the link was
        // started in another browser. The blinded request of this browser
        // is of no use any more.
        this.store.del('pending');
        this.message('error', 'otherDeviceHeading', this.t('otherDevice'));
      } else if (e instanceof IssueError) this.fail(e.kind);
      else if (e && e.name && /Quota|Security/.test(e.name)) this.fail('storageFailed');
      else this.fail('server', { msg: String(e && e.message ? e.message : e) }, () => this.start());
      return false;
    }
  }

  // ---- the form -----------------------------------------------------------

  pageCount() {
    const m = this.manifest;
    const last = m.questions.reduce((n, q) => Math.max(n, q.page | 0), 0);
    return Math.max(1, m.pages | 0, last + 1);
  }

  // Every question of page p, shown or not (hidden ones are rendered with
  // the hidden attribute, so an answer that reveals one keeps the focus).
  pageQuestions(p) {
    return this.manifest.questions.filter((q) => (q.page | 0) === p);
  }

  shownSet() {
    return shownIds(this.manifest, this.answers, itemKeys);
  }

  shownQuestions(p) {
    const shown = this.shownSet();
    return this.pageQuestions(p).filter((q) => shown.has(q.id));
  }

  // The only pages visited and counted by the progress bar.
  shownPages() {
    return pagesShown(this.manifest, this.shownSet(), this.pageCount());
  }

  // After an answer: questions its conditions reveal or hide appear or
  // disappear in place; when that changes the pages left, the form is
  // drawn again (progress, next or send) with the focus kept.
  updateShown() {
    const shown = this.shownSet();
    const key = [...shown].join('\n');
    if (key === this.shownKey) return;
    const before = this.shownKey.split('\n');
    const added = [...shown].filter((id) => !before.includes(id)).length;
    const removed = before.filter((id) => !shown.has(id)).length;
    this.shownKey = key;
    // Said politely to screen readers: the form changed below the answer.
    const say = () => {
      const live = document.getElementById('shown-live');
      if (live) live.textContent = added ? this.t('shownMore', { n: added }) : this.t('shownFewer', { n: removed });
    };
    const pagesKey = this.shownPages().join(',');
    if (pagesKey !== this.pagesKey) {
      const active = document.activeElement;
      const sel = active && active.name ? `[name="${CSS.escape(active.name)}"][value="${CSS.escape(active.value)}"]` : null;
      this.renderForm(false);
      const again = sel && document.querySelector(sel);
      if (again) again.focus();
      return say();
    }
    for (const q of this.pageQuestions(this.page)) {
      const el = document.getElementById(`q-${q.id}`);
      if (el) el.hidden = !shown.has(q.id);
    }
    say();
  }

  saveDraft() {
    try {
      this.store.set('draft', { answers: this.answers, page: this.page });
    } catch {
      /* the answers stay in memory; a full storage must not stop answering */
    }
  }

  onChange(key, value) {
    if (value === undefined) delete this.answers[key];
    else this.answers[key] = value;
    this.saveDraft();
    if (this.manifest.questions.some((x) => x.show_if) || (this.manifest.blocks || []).some((b) => b && b.show_if))
      this.updateShown();
    const q = this.keyMap.get(key);
    if (!q) return;
    const qEl = document.getElementById(`q-${q.id}`);
    if (!qEl || !qEl.classList.contains('has-error')) return;
    // Once answered, the question's message goes; a Matrix keeps it until
    // every required row is answered, with the count updated.
    this.serverErrors.delete(q.id);
    const miss = missingRequired(q, this.answers);
    if (!miss.length) setError(qEl, null);
    else if (q.type === 'matrix') setError(qEl, this.t('errRequiredRows', { n: miss.length }), miss);
  }

  blockName(p) {
    const q = this.shownQuestions(p)[0] || this.pageQuestions(p)[0];
    const b = q && this.manifest.blocks ? this.manifest.blocks[q.block | 0] : null;
    if (!b) return '';
    return (this.lang === 'en' && this.manifest.language !== 'en' && b.name_en) || b.name || '';
  }

  intro() {
    const m = this.manifest;
    const seg = m.segments.find((s) => s.code === this.segment);
    const label = String(seg.label || seg.code);
    const starred = label.includes('*');
    const shown = label.replace(/\*/g, this.t('starWord'));
    const fp = String(m.key_id).match(/.{1,4}/g) || [];
    const closes = m.closes ? this.formatDate(m.closes) : '';
    return h(
      'section',
      { class: 'panel intro', 'aria-labelledby': 'intro-group' },
      h('h3', { id: 'intro-group', text: this.t('groupHeading') }),
      h('p', { text: this.t('groupIntro') }),
      h(
        'p',
        { class: 'group' },
        // Group names are the roster's words, in the survey's language.
        h('strong', { class: 'group-label', lang: this.lang !== m.language ? m.language : false, text: shown }),
        typeof seg.invited === 'number' ? h('span', { class: 'group-size', text: this.t('groupInvited', { n: seg.invited }) }) : null,
      ),
      starred ? h('p', { class: 'small', text: this.t('groupStar') }) : null,
      h('p', { class: 'small', text: this.t('minGroup', { k: m.min_group }) }),
      Array.isArray(m.key_holders) && m.key_holders.length ? this.holders(m) : null,
      h('h3', { text: this.t('keyHeading') }),
      // Groups of four, laid out 4 or 8 to a line by CSS; a screen reader
      // or a copy gets them separated by spaces.
      h('p', { class: 'fp' }, h('code', { class: 'fingerprint' }, fp.map((g, i) => [i ? ' ' : '', h('span', { text: g })]))),
      h('p', { class: 'small', text: this.t('keyNote') }),
      h('details', { class: 'small tech' }, h('summary', { text: this.t('keyDetails') }), h('p', { text: this.t('keyTech') })),
      h('p', { class: 'later' }, this.t('laterNote')),
      closes ? h('p', { class: 'closes', text: this.t('closes', { date: closes }) }) : null,
    );
  }

  // The key holders' sentence; their names are the survey's words (lang
  // marked when the page is in the other language).
  holders(m) {
    const tpl = this.t(m.key_holders.length > 1 ? 'holdersMany' : 'holdersOne');
    const [before, after] = tpl.split('{names}');
    return h(
      'p',
      { class: 'small holders' },
      before,
      h('span', { lang: this.lang !== m.language ? m.language : false, text: m.key_holders.join(this.t('nameSep')) }),
      after || '',
    );
  }

  // The closing day with its weekday and the time answers are taken until:
  // [[Closes:]] names a day, so the whole day (until 23:59).
  formatDate(iso) {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!d) return iso;
    try {
      const day = new Intl.DateTimeFormat(this.lang === 'en' ? 'en-GB' : 'ja-JP', {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        weekday: 'short',
        timeZone: 'UTC',
      }).format(new Date(Date.UTC(+d[1], +d[2] - 1, +d[3])));
      return this.t('closesAt', { day });
    } catch {
      return iso;
    }
  }

  renderForm(focus) {
    this.rerender = () => this.renderForm(false);
    const pages = this.shownPages();
    const shown = this.shownSet();
    this.shownKey = [...shown].join('\n');
    this.pagesKey = pages.join(',');
    const p = this.page;
    // Pages whose questions are all hidden are skipped and not counted.
    const n = pages.length;
    const at = Math.max(0, pages.indexOf(p));
    const last = at === n - 1;
    const ctx = {
      lang: this.lang,
      t: (k, v) => this.t(k, v),
      tx: (o) => this.tx(o),
      answers: this.answers,
      onChange: (k, v) => this.onChange(k, v),
    };

    // A real <progress>, named by its own words ("9ページ中2ページ目");
    // the short "2 / 9" beside it is for the eye only.
    const progress = h(
      'div',
      { class: 'progress' },
      h('span', { class: 'progress-text', 'aria-hidden': 'true', text: this.t('progress', { i: at + 1, n }) }),
      h('progress', {
        class: 'bar',
        id: 'progress',
        max: String(n),
        value: String(at + 1),
        'aria-label': this.t('progressLabel', { i: at + 1, n }),
      }),
    );

    // On the first page the group and key panel comes after the texts that
    // introduce the survey and before the first question.
    const pageQs = this.pageQuestions(p);
    let lead = 0;
    while (lead < pageQs.length && pageQs[lead].type === 'descriptive' && shown.has(pageQs[lead].id)) lead++;
    const status = h('div', { class: 'form-status', id: 'form-status', role: 'alert', tabindex: '-1' });
    const questions = pageQs.map((q) => {
      const el = renderQuestion(q, ctx);
      if (!shown.has(q.id)) el.hidden = true;
      return el;
    });
    if (p === 0) questions.splice(lead, 0, this.intro());
    const submitBtn = h('button', {
      type: 'submit',
      class: 'btn primary',
      id: last ? 'submit' : 'next',
      text: this.t(last ? 'submit' : 'next'),
    });
    const nav = h(
      'div',
      { class: 'nav' },
      at > 0
        ? h('button', {
            type: 'button',
            class: 'btn',
            id: 'back',
            text: this.t('back'),
            onclick: () => this.goto(pages[at - 1]),
          })
        : h('span'),
      submitBtn,
    );
    const form = h(
      'form',
      {
        class: 'survey',
        novalidate: true,
        'aria-labelledby': 'page-heading',
        onsubmit: (ev) => {
          ev.preventDefault();
          if (last) this.submit();
          else this.next();
        },
        // Enter on a radio or a checkbox must not move on or send: only
        // the buttons do.
        onkeydown: (ev) => {
          const tg = ev.target;
          if (ev.key === 'Enter' && tg && tg.matches && tg.matches('input[type=radio], input[type=checkbox]')) ev.preventDefault();
        },
      },
      progress,
      h('h2', { id: 'page-heading', tabindex: '-1', text: this.blockName(p) || this.t('progressLabel', { i: at + 1, n }) }),
      this.notice ? h('p', { class: 'notice', role: 'status', text: this.t(this.notice) }) : null,
      !this.store.persistent ? h('p', { class: 'notice warn', text: this.t('storageWarn') }) : null,
      questions,
      h('p', { class: 'sr-only', id: 'shown-live', role: 'status' }),
      last ? h('p', { class: 'small final-note', text: this.t('finalNote') }) : null,
      status,
      nav,
    );
    this.notice = null;
    const block = this.blockName(p);
    this.show([form], {
      toggle: this.canSwitch(),
      title: `${this.t('progressLabel', { i: at + 1, n })}${block ? `: ${block}` : ''}`,
    });

    // Errors the server reported for questions of this page.
    for (const q of this.pageQuestions(p)) {
      const e = this.serverErrors.get(q.id);
      if (e) setError(document.getElementById(`q-${q.id}`), e.msg, e.keys);
    }
    if (focus) this.focusHeading();
  }

  goto(p) {
    this.page = p;
    this.saveDraft();
    this.renderForm(true);
    window.scrollTo(0, 0);
  }

  // Marks every unanswered required question of page p; returns the first
  // one's element and missing keys, or null when the page is complete. The
  // count goes to the status (a live region) as a summary.
  checkPage(p) {
    let first = null;
    let count = 0;
    for (const q of this.shownQuestions(p)) {
      const qEl = document.getElementById(`q-${q.id}`);
      const miss = missingRequired(q, this.answers);
      if (!miss.length) {
        if (!this.serverErrors.has(q.id)) setError(qEl, null);
        continue;
      }
      const msg = q.type === 'matrix' && q.rows.length > 1 ? this.t('errRequiredRows', { n: miss.length }) : this.t('errRequired');
      setError(qEl, msg, miss);
      count++;
      if (!first) first = { qEl, miss };
    }
    this.setStatus(count ? this.t('errSummaryRequired', { n: count }) : '');
    return first;
  }

  focusError(first) {
    const el = focusTarget(first.qEl, first.miss);
    first.qEl.scrollIntoView({ block: 'start' });
    if (el) el.focus({ preventScroll: true });
  }

  next() {
    const first = this.checkPage(this.page);
    if (first) return this.focusError(first);
    const pages = this.shownPages();
    this.goto(pages.find((x) => x > this.page) ?? this.page);
  }

  setStatus(text, actions, focus) {
    const st = document.getElementById('form-status');
    if (!st) return;
    clear(st);
    if (!text) return;
    st.append(h('p', { text }));
    if (focus) st.focus(); // once shown: an empty status is display: none
    if (actions && actions.length)
      st.append(
        h(
          'div',
          { class: 'actions' },
          actions.map((a) => h('button', { type: 'button', class: 'btn', text: this.t(a.label), onclick: a.run })),
        ),
      );
  }

  // retry: started from 「もう一度試す」, whose button goes away: focus is
  // put on the status, which says what happens next.
  async submit(retry) {
    if (this.sending) return;
    // Required questions on earlier pages (reachable after a server error
    // or an edited draft) are checked too: go to the first page lacking one.
    for (const p of this.shownPages()) {
      const missing = this.shownQuestions(p).some((q) => missingRequired(q, this.answers).length);
      if (!missing) continue;
      if (p !== this.page) {
        this.page = p;
        this.saveDraft();
        this.renderForm(false);
      }
      const first = this.checkPage(p);
      if (first) return this.focusError(first);
    }

    const btn = document.getElementById('submit');
    this.sending = true;
    if (btn) {
      btn.disabled = true;
      btn.textContent = this.t('sending');
    }
    if (retry) this.setStatus(this.t('sending'), null, true);
    else this.setStatus('');
    // Another tab finished first: nothing is sent from this one.
    const other = this.store.get('receipt');
    if (other && other.receipt) {
      this.sending = false;
      return this.otherTab();
    }
    const shown = this.shownSet();
    const answers = answersToSend(this.manifest.questions.filter((q) => shown.has(q.id)), this.answers);
    // `koe preview`: nothing is sent anywhere (preview.js).
    if (this.state === 'preview') return previewSubmitted(this, answers, btn);
    const tried = this.tried;
    this.tried = true;
    let res;
    try {
      res = await api.respond(this.survey, this.segment, { input: this.token.input, output: this.token.output }, answers);
    } catch (e) {
      this.sending = false;
      if (btn) {
        btn.disabled = false;
        btn.textContent = this.t('submit');
      }
      if (e instanceof NetworkError) return this.setStatus(this.t('network'), [{ label: 'retry', run: () => this.submit(true) }]);
      throw e;
    }
    this.sending = false;
    if (btn) {
      btn.disabled = false;
      btn.textContent = this.t('submit');
    }
    const body = res.body || {};

    if (res.status === 201 && typeof body.receipt === 'string') {
      const local = receiptOf(this.token);
      return this.accepted({ receipt: body.receipt, check: body.receipt === local }, false);
    }
    if (res.status === 409) {
      // Spent already. Before any attempt of this tab: another tab or
      // window sent its answers, not these.
      if (!tried) return this.otherTab();
      // Else a reply of ours lost on the way: the receipt is the hash of
      // our own input, so the employee still gets it.
      return this.accepted({ receipt: receiptOf(this.token), check: true, spent: true }, true);
    }
    if (res.status === 410) return showClosed(this);
    if (res.status === 422) return this.showServerErrors(body);
    if (res.status === 403) {
      if (this.restarted) return this.setStatus(this.t('tokenInvalidAgain'));
      return this.setStatus(this.t('tokenInvalid'), [{ label: 'restart', run: () => this.restart() }]);
    }
    if (res.status === 413) return this.setStatus(this.t('tooLarge'));
    return this.setStatus(this.t('server', { msg: body.message || `HTTP ${res.status}` }), [
      { label: 'retry', run: () => this.submit(true) },
    ]);
  }

  // After a 403: drop the stored token and obtain it again (from the same
  // stored blinded request, which the server answers again), then resend.
  async restart() {
    this.store.del('token');
    this.restarted = true;
    if (!(await this.fetchToken())) return;
    this.renderForm(false);
    this.submit();
  }

  showServerErrors(body) {
    const errs = Array.isArray(body.errors) ? body.errors : [];
    this.serverErrors.clear();
    const general = [];
    for (const e of errs) {
      const q = this.keyMap.get(e.question);
      if (!q) {
        general.push(e.message || e.code);
        continue;
      }
      const key = ERROR_CODES[e.code] || 'errOther';
      const msg =
        e.code === 'required' && q.type === 'matrix' && q.rows.length > 1
          ? this.t('errRequiredRows', { n: missingRequired(q, this.answers).length || 1 })
          : this.t(key, { max: q.max_chars || 4000 });
      const prev = this.serverErrors.get(q.id);
      const keys = prev ? prev.keys.concat(e.question) : [e.question];
      this.serverErrors.set(q.id, { msg, keys, page: q.page | 0 });
    }
    if (!this.serverErrors.size) {
      return this.setStatus(this.t('server', { msg: general.join(' ') || body.message || 'HTTP 422' }));
    }
    const firstPage = Math.min(...Array.from(this.serverErrors.values(), (e) => e.page));
    if (firstPage !== this.page) {
      this.page = firstPage;
      this.saveDraft();
    }
    this.renderForm(false);
    this.setStatus(this.t('errSummary', { n: this.serverErrors.size }));
    const [qid, e] = Array.from(this.serverErrors.entries()).find(([, v]) => v.page === firstPage);
    this.focusError({ qEl: document.getElementById(`q-${qid}`), miss: e.keys });
  }

  // Forgets everything about this link but the receipt and the language;
  // true when there was something to forget.
  forget() {
    let had = false;
    for (const name of ['token', 'draft', 'pending']) {
      if (this.store.get(name) !== null) had = true;
      this.store.del(name);
    }
    return had;
  }

  // The answers were sent from another tab or window of this link: the ones
  // shown here were not, and cannot be any more.
  otherTab() {
    this.finished = true;
    this.answers = {};
    const receipt = this.store.get('receipt');
    const actions = receipt && receipt.receipt ? [{ label: 'showReceipt', run: () => showReceipt(this, receipt, true) }] : [];
    this.message('warn', 'otherTabHeading', this.t('otherTab'), actions);
  }

  accepted(receipt, already) {
    this.finished = true;
    try {
      this.store.set('receipt', { ...receipt, survey: this.survey });
    } catch {
      /* shown below all the same */
    }
    this.forget();
    this.answers = {};
    showReceipt(this, receipt, already);
  }
}

function boot() {
  const app = new App();
  app.start().catch((e) => {
    app.fail('server', { msg: String(e && e.message ? e.message : e) }, () => window.location.reload());
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
