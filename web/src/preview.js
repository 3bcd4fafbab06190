// `koe preview` (docs/ARCHITECTURE.md §3.6): the same page, for HR, before
// any link exists. The server marks the page data-state="preview" (or
// "preview-error" when the file has errors, which the server has already
// written on the page) and puts a banner on top. Here the employee's flow is
// run without what needs a real survey: no token (the start button opens the
// form), nothing
// kept in the browser (a store in memory), and sending shows "not saved"
// instead of reaching a server. Everything else (questions, pages, English,
// required checks, conditions) is app.js and questions.js as employees get
// them.
import { api } from './api.js';
import { clear, h } from './dom.js';
import { itemKeys } from './questions.js';

const WORDS = {
  ja: {
    heading: 'プレビュー：回答は保存されていません',
    text: '送信ボタンを押しても、回答はどこにも送られず、保存もされません。実際の調査では、ここで受付番号が表示されます。',
    sent: '送信される内容（回答キーと値）',
    none: '（回答なし）',
    again: '最初からやり直す',
    group: 'プレビュー（実際の調査では回答者のグループ）',
    noFile: '質問票を読み込めませんでした。',
  },
  en: {
    heading: 'Preview: answers not saved',
    text: 'Sending reached no server and nothing was kept. In the real survey, the receipt would be shown here.',
    sent: 'What would be sent (answer keys and values)',
    none: '(no answers)',
    again: 'Start again',
    group: "Preview (the respondent's group in the real survey)",
    noFile: 'The questionnaire could not be read.',
  },
};

// Values live in this page only: a reload starts afresh, and nothing of a
// preview is left in the browser.
class MemoryStore {
  constructor() {
    this.map = new Map();
    this.prefix = 'preview:';
    this.persistent = true; // no "cannot save" warning: keeping nothing is the point
  }

  get(name) {
    return this.map.has(name) ? this.map.get(name) : null;
  }

  set(name, value) {
    this.map.set(name, JSON.parse(JSON.stringify(value)));
  }

  del(name) {
    this.map.delete(name);
  }
}

const words = (app) => WORDS[app.lang === 'en' ? 'en' : 'ja'];

// Starts the page for `koe preview`.
export async function startPreview(app) {
  app.store = new MemoryStore();
  if (app.state === 'preview-error') {
    // The server wrote koe check's lines above; nothing to run.
    clear(app.root);
    return;
  }
  app.loading('loading');
  const res = await api.manifest(app.survey);
  if (res.status !== 200 || !res.body || !Array.isArray(res.body.questions)) {
    const msg = res.body && res.body.message ? res.body.message : `HTTP ${res.status}`;
    app.message('error', 'errorHeading', `${words(app).noFile} ${msg}`, [{ label: 'retry', run: () => window.location.reload() }]);
    return;
  }
  const m = res.body;
  // The key and the group exist only once the survey is opened.
  for (const s of m.segments || []) {
    s.label = words(app).group;
    delete s.invited;
  }
  app.manifest = m;
  app.setLang(m.language === 'en' ? 'en' : 'ja');
  app.keyMap = new Map();
  for (const q of m.questions) for (const k of itemKeys(q)) app.keyMap.set(k, q);
  app.token = { input: '', output: '' };
  // The start screen employees see first; its button opens the form here
  // instead of fetching a token.
  app.begin = async () => app.openForm(true);
  app.startScreen();
}

// Called by App.submit() with the answers it would send: shows them and
// that nothing was sent, and forgets them.
export function previewSubmitted(app, answers, btn) {
  app.sending = false;
  if (btn) {
    btn.disabled = false;
    btn.textContent = app.t('submit');
  }
  const shown = Object.entries(answers);
  const render = () => {
    app.rerender = render;
    const w = words(app);
    app.show(
      [
        h(
          'section',
          { class: 'panel msg preview-done', id: 'preview-done' },
          h('h2', { tabindex: '-1', text: w.heading }),
          h('p', { text: w.text }),
          h('h3', { text: w.sent }),
          shown.length
            ? h(
                'dl',
                { class: 'facts preview-sent', lang: 'en' },
                shown.map(([k, v]) => [h('dt', {}, h('code', { text: k })), h('dd', { text: JSON.stringify(v) })]),
              )
            : h('p', { text: w.none }),
          h(
            'div',
            { class: 'actions' },
            h('button', {
              type: 'button',
              class: 'btn primary',
              id: 'preview-again',
              text: w.again,
              onclick: () => {
                app.answers = {};
                app.page = 0;
                app.store.del('draft');
                app.renderForm(true);
              },
            }),
          ),
        ),
      ],
      { toggle: app.canSwitch(), title: w.heading },
    );
    app.focusHeading();
  };
  // What would have been sent is not kept: only this screen shows it.
  app.answers = {};
  app.store.del('draft');
  render();
}
