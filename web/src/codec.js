// Byte encodings of the token protocol (docs/ARCHITECTURE.md §3): base64url without
// padding, lowercase hex, and the length-prefixed POPRF info string.

export function b64urlEncode(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// Returns the bytes, or throws on anything that is not unpadded base64url of
// exactly `len` bytes (when len is given).
export function b64urlDecode(str, len) {
  if (typeof str !== 'string' || !/^[A-Za-z0-9_-]*$/.test(str) || str.length % 4 === 1)
    throw new Error('not base64url');
  const pad = str.length % 4 ? '='.repeat(4 - (str.length % 4)) : '';
  const bin = atob(str.replace(/-/g, '+').replace(/_/g, '/') + pad);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  if (len !== undefined && out.length !== len) throw new Error('wrong length');
  return out;
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// lp(x) = 2-byte big-endian length || UTF-8 bytes of x.
function lp(str) {
  const b = new TextEncoder().encode(str);
  if (b.length > 0xffff) throw new Error('info field too long');
  const out = new Uint8Array(2 + b.length);
  out[0] = b.length >> 8;
  out[1] = b.length & 0xff;
  out.set(b, 2);
  return out;
}

// info = lp("koe/1") || lp(survey_id) || lp(segment_code)
export function tokenInfo(survey, segment) {
  const parts = [lp('koe/1'), lp(survey), lp(segment)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
