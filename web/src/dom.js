// Tiny DOM helpers. Everything from the network is inserted with textContent,
// except question and choice texts, which the server has already reduced to
// an allow-list (<br>, <b>, <i>, entities): those go through html().

// h('p', {class: 'x', text: 'hello'}, child, ...) builds an element.
// Attribute values: strings set attributes; true sets an empty boolean
// attribute; false/null/undefined are skipped; on<Event> adds a listener.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// A manifest text {html, lang} (see App.tx) as an element whose content is the
// server's allow-listed HTML; lang is set when it differs from the page's.
export function html(tag, attrs, tx) {
  const el = h(tag, attrs);
  el.innerHTML = tx.html;
  if (tx.lang) el.setAttribute('lang', tx.lang);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}
