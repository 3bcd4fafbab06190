// Token issuance on the client side of RFC 9497 POPRF (ristretto255-SHA512),
// as fixed by docs/ARCHITECTURE.md §3. The server learns the invite and a blinded
// element; it never sees the input or the output, so the token redeemed later
// cannot be linked to the invite.
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { api } from './api.js';
import { b64urlDecode, b64urlEncode, hex, tokenInfo } from './codec.js';

// An issuance failure the page explains; `kind` picks the message.
export class IssueError extends Error {
  constructor(kind, detail) {
    super(kind);
    this.kind = kind;
    this.detail = detail || '';
  }
}

// True when key_id is hex(SHA-256(public_key)), so the fingerprint the page
// shows really is the key its tokens are checked against.
export function keyIdMatches(manifest) {
  try {
    return hex(sha256(b64urlDecode(manifest.public_key, 32))) === manifest.key_id;
  } catch {
    return false;
  }
}

// The receipt of a token: lowercase hex of BLAKE2b-256(input).
export function receiptOf(token) {
  return hex(blake2b(b64urlDecode(token.input, 32), { dkLen: 32 }));
}

// Returns the finalized token {input, output}, stored before it is returned.
// Reuses the stored blinded request if there is one (a reload during
// issuance, or a re-fetch after a damaged token), so the server sees the same
// blinded element again.
export async function obtainToken(store, { invite, survey, segment, publicKey }) {
  const poprf = ristretto255_oprf.poprf(tokenInfo(survey, segment));
  const pk = b64urlDecode(publicKey, 32);
  let pend = store.get('pending');
  if (!pend || pend.survey !== survey || pend.segment !== segment || pend.publicKey !== publicKey) {
    const input = crypto.getRandomValues(new Uint8Array(32));
    const b = poprf.blind(input, pk);
    pend = {
      survey,
      segment,
      publicKey,
      input: b64urlEncode(input),
      blind: b64urlEncode(b.blind),
      blinded: b64urlEncode(b.blinded),
      tweakedKey: b64urlEncode(b.tweakedKey),
    };
    store.set('pending', pend); // before the request: see store.js
  }

  const { status, body } = await api.issue(invite, pend.blinded);
  if (status !== 200) {
    const kinds = { 404: 'badLink', 409: 'otherDevice', 410: 'closed' };
    throw new IssueError(kinds[status] || 'server', (body && body.message) || `HTTP ${status}`);
  }
  if (!body || body.survey !== survey || body.segment !== segment)
    throw new IssueError('mismatch');

  let output;
  try {
    output = poprf.finalize(
      b64urlDecode(pend.input, 32),
      b64urlDecode(pend.blind, 32),
      b64urlDecode(body.evaluated, 32),
      b64urlDecode(pend.blinded, 32),
      b64urlDecode(body.proof, 64),
      b64urlDecode(pend.tweakedKey, 32),
    );
  } catch {
    // The proof does not verify against the published key (or the answer
    // is malformed): this token would not be the one the key promises.
    throw new IssueError('proof');
  }
  const token = { input: pend.input, output: b64urlEncode(output) };
  store.set('token', token);
  return token;
}
