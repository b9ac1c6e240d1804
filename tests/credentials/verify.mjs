// Independent check of a credential issued by the Python app, with `jose` (not our code):
//   node tests/credentials/verify.mjs FILE
// FILE holds a VC-JWT, or an EnvelopedVerifiableCredential carrying one in a data: URL.
// The issuer's keys come from the JWKS it serves (/.well-known/jwks.json, found from the
// credential's issuer did:web). The status list credential the credential points to is fetched,
// its signature checked the same way, and the credential's bit read from the GZIP'd bitstring.
// Prints one JSON line {state, reason, ...}; exits 0 valid, 2 revoked, 3 expired, 1 invalid.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import * as jose from "jose";

function out(code, state, reason, extra = {}) {
  console.log(JSON.stringify({ state, reason, ...extra }));
  process.exit(code);
}

function didWebToUrl(did) {
  if (!did.startsWith("did:web:")) throw new Error(`issuer ${did} is not a did:web`);
  const host = decodeURIComponent(did.slice("did:web:".length).split(":")[0]);
  const scheme = host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https";
  return `${scheme}://${host}`;
}

let text = readFileSync(process.argv[2], "utf8").trim();
if (text.startsWith("{")) {
  const enveloped = JSON.parse(text);
  text = String(enveloped.id || "").replace(/^data:application\/vc\+jwt,/, "");
}

let payload;
let jwks;
try {
  const unverified = jose.decodeJwt(text);
  const origin = didWebToUrl(unverified.issuer.id);
  jwks = jose.createRemoteJWKSet(new URL("/.well-known/jwks.json", origin));
  ({ payload } = await jose.jwtVerify(text, jwks, { typ: "vc+jwt", algorithms: ["Ed25519", "EdDSA"] }));
} catch (error) {
  out(1, "invalid", `${error.code || error.name}: ${error.message}`);
}

if (!payload.type?.includes("OpenBadgeCredential")) out(1, "invalid", "not an OpenBadgeCredential");
if (payload.validUntil && new Date(payload.validUntil) < new Date()) out(3, "expired", payload.validUntil);

const entry = payload.credentialStatus;
const response = await fetch(entry.statusListCredential);
if (!response.ok) out(1, "invalid", `status list: HTTP ${response.status}`);
const { payload: list } = await jose.jwtVerify(await response.text(), jwks, { typ: "vc+jwt" });
const encoded = list.credentialSubject.encodedList;
if (!encoded.startsWith("u")) out(1, "invalid", "encodedList is not multibase base64url");
const bits = gunzipSync(Buffer.from(encoded.slice(1), "base64url"));
const index = Number(entry.statusListIndex);
const revoked = (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
const facts = { id: payload.id, name: payload.credentialSubject.achievement.name, index, listBytes: bits.length };
if (revoked) out(2, "revoked", `bit ${index} is set in ${entry.statusListCredential}`, facts);
out(0, "valid", "signature checked against the served JWKS; not revoked", facts);
