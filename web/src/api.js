// The koe HTTP API (docs/ARCHITECTURE.md §3). Every request goes without cookies, without
// a referrer and around the cache, so nothing but the body ties a request to
// the browser that sent it.

export class NetworkError extends Error {}

const BASE = {
  credentials: 'omit',
  referrerPolicy: 'no-referrer',
  cache: 'no-store',
};

// Resolves to {status, body}; body is the parsed JSON or null. Rejects with
// NetworkError when no HTTP answer arrived at all.
async function call(path, init) {
  let res;
  try {
    res = await fetch(path, { ...BASE, ...init });
  } catch (e) {
    throw new NetworkError(String(e && e.message ? e.message : e));
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

function post(path, obj) {
  return call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(obj),
  });
}

const enc = encodeURIComponent;

export const api = {
  manifest: (survey) => call(`/api/v1/surveys/${enc(survey)}`, { method: 'GET' }),
  issue: (invite, blinded) => post('/api/v1/issue', { invite, blinded }),
  respond: (survey, segment, token, answers) =>
    post('/api/v1/responses', { survey, segment, token, answers }),
  receipts: (survey) => call(`/api/v1/surveys/${enc(survey)}/receipts`, { method: 'GET' }),
  receiptsPath: (survey) => `/api/v1/surveys/${enc(survey)}/receipts`,
};
