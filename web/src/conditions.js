// Display conditions ([[ShowIf]], docs/ARCHITECTURE.md §5.2): which
// questions a person is shown, from the answers given so far. The manifest
// carries each condition compiled by the server's parser: nodes in postfix
// order ({key, in: [[lo, hi], ...]} tests a key, {op: 'and'|'or', of: [i, j]}
// combines two earlier nodes), the last node being the condition. The server
// evaluates the same nodes and refuses an answer to a hidden question.

function has(value, lo, hi) {
  if (Array.isArray(value)) return value.some((v) => v >= lo && v <= hi);
  return typeof value === 'number' && value >= lo && value <= hi;
}

// Whether nodes (or null: no condition) hold for answers (key -> value).
export function holds(nodes, answers) {
  if (!Array.isArray(nodes) || !nodes.length) return true;
  const v = [];
  for (const n of nodes) {
    if (n.op === 'and') v.push(!!(v[n.of[0]] && v[n.of[1]]));
    else if (n.op === 'or') v.push(!!(v[n.of[0]] || v[n.of[1]]));
    else v.push((n.in || []).some(([lo, hi]) => has(answers[n.key], lo, hi)));
  }
  return v[v.length - 1];
}

// The ids of the questions shown, in questionnaire order. An answer counts
// only while its question is shown: a battery hidden again by a changed
// answer stops counting, as it does on the server (which never gets it).
export function shownIds(manifest, answers, keysOf) {
  const seen = {};
  const ids = new Set();
  const blocks = manifest.blocks || [];
  for (const q of manifest.questions) {
    const b = blocks[q.block | 0];
    if (!holds(b && b.show_if, seen) || !holds(q.show_if, seen)) continue;
    ids.add(q.id);
    for (const k of keysOf(q)) if (k in answers) seen[k] = answers[k];
  }
  return ids;
}

// The pages with at least one shown question (page 0 when none has).
export function pagesShown(manifest, shown, pageCount) {
  const pages = [];
  for (let p = 0; p < pageCount; p++)
    if (manifest.questions.some((q) => (q.page | 0) === p && shown.has(q.id))) pages.push(p);
  return pages.length ? pages : [0];
}
