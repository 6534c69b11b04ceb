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
// the two wasm modules (worker.js says which answers) are found beside
// this module (import.meta.url), under the content-hashed names build.mjs
// gives them.

/* global EKSDOCTOR_ASSETS -- defined by build.mjs: {worker, wasm, wasmLight, wasmExec} file names */
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
 *   onRestart(listener: (reason: string) => void): void,
 *   terminate(): void}>}
 * has and call reach functions later builds of the wasm add (such as
 * canI and simulateTrust) before this module learns their names.
 *
 * If the worker dies once started (the wasm ran out of memory, a call
 * threw out of it and left it unusable, or the browser killed it), the
 * calls it held fail with the reason, a new worker
 * starts at once, and onRestart listeners hear why; later calls go to the
 * new worker. Only if a worker cannot start at all does the client stop.
 */
export function load() {
  return new Promise((resolveLoad, rejectLoad) => {
    let worker = null;
    let pending = new Map();
    let nextID = 0;
    let stopped = ""; // why no worker can answer any more, once none can
    let started = null; // resolves when the current worker is ready
    const restartListeners = new Set();

    // spawn starts a worker and resolves with its "ready" message.
    const spawn = () => new Promise((ready, failed) => {
      const mine = new Map();
      const w = newWorker(here(assets.worker)); // a throw here rejects
      worker = w;
      pending = mine;
      let up = false;
      const died = (reason) => {
        if (worker !== w) return; // an old worker, already replaced
        for (const { reject } of mine.values()) reject(new Error(reason));
        mine.clear();
        w.terminate();
        if (!up) {
          failed(new Error(reason));
          return;
        }
        for (const listener of restartListeners) listener(reason);
        started = spawn();
        started.catch((err) => stop(err.message));
      };
      w.onerror = (e) => {
        e.preventDefault();
        died(`eksdoctor's worker failed: ${e.message || "could not load its script"}`);
      };
      w.onmessage = ({ data }) => {
        switch (data.type) {
          case "ready":
            up = true;
            ready(data);
            break;
          case "failed":
            died(data.error);
            break;
          case "exited":
            died("eksdoctor's engine stopped (it may have run out of memory), so it was started again");
            break;
          default: {
            const p = mine.get(data.id);
            mine.delete(data.id);
            if (data.error === undefined) p?.resolve(data.result);
            else p?.reject(new Error(data.error));
          }
        }
      };
      w.postMessage({ type: "start", wasmExec: here(assets.wasmExec), wasm: here(assets.wasmLight), wasmFull: here(assets.wasm) });
    });

    const stop = (reason) => {
      stopped = reason;
      for (const { reject } of pending.values()) reject(new Error(reason));
      pending.clear();
      rejectLoad(new Error(reason)); // no effect once load() has resolved
    };

    const call = async (fn, ...args) => {
      if (stopped) throw new Error(stopped);
      await started;
      if (stopped) throw new Error(stopped);
      const id = nextID++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, fn, args });
      });
    };

    started = spawn();
    started.then((data) => {
      const functions = data.functions || [];
      resolveLoad({
        version: data.version,
        functions,
        has: (fn) => functions.includes(fn),
        call,
        analyze: (text, options = {}) => call("analyze", text, JSON.stringify(options)).then(JSON.parse),
        restore: (original, text) => call("restore", original, text),
        rules: () => call("rules").then(JSON.parse),
        onRestart: (listener) => restartListeners.add(listener),
        terminate() {
          worker.terminate();
          stop("eksdoctor was terminated");
        },
      });
    }, (err) => stop(err.message));
  });
}
