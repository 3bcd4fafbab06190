// Shared by the tests in tests/web/: a real `koe` in a temporary directory
// (koe open with a generated roster, then koe serve on a free loopback
// port), a CSV reader for links.csv, and a tally of named checks that ends
// with the line "N passed, M failed".
//
// Environment: KOE_BIN (the built koe; default build/koe), KOE_SRC (the
// repository; default the working directory).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SRC = resolve(process.env.KOE_SRC || process.cwd());
export const BIN = resolve(process.env.KOE_BIN || join(SRC, 'build', 'koe'));

// ---- checks -------------------------------------------------------------

export class Tally {
  constructor() {
    this.passed = 0;
    this.failed = 0;
  }

  ok(name, cond, detail) {
    if (cond) {
      this.passed++;
      console.log(`ok   ${name}`);
    } else {
      this.failed++;
      console.log(`FAIL ${name}${detail !== undefined ? `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}` : ''}`);
    }
    return !!cond;
  }

  eq(name, actual, expected) {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    return this.ok(name, a === e, `got ${a}, expected ${e}`);
  }

  // Runs a scenario; an exception fails it (and skips the rest of it).
  async scenario(name, fn) {
    console.log(`# ${name}`);
    try {
      await fn();
    } catch (e) {
      this.ok(`${name}: ran to the end`, false, String(e && e.stack ? e.stack : e));
    }
  }

  finish() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    process.exit(this.failed === 0 && this.passed > 0 ? 0 : 1);
  }
}

// ---- a koe installation ---------------------------------------------------

