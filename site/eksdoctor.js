// eksdoctor.js: the ES module pages import to use eksdoctor. load() starts
// the WebAssembly build in a Web Worker, so analysis never blocks the page,
// and resolves to a client:
//
//   import { load } from "./eksdoctor.js";
//   const eksdoctor = await load();
//   const report = await eksdoctor.analyze(text, { redact: true });
//
// Every method returns a Promise. Each load() starts its own worker; call
// terminate() on a client you no longer need.

const workerURL = new URL("./worker.js", import.meta.url);

/**
 * Starts eksdoctor in a new Web Worker.
 * @returns {Promise<{version: string,
 *   analyze(text: string, options?: object): Promise<object>,
 *   restore(original: string, text: string): Promise<string>,
 *   rules(): Promise<object[]>,
 *   terminate(): void}>}
 */
export function load() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerURL); // a throw here rejects
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
      stop(`eksdoctor's worker failed: ${e.message || "could not load worker.js"}`);
    };
    worker.onmessage = ({ data }) => {
      switch (data.type) {
        case "ready":
          resolve({
            version: data.version,
            analyze: (text, options = {}) => call("analyze", text, JSON.stringify(options)).then(JSON.parse),
            restore: (original, text) => call("restore", original, text),
            rules: () => call("rules").then(JSON.parse),
            terminate() {
              worker.terminate();
              stop("eksdoctor was terminated");
            },
          });
          break;
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
  });
}
