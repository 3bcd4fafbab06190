// One question of the manifest as accessible form controls, and the checks
// of a page before moving on.
//
// Every answer lives in ctx.answers, keyed by the manifest's item keys (the
// question's `key`, or each Matrix row's `key`); ctx.onChange(key, value)
// is called on every change (value undefined: unanswered). Choice groups are
// <fieldset>s with a <legend>; a Matrix is one group of fieldsets, one per
// statement, laid out as a table on wide screens by CSS only.
import { h, html } from './dom.js';

const DEFAULT_MAX_CHARS = 4000;

// The item keys a question answers, in order.
export function itemKeys(q) {
  if (q.type === 'descriptive') return [];
  if (q.type === 'matrix') return (q.rows || []).map((r) => r.key);
  return [q.key];
}

function answered(v) {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

// The keys of q that are required and still unanswered.
export function missingRequired(q, answers) {
  if (q.type === 'descriptive') return [];
  if (q.type === 'matrix')
    return (q.rows || []).filter((r) => (q.required || r.required) && !answered(answers[r.key])).map((r) => r.key);
  return q.required && !answered(answers[q.key]) ? [q.key] : [];
}

// The answers object to submit: unanswered items omitted, text as typed.
export function answersToSend(questions, answers) {
  const out = {};
  for (const q of questions)
    for (const k of itemKeys(q)) if (answered(answers[k])) out[k] = answers[k];
  return out;
}

const qid = (q) => `q-${q.id}`;

function requiredMark(q, ctx) {
  return q.required ? h('span', { class: 'req', text: ctx.t('required') }) : null;
}

function errorSlot(q) {
  return h('p', { class: 'q-err', id: `${qid(q)}-err`, hidden: true });
}

// A group of radios or checkboxes named `name` for `options` [{value, tx}].
function optionList(name, type, options, checked, onPick, extraClass) {
  return h(
    'div',
    { class: `opts ${extraClass || ''}` },
    options.map((o) => {
      const id = `i-${name}-${o.value}`;
      const input = h('input', {
        type,
        id,
        name: `a:${name}`,
        value: String(o.value),
        checked: checked(o.value),
        onchange: (ev) => onPick(o.value, ev.target.checked),
      });
      return h('label', { class: 'opt', for: id }, input, html('span', { class: 'opt-text' }, o.tx));
    }),
  );
}

function renderDescriptive(q, ctx) {
  return h('div', { class: 'q q-desc', id: qid(q), 'data-q': q.id }, html('div', { class: 'q-text' }, ctx.tx(q)));
}

function renderChoice(q, ctx) {
  const multiple = q.type === 'multiple';
  const key = q.key;
  const choices = (q.choices || []).map((c) => ({ value: c.value, tx: ctx.tx(c) }));

  if (!multiple && q.layout === 'dropdown') {
    const id = `i-${key}`;
    const cur = ctx.answers[key];
    const select = h(
      'select',
      {
        id,
        name: `a:${key}`,
        'aria-required': q.required ? 'true' : false,
        onchange: (ev) => ctx.onChange(key, ev.target.value === '' ? undefined : Number(ev.target.value)),
      },
      h('option', { value: '', text: ctx.t('selectPrompt') }),
      choices.map((c) => {
        // <option> shows text only: the allow-listed HTML is flattened
        // in an inert <template>.
        const tmp = document.createElement('template');
        tmp.innerHTML = c.tx.html.replace(/<br\s*\/?>/gi, ' ');
        return h('option', { value: String(c.value), selected: cur === c.value, text: tmp.content.textContent });
      }),
    );
    return h(
      'div',
      { class: 'q q-select', id: qid(q), 'data-q': q.id },
      h('label', { class: 'q-label', for: id }, html('span', { class: 'q-text' }, ctx.tx(q)), requiredMark(q, ctx)),
      errorSlot(q),
      select,
    );
  }

  const checked = multiple
    ? (v) => Array.isArray(ctx.answers[key]) && ctx.answers[key].includes(v)
    : (v) => ctx.answers[key] === v;
  const onPick = multiple
    ? (v, on) => {
        const cur = new Set(Array.isArray(ctx.answers[key]) ? ctx.answers[key] : []);
        if (on) cur.add(v);
        else cur.delete(v);
        const list = choices.map((c) => c.value).filter((x) => cur.has(x));
        ctx.onChange(key, list.length ? list : undefined);
      }
    : (v) => ctx.onChange(key, v);
  return h(
    'div',
    { class: 'q q-choice', id: qid(q), 'data-q': q.id },
    h(
      'fieldset',
      { class: 'q-field' },
      h('legend', { class: 'q-label' }, html('span', { class: 'q-text' }, ctx.tx(q)), requiredMark(q, ctx)),
      errorSlot(q),
      optionList(key, multiple ? 'checkbox' : 'radio', choices, checked, onPick, q.layout === 'horizontal' ? 'horizontal' : 'vertical'),
    ),
  );
}

function renderMatrix(q, ctx) {
  const cols = (q.columns || []).map((c) => ({ value: c.value, tx: ctx.tx(c) }));
  const textId = `${qid(q)}-text`;
  const head = h(
    'div',
    { class: 'mx-head', 'aria-hidden': 'true' },
    h('span', { class: 'mx-corner' }),
    cols.map((c) => html('span', { class: 'mx-col' }, c.tx)),
  );
  const rows = (q.rows || []).map((r) =>
    h(
      'fieldset',
      { class: 'mx-row', 'data-key': r.key },
      html('legend', { class: 'mx-stmt' }, ctx.tx(r)),
      optionList(r.key, 'radio', cols, (v) => ctx.answers[r.key] === v, (v) => ctx.onChange(r.key, v), 'mx-opts'),
    ),
  );
  const grid = h('div', { class: 'matrix' }, head, rows);
  // The number of scale points sizes the table layout (CSSOM, which the
  // page's CSP allows, unlike style attributes).
  grid.style.setProperty('--cols', String(cols.length));
  return h(
    'div',
    { class: 'q q-matrix', id: qid(q), 'data-q': q.id, role: 'group', 'aria-labelledby': textId },
    h('p', { class: 'q-label', id: textId }, html('span', { class: 'q-text' }, ctx.tx(q)), requiredMark(q, ctx)),
    errorSlot(q),
    grid,
  );
}

function renderNps(q, ctx) {
  const key = q.key;
  const endsId = `${qid(q)}-ends`;
  const low = ctx.t('npsLow');
  const high = ctx.t('npsHigh');
  const values = Array.from({ length: 11 }, (_, i) => ({ value: i, tx: { html: String(i) } }));
  return h(
    'div',
    { class: 'q q-nps', id: qid(q), 'data-q': q.id },
    h(
      'fieldset',
      { class: 'q-field', 'aria-describedby': endsId, 'data-desc': endsId },
      h('legend', { class: 'q-label' }, html('span', { class: 'q-text' }, ctx.tx(q)), requiredMark(q, ctx)),
      errorSlot(q),
      optionList(key, 'radio', values, (v) => ctx.answers[key] === v, (v) => ctx.onChange(key, v), 'nps-scale'),
      h(
        'div',
        { class: 'nps-ends', id: endsId },
        h('span', { class: 'sr-only', text: ctx.t('npsEnds', { low, high }) }),
        h('span', { class: 'nps-low', 'aria-hidden': 'true', text: `0 = ${low}` }),
        h('span', { class: 'nps-high', 'aria-hidden': 'true', text: `10 = ${high}` }),
      ),
    ),
  );
}

function renderText(q, ctx) {
  const key = q.key;
  const id = `i-${key}`;
  const countId = `${qid(q)}-count`;
  const max = q.max_chars || DEFAULT_MAX_CHARS;
  const value = typeof ctx.answers[key] === 'string' ? ctx.answers[key] : '';
  const counter = h('p', { class: 'counter', id: countId });
  const setCount = (s) => {
    counter.textContent = ctx.t('counter', { n: s.length, max });
    counter.classList.toggle('near', s.length > max * 0.9);
  };
  setCount(value);
  const attrs = {
    id,
    name: `a:${key}`,
    maxlength: String(max),
    'aria-required': q.required ? 'true' : false,
    'aria-describedby': countId,
    'data-desc': countId,
    oninput: (ev) => {
      setCount(ev.target.value);
      ctx.onChange(key, ev.target.value === '' ? undefined : ev.target.value);
    },
  };
  const field = q.multiline
    ? h('textarea', { ...attrs, rows: '7' })
    : h('input', {
        ...attrs,
        type: 'text',
        autocomplete: 'off',
        // Enter in a one-line answer must not send the whole survey.
        onkeydown: (ev) => {
          if (ev.key === 'Enter' && !ev.isComposing) ev.preventDefault();
        },
      });
  field.value = value;
  return h(
    'div',
    { class: `q q-text-${q.multiline ? 'essay' : 'line'}`, id: qid(q), 'data-q': q.id },
    h('label', { class: 'q-label', for: id }, html('span', { class: 'q-text' }, ctx.tx(q)), requiredMark(q, ctx)),
    errorSlot(q),
    field,
    counter,
  );
}

export function renderQuestion(q, ctx) {
  switch (q.type) {
    case 'descriptive':
      return renderDescriptive(q, ctx);
    case 'single':
    case 'multiple':
      return renderChoice(q, ctx);
    case 'matrix':
      return renderMatrix(q, ctx);
    case 'nps':
      return renderNps(q, ctx);
    case 'text':
      return renderText(q, ctx);
    default:
      // A type this page does not know: say so rather than drop it silently.
      return h('div', { class: 'q', id: qid(q), 'data-q': q.id }, html('div', { class: 'q-text' }, ctx.tx(q)));
  }
}

// The element that carries the group's accessible description.
function describedEl(qEl) {
  return qEl.querySelector('fieldset.q-field, select, textarea, input[type=text]') || qEl;
}

// Shows msg under the question's label (null clears it) and marks the items
// in missingKeys (Matrix rows) as needing an answer.
export function setError(qEl, msg, missingKeys) {
  const err = qEl.querySelector('.q-err');
  if (!err) return;
  const target = qEl.classList.contains('q-matrix') ? qEl : describedEl(qEl);
  const base = (target.getAttribute('data-desc') || '').split(' ').filter(Boolean);
  // The failing controls: a Matrix's missing rows (each row's group also
  // described by the message), else every control of the question.
  const rows = qEl.querySelectorAll('.mx-row');
  let failing = [];
  for (const row of rows) {
    const miss = !!msg && (missingKeys || []).includes(row.getAttribute('data-key'));
    row.classList.toggle('missing', miss);
    if (miss) {
      row.setAttribute('aria-describedby', err.id);
      failing.push(...row.querySelectorAll('input'));
    } else row.removeAttribute('aria-describedby');
  }
  if (!rows.length && msg) failing = [...qEl.querySelectorAll('input, select, textarea')];
  for (const el of qEl.querySelectorAll('input, select, textarea')) {
    if (failing.includes(el)) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }
  if (msg) {
    err.textContent = msg;
    err.hidden = false;
    qEl.classList.add('has-error');
    target.setAttribute('aria-describedby', [err.id, ...base].join(' '));
  } else {
    err.textContent = '';
    err.hidden = true;
    qEl.classList.remove('has-error');
    if (base.length) target.setAttribute('aria-describedby', base.join(' '));
    else target.removeAttribute('aria-describedby');
  }
}

// The control to move focus to for a question with an error: the first
// missing Matrix row's first option, else the question's first control.
export function focusTarget(qEl, missingKeys) {
  const byName = (k) => qEl.querySelectorAll(`[name="${CSS.escape(`a:${k}`)}"]`);
  for (const k of missingKeys || []) {
    const els = byName(k);
    if (els.length) return els[0];
  }
  return qEl.querySelector('input, select, textarea');
}
