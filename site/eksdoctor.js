// eksdoctor.js: the ES module pages import to use eksdoctor. load() starts
// the WebAssembly build in a Web Worker, so analysis never blocks the page,
// and resolves to a client:
//
//   import { load } from "./eksdoctor.js";
//   const eksdoctor = await load();
//   const report = await eksdoctor.analyze(text, { redact: true });
//
// Every method returns a Promise. Each load() starts its own worker; call
// terminate() on a client you no longer need. The worker, wasm_exec.js and
// the wasm are found beside this module (import.meta.url), under the
// content-hashed names build.mjs gives them.

/* global EKSDOCTOR_ASSETS -- defined by build.mjs: {worker, wasm, wasmExec} file names */
const assets = EKSDOCTOR_ASSETS;
const here = (name) => new URL(name, import.meta.url).href;

// newWorker starts worker.js. Browsers only run workers from the page's own
// origin, so a page that loads this module from another origin gets a
// same-origin blob worker that imports the real one (the host must send
// CORS headers and the page's CSP must allow worker-src blob:).
function newWorker(url) {
  if (new URL(url).origin === location.origin) return new Worker(url);
  const blob = new Blob([`importScripts(${JSON.stringify(url)});`], { type: "text/javascript" });
  const blobURL = URL.createObjectURL(blob);
  setTimeout(() => URL.revokeObjectURL(blobURL), 60_000);
  return new Worker(blobURL);
}

/**
 * Starts eksdoctor in a new Web Worker.
 * @returns {Promise<{version: string, functions: string[],
 *   analyze(text: string, options?: object): Promise<object>,
 *   restore(original: string, text: string): Promise<string>,
 *   rules(): Promise<object[]>,
 *   has(fn: string): boolean,
 *   call(fn: string, ...args: string[]): Promise<string>,
 *   terminate(): void}>}
 * has and call reach functions later builds of the wasm add (such as
 * canI and simulateTrust) before this module learns their names.
 */
export function load() {
  return new Promise((resolve, reject) => {
    const worker = newWorker(here(assets.worker)); // a throw here rejects
    const pending = new Map();
    let nextID = 0;
    let stopped = ""; // why the worker can no longer answer, once it cannot

    const stop = (reason) => {
      stopped = reason;
      for (const { reject } of pending.values()) reject(new Error(reason));
      pending.clear();
      reject(new Error(reason)); // no effect once load() has resolved
    };

    const call = (fn, ...args) => {
      if (stopped) return Promise.reject(new Error(stopped));
      const id = nextID++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, fn, args });
      });
    };

    worker.onerror = (e) => {
      e.preventDefault();
      stop(`eksdoctor's worker failed: ${e.message || "could not load its script"}`);
    };
    worker.onmessage = ({ data }) => {
      switch (data.type) {
        case "ready": {
          const functions = data.functions || [];
          resolve({
            version: data.version,
            functions,
            has: (fn) => functions.includes(fn),
            call,
            analyze: (text, options = {}) => call("analyze", text, JSON.stringify(options)).then(JSON.parse),
            restore: (original, text) => call("restore", original, text),
            rules: () => call("rules").then(JSON.parse),
            terminate() {
              worker.terminate();
              stop("eksdoctor was terminated");
            },
          });
          break;
        }
        case "failed":
          stop(data.error);
          break;
        case "exited":
          stop("eksdoctor stopped unexpectedly; reload the page");
          break;
        default: {
          const p = pending.get(data.id);
          pending.delete(data.id);
          if (data.error === undefined) p?.resolve(data.result);
          else p?.reject(new Error(data.error));
        }
      }
    };
    worker.postMessage({ type: "start", wasmExec: here(assets.wasmExec), wasm: here(assets.wasm) });
  });
}