// The roster: one department; tenure splits it into a group of 7 and a group
// of 5 whose tenure is merged to '*' for anonymity (4-10年 has 3 people,
// 11年以上 has 2).
export function rosterCsv() {
  const rows = ['employee_id,email,name,department,tenure'];
  for (let i = 1; i <= 12; i++) {
    const tenure = i <= 7 ? '1-3年' : i <= 10 ? '4-10年' : '11年以上';
    rows.push(`E${String(i).padStart(2, '0')},e${i}@example.jp,社員 ${i},営業部,${tenure}`);
  }
  return rows.join('\r\n') + '\r\n';
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function run(args, opts = {}) {
  const r = spawnSync(BIN, args, {
    encoding: 'utf8',
    env: { ...process.env, KOE_KDF_MEMLIMIT: '8388608', ...(opts.env || {}) },
    timeout: 60000,
  });
  if (r.error) throw r.error;
  return r;
}

// Parses links.csv (UTF-8 with BOM, CRLF, quoted fields) into
// [{employee_id, email, name, link, path, invite}].
export function readLinks(file) {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows;
  return body.map((r) => {
    const o = Object.fromEntries(head.map((h, i) => [h, r[i]]));
    const u = new URL(o.link);
    o.path = u.pathname;
    o.invite = u.pathname.replace(/^\/s\//, '');
    return o;
  });
}

// Creates a temporary directory with a roster, opens every survey file in
// one database and returns what the tests need. Call stop() at the end.
export async function setup(surveyFiles) {
  const dir = mkdtempSync(join(tmpdir(), 'koe-web-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const k = {
    dir,
    port,
    base,
    db: join(dir, 'koe.db'),
    key: join(dir, 'koe.key'),
    surveys: {},
    server: null,
    serverLog: '',
  };
  writeFileSync(join(dir, 'roster.csv'), rosterCsv());
  writeFileSync(join(dir, 'pass.txt'), 'correct horse battery staple\n');
  surveyFiles.forEach((file, n) => {
    const out = join(dir, `links-${n}.csv`);
    const r = run([
      'open', file,
      '--roster', join(dir, 'roster.csv'),
      '--base-url', base,
      '--db', k.db,
      '--key', k.key,
      '--out', out,
      '--passphrase-file', join(dir, 'pass.txt'),
    ]);
    if (r.status !== 0) throw new Error(`koe open ${file} exited ${r.status}: ${r.stderr}${r.stdout}`);
    const id = /Survey '([^']+)' is open/.exec(r.stdout);
    // Printed in groups of four, eight to a line, as the page shows it.
    const fpm = /fingerprint[^\n]*\n((?:[ \n]*[0-9a-f]{4}){16})/.exec(r.stdout);
    const fp = fpm ? [null, fpm[1].replace(/\s+/g, '')] : null;
    if (!id) throw new Error(`koe open printed no survey id: ${r.stdout}`);
    k.surveys[id[1]] = { file, links: readLinks(out), fingerprint: fp ? fp[1] : null, openOutput: r.stdout };
  });
  await startServer(k);
  return k;
}

async function startServer(k) {
  const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${k.port}`, '--db', k.db, '--key', k.key], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  k.server = proc;
  k.exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
  proc.stdout.on('data', (d) => (k.serverLog += d));
  proc.stderr.on('data', (d) => (k.serverLog += d));
  let gone = null;
  k.exited.then((e) => (gone = e));
  const sid = Object.keys(k.surveys)[0];
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`koe serve exited early (${JSON.stringify(gone)}): ${k.serverLog}`);
    try {
      const r = await fetch(`${k.base}/api/v1/surveys/${sid}`);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`koe serve did not answer within 20 s: ${k.serverLog}`);
}

// SIGTERM; resolves to the exit {code, signal} (signal 'timeout' after 15 s,
// when the process is killed).
export async function stop(k) {
  if (!k || !k.server) return null;
  let result = null;
  if (k.server.exitCode === null && k.server.signalCode === null) {
    k.server.kill('SIGTERM');
    const timer = new Promise((res) => setTimeout(() => res(null), 15000));
    result = await Promise.race([k.exited, timer]);
    if (!result) {
      k.server.kill('SIGKILL');
      result = { code: null, signal: 'timeout' };
    }
  } else {
    result = await k.exited;
  }
  k.server = null;
  return result;
}

export function cleanup(k) {
  if (k && k.dir) rmSync(k.dir, { recursive: true, force: true });
}

// `koe status SURVEY`: the number after "responded". While a survey is open
// koe status rounds it down to steps of MinGroup (include/koe/dc.h), so
// exact counts need the survey closed: closeFirst runs `koe close` first
// (after the server has stopped).
export function responded(k, survey, closeFirst = false) {
  if (closeFirst) run(['close', survey, '--yes', '--db', k.db]);
  const r = run(['status', survey, '--db', k.db]);
  const m = /responded (\d+)( |$)/m.exec(r.stdout);
  return { count: m ? Number(m[1]) : null, output: r.stdout + r.stderr };
}

export async function getJson(url, init) {
  const r = await fetch(url, init);
  let body = null;
  try {
    body = await r.json();
  } catch {
    body = null;
  }
  return { status: r.status, body };
}

export function postJson(url, obj) {
  return getJson(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof obj === 'string' ? obj : JSON.stringify(obj),
  });
}

// `koe reissue EMPLOYEE SURVEY`: the employee's link is replaced.
export function reissue(k, survey, employee) {
  const r = run(['reissue', employee, survey, '--db', k.db, '--key', k.key]);
  if (r.status !== 0) throw new Error(`koe reissue exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

// `koe close SURVEY --yes` (the server may be running: it sees the change).
export function closeSurvey(k, survey) {
  const r = run(['close', survey, '--yes', '--db', k.db]);
  if (r.status !== 0) throw new Error(`koe close ${survey} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

// ---- the browser -----------------------------------------------------------

/* A page of a new context, with the script errors and CSP violations it
 * reports in problems and the POST requests whose URL keepPost accepts in
 * posts. */
export async function openPage(browser, viewport, keepPost) {
  const ctx = await browser.newContext({ viewport, locale: 'ja-JP', deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (msg) => {
    // Answers with status 4xx are expected in some scenarios; anything else
    // (a CSP violation, an exception) is a problem.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && keepPost(r.url())) posts.push(r);
  });
  return { ctx, page, problems, posts };
}

let axeSource = null;

/* axe-core on the page as it is: a named check that finds no serious or
 * critical violation; the minor ones are printed. */
export async function checkAxe(T, page, label) {
  axeSource ??= readFileSync(join(SRC, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of res.filter((x) => !bad.includes(x))) console.log(`     axe (${v.impact}) ${v.id}: ${v.nodes.join(', ')}`);
  T.eq(`${label}: axe finds no serious or critical violation`, bad, []);
}
