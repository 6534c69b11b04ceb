// worker.js: runs eksdoctor's wasm in a Web Worker for eksdoctor.js. The
// first message, {type: "start", wasmExec, wasm}, gives the URLs of
// wasm_exec.js and the wasm. It then answers {id, fn, args} messages with
// {id, result} or {id, error}, and announces itself with
// {type: "ready", version, functions} or {type: "failed", error}.
"use strict";

let ready = null;

async function start({ wasmExec, wasm }) {
  importScripts(wasmExec);
  const go = new Go();
  const res = await fetch(wasm);
  if (!res.ok) throw new Error(`could not fetch ${wasm}: HTTP ${res.status}`);
  // Hosts that send another Content-Type defeat streaming compilation.
  const { instance } = (res.headers.get("Content-Type") || "").startsWith("application/wasm")
    ? await WebAssembly.instantiateStreaming(res, go.importObject)
    : await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
  go.run(instance).then(() => postMessage({ type: "exited" }));
  if (!self.eksdoctor) throw new Error("the wasm did not start");
  return self.eksdoctor;
}

onmessage = async ({ data }) => {
  if (data.type === "start") {
    ready ??= start(data);
    ready.then(
      (api) => postMessage({
        type: "ready",
        version: api.version,
        functions: Object.keys(api).filter((k) => typeof api[k] === "function"),
      }),
      (err) => postMessage({ type: "failed", error: `eksdoctor could not start: ${err.message || err}` }),
    );
    return;
  }
  const { id, fn, args } = data;
  try {
    if (!ready) throw new Error("eksdoctor was not started");
    const api = await ready;
    if (typeof api[fn] !== "function") throw new Error(`eksdoctor has no function ${fn}`);
    postMessage({ id, result: api[fn](...args) });
  } catch (err) {
    postMessage({ id, error: String(err.message || err) });
  }
};
