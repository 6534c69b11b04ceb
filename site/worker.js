// worker.js: runs eksdoctor.wasm in a Web Worker for eksdoctor.js. It
// answers {id, fn, args} messages with {id, result} or {id, error}, and
// announces itself with {type: "ready", version} or {type: "failed", error}.
"use strict";

importScripts("wasm_exec.js");

const wasmURL = "eksdoctor.wasm";

async function start() {
  const go = new Go();
  const res = await fetch(wasmURL);
  if (!res.ok) throw new Error(`could not fetch ${wasmURL}: HTTP ${res.status}`);
  // Hosts that send another Content-Type defeat streaming compilation.
  const { instance } = (res.headers.get("Content-Type") || "").startsWith("application/wasm")
    ? await WebAssembly.instantiateStreaming(res, go.importObject)
    : await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
  go.run(instance).then(() => postMessage({ type: "exited" }));
  if (!self.eksdoctor) throw new Error("eksdoctor.wasm did not start");
  return self.eksdoctor;
}

const ready = start();
ready.then(
  (api) => postMessage({ type: "ready", version: api.version }),
  (err) => postMessage({ type: "failed", error: `eksdoctor could not start: ${err.message || err}` }),
);

onmessage = async ({ data: { id, fn, args } }) => {
  try {
    const api = await ready;
    if (typeof api[fn] !== "function") throw new Error(`eksdoctor has no function ${fn}`);
    postMessage({ id, result: api[fn](...args) });
  } catch (err) {
    postMessage({ id, error: String(err.message || err) });
  }
};
