// share.js: share links. The (already redacted) text travels in the URL
// fragment, deflated and base64url-encoded: "#z=…". Browsers never send the
// fragment to a server, and nothing here makes a request.

const key = "z";
/** maxFragment caps a share link's fragment; longer pastes are shared by copying the redacted text. */
export const maxFragment = 64 * 1024;

function toBase64URL(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64URL(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function pipe(bytes, transform) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(transform)).arrayBuffer());
}

/** encodeFragment gives the fragment (without "#") that carries text. */
export async function encodeFragment(text) {
  const packed = await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
  return `${key}=${toBase64URL(packed)}`;
}

/**
 * decodeFragment reads the text a fragment ("#z=…" or "z=…") carries; it
 * returns null for a fragment that carries none and throws on a damaged one.
 */
export async function decodeFragment(fragment) {
  const params = new URLSearchParams(fragment.replace(/^#/, ""));
  const data = params.get(key);
  if (data === null) return null;
  const bytes = await pipe(fromBase64URL(data), new DecompressionStream("deflate-raw"));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/** exampleOf returns the example id a fragment names ("#example=…"), or "". */
export function exampleOf(fragment) {
  return new URLSearchParams(fragment.replace(/^#/, "")).get("example") || "";
}
