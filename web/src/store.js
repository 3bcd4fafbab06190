// What the page keeps on the employee's device, in localStorage, one JSON
// value per key, all keys of one link under "koe1:<invite>:":
//
//   pending  {survey, segment, publicKey, input, blind, blinded, tweakedKey}
//            the blinded request (base64url), written
//            before POST /api/v1/issue so a reload retries with the same
//            blinded element (the server answers it again; a new one would
//            get 409). Kept until the answers are accepted so a damaged
//            token can be finalized again.
//   token    {input, output}   the finalized token (base64url), written before
//            the form is shown; deleted once the answers are accepted.
//   draft    {answers, page}   the answers so far, saved on every change;
//            deleted once the answers are accepted.
//   receipt  {receipt, check}  the receipt; its presence means "answered".
//   lang     "ja" | "en"       the language the employee picked.
//
// Nothing here leaves the device except in the two API requests.
// When localStorage is unusable (some private modes), values live in memory
// and `persistent` is false, so the page can warn that closing loses them.

const mem = new Map();

function probe() {
  try {
    const k = 'koe1:probe';
    window.localStorage.setItem(k, '1');
    window.localStorage.removeItem(k);
    return true;
  } catch {
    return false;
  }
}

export class Store {
  constructor(invite) {
    this.prefix = `koe1:${invite}:`;
    this.persistent = probe();
  }

  get(name) {
    const k = this.prefix + name;
    let raw = null;
    if (this.persistent) {
      try {
        raw = window.localStorage.getItem(k);
      } catch {
        raw = null;
      }
    } else {
      raw = mem.has(k) ? mem.get(k) : null;
    }
    if (raw === null) return null;
    try {
      return JSON.parse(raw);
    } catch {
      return null;
    }
  }

  // Throws when the value cannot be stored: callers that must not go on
  // without it (the token) let that surface.
  set(name, value) {
    const k = this.prefix + name;
    const raw = JSON.stringify(value);
    if (this.persistent) window.localStorage.setItem(k, raw);
    else mem.set(k, raw);
  }

  del(name) {
    const k = this.prefix + name;
    if (this.persistent) {
      try {
        window.localStorage.removeItem(k);
      } catch {
        /* nothing to do */
      }
    } else {
      mem.delete(k);
    }
  }
}
