// The token protocol of docs/ARCHITECTURE.md §3 between a real `koe serve` and the
// client code the page uses (@noble/curves' RFC 9497 POPRF), without a
// browser: issuance with a verified proof, idempotent retries, one blinded
// element per invite, redemption with the receipt BLAKE2b-256(input), double
// spending, tokens bound to their segment, tampered outputs, and the error
// answers the page relies on.
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { join } from 'node:path';
import { cleanup, getJson, postJson, responded, setup, SRC, stop, Tally } from './lib/koe.mjs';

const T = new Tally();
const SURVEY = 'alumni-readiness-2026';

const b64 = (b) => Buffer.from(b).toString('base64url');
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64url'));
const hex = (b) => Buffer.from(b).toString('hex');

function lp(s) {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}
const info = (survey, segment) => new Uint8Array(Buffer.concat([lp('koe/1'), lp(survey), lp(segment)]));

// One client-side issuance: blind, POST /api/v1/issue, and (when asked and
// the answer is 200) finalize, which verifies the proof.
async function issue(k, pk, invite, segment, { input, blinded: reuse } = {}) {
  const poprf = ristretto255_oprf.poprf(info(SURVEY, segment));
  const inp = input || crypto.getRandomValues(new Uint8Array(32));
  const b = reuse || poprf.blind(inp, pk);
  const res = await postJson(`${k.base}/api/v1/issue`, { invite, blinded: b64(b.blinded) });
  return { res, input: inp, b, poprf };
}

function finalize(x) {
  const { res, input, b, poprf } = x;
  return poprf.finalize(input, b.blind, unb64(res.body.evaluated), b.blinded, unb64(res.body.proof), b.tweakedKey);
}

// Valid answers for every item of the manifest.
function answersFor(manifest) {
  const a = {};
  for (const q of manifest.questions) {
    if (q.type === 'matrix') q.rows.forEach((r, i) => (a[r.key] = q.columns[i % q.columns.length].value));
    else if (q.type === 'nps') a[q.key] = 9;
    else if (q.type === 'single') a[q.key] = q.choices[0].value;
    else if (q.type === 'multiple') a[q.key] = [q.choices[0].value, q.choices[2].value];
    else if (q.type === 'text') a[q.key] = 'テストの回答です。';
  }
  return a;
}

const respond = (k, segment, input, output, answers) =>
  postJson(`${k.base}/api/v1/responses`, {
    survey: SURVEY,
    segment,
    token: { input: b64(input), output: b64(output) },
    answers,
  });

const isError = (body) => !!body && typeof body.error === 'string' && typeof body.message === 'string';

let k = null;
await T.scenario('interop', async () => {
  k = await setup([join(SRC, 'surveys', 'alumni-readiness.txt')]);
  const links = k.surveys[SURVEY].links;

  const man = await getJson(`${k.base}/api/v1/surveys/${SURVEY}`);
  T.eq('manifest: 200', man.status, 200);
  const m = man.body;
  const pk = unb64(m.public_key);
  T.eq('manifest: public key is 32 bytes', pk.length, 32);
  T.eq('manifest: key_id = hex(SHA-256(public_key))', m.key_id, hex(sha256(pk)));
  T.eq('manifest: key_id is the fingerprint koe open printed', m.key_id, k.surveys[SURVEY].fingerprint);
  T.eq('manifest: two groups', m.segments.map((s) => [s.code, s.invited]), [['g01', 7], ['g02', 5]]);

  // The page tells the employee's segment; read it as the browser would.
  const segOf = async (link) => {
    const r = await fetch(k.base + link.path);
    const html = await r.text();
    const mm = /data-segment="([^"]*)"/.exec(html);
    return { status: r.status, csp: r.headers.get('content-security-policy') || '', segment: mm ? mm[1] : null, html };
  };
  const [e01, e02, e03, e08] = [links[0], links[1], links[2], links[7]];
  const p1 = await segOf(e01);
  T.eq('page: 200', p1.status, 200);
  T.ok('page: CSP allows scripts from self only', /script-src 'self'/.test(p1.csp) && !/unsafe-inline/.test(p1.csp), p1.csp);
  T.ok('page: no template placeholder left', !/\{\{[A-Z]+\}\}/.test(p1.html));
  T.ok('page: survey id in data-survey', p1.html.includes(`data-survey="${SURVEY}"`));
  T.eq('page: E01 is in g01', p1.segment, 'g01');
  T.eq('page: E08 is in g02', (await segOf(e08)).segment, 'g02');

  // Issuance with a verified proof.
  const a = await issue(k, pk, e01.invite, 'g01');
  T.eq('issue: 200', a.res.status, 200);
  T.eq('issue: survey and segment', [a.res.body.survey, a.res.body.segment], [SURVEY, 'g01']);
  T.eq('issue: evaluated is 32 bytes, proof 64', [unb64(a.res.body.evaluated).length, unb64(a.res.body.proof).length], [32, 64]);
  let out1 = null;
  try {
    out1 = finalize(a);
  } catch (e) {
    T.ok('issue: proof verifies', false, String(e));
  }
  T.ok('issue: proof verifies, output is 64 bytes', out1 && out1.length === 64);

  // The proof binds the segment: finalizing as if for g02 fails.
  let wrongInfoFails = false;
  try {
    const other = ristretto255_oprf.poprf(info(SURVEY, 'g02'));
    other.finalize(a.input, a.b.blind, unb64(a.res.body.evaluated), a.b.blinded, unb64(a.res.body.proof), other.blind(a.input, pk).tweakedKey);
  } catch {
    wrongInfoFails = true;
  }
  T.ok('issue: a proof does not verify under another segment', wrongInfoFails);

  // Retries are idempotent; a different blinded element is refused.
  const again = await issue(k, pk, e01.invite, 'g01', { input: a.input, blinded: a.b });
  T.eq('issue retry with the same blinded: 200', again.res.status, 200);
  T.eq('issue retry: same evaluated element', again.res.body && again.res.body.evaluated, a.res.body.evaluated);
  let out1b = null;
  try {
    out1b = finalize(again);
  } catch {
    out1b = null;
  }
  T.ok('issue retry: proof verifies, same output', out1b && hex(out1b) === hex(out1));
  const other = await issue(k, pk, e01.invite, 'g01');
  T.eq('issue with a different blinded for the same invite: 409', other.res.status, 409);
  T.ok('issue 409: error body', isError(other.res.body), other.res.body);

  // Malformed and unknown requests.
  const unknown = await postJson(`${k.base}/api/v1/issue`, { invite: 'AAAAAAAAAAAAAAAAAAAAAA', blinded: a.res.body.evaluated });
  T.eq('issue for an unknown invite: 404', unknown.status, 404);
  T.ok('issue 404: error body', isError(unknown.body), unknown.body);
  const bad = await postJson(`${k.base}/api/v1/issue`, { invite: e02.invite, blinded: 'not base64url!' });
  T.eq('issue with a malformed blinded element: 400', bad.status, 400);
  T.ok('issue 400: error body', isError(bad.body), bad.body);

  // Redemption.
  const answers = answersFor(m);
  const invalid = { ...answers, enps: 11 };
  delete invalid.rehire_terms;
  const r422 = await respond(k, 'g01', a.input, out1, invalid);
  T.eq('responses with invalid answers: 422', r422.status, 422);
  const codes = r422.body && Array.isArray(r422.body.errors) ? r422.body.errors.map((e) => [e.question, e.code]).sort() : null;
  T.eq('responses 422: range and required errors by item key', codes, [['enps', 'range'], ['rehire_terms', 'required']]);
  T.ok('responses 422: every error has a message', r422.body && r422.body.errors.every((e) => typeof e.message === 'string' && e.message));

  const r201 = await respond(k, 'g01', a.input, out1, answers);
  T.eq('responses: 201 (the 422 did not spend the token)', r201.status, 201);
  T.eq('responses: receipt = hex(BLAKE2b-256(input))', r201.body && r201.body.receipt, hex(blake2b(a.input, { dkLen: 32 })));
  const r409 = await respond(k, 'g01', a.input, out1, answers);
  T.eq('responses with a spent token: 409', r409.status, 409);
  T.ok('responses 409: error body', isError(r409.body), r409.body);

  // A token issued for g02 does not pass as g01; it does as g02.
  const g = await issue(k, pk, e08.invite, 'g02');
  T.eq('issue for a g02 invite: 200, segment g02', [g.res.status, g.res.body && g.res.body.segment], [200, 'g02']);
  const outG = finalize(g);
  const wrongSeg = await respond(k, 'g01', g.input, outG, answers);
  T.eq('responses with a token of another segment: 403', wrongSeg.status, 403);
  T.ok('responses 403: error body', isError(wrongSeg.body), wrongSeg.body);
  T.eq('responses with the same token in its own segment: 201', (await respond(k, 'g02', g.input, outG, answers)).status, 201);

  // A tampered output is refused and does not spend the token.
  const c = await issue(k, pk, e03.invite, 'g01');
  const outC = finalize(c);
  const tampered = Uint8Array.from(outC);
  tampered[17] ^= 0x01;
  T.eq('responses with a tampered output: 403', (await respond(k, 'g01', c.input, tampered, answers)).status, 403);
  const okC = await respond(k, 'g01', c.input, outC, answers);
  T.eq('responses with the untampered token afterwards: 201', okC.status, 201);

  const rec = await getJson(`${k.base}/api/v1/surveys/${SURVEY}/receipts`);
  T.eq('receipts while open: 403', rec.status, 403);

});

const exit = await stop(k);
T.eq('koe serve exits 0 on SIGTERM', exit && exit.code, 0);
// Exact counts after closing (while open, koe status rounds them down).
T.eq('koe status: responded 3', responded(k, SURVEY, true).count, 3);
if (T.failed && k) console.log(`--- koe serve output ---\n${k.serverLog}`);
cleanup(k);
T.finish();
