// bench.js: the page the benchmarks of internal/dev/e2e drive. It runs
// eksdoctor.wasm on the main thread, where its linear memory can be read,
// and times the start-up (fetching, compiling and instantiating the
// module; running the Go program until it has set globalThis.eksdoctor)
// and the first analysis. window.started resolves to those times;
// window.analyzeAll(names, rounds) analyses the inputs the server has
// under those names, in turn, rounds times, and resolves to the time of
// each call (the call alone: the page decodes the report it answers) and
// the size of the linear memory after the last.
"use strict";

const fetchInput = async (name) => {
  const res = await fetch(`input/${name}`);
  if (!res.ok) throw new Error(`input ${name}: HTTP ${res.status}`);
  return res.text();
};

let memory = null;

window.started = (async () => {
  const first = await fetchInput("first");
  const t0 = performance.now();
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch("eksdoctor.wasm"), go.importObject);
  const t1 = performance.now();
  go.run(instance);
  const t2 = performance.now();
  const report = JSON.parse(globalThis.eksdoctor.analyze(first));
  const t3 = performance.now();
  if (report.error) throw new Error(report.error);
  memory = instance.exports.mem;
  return { instantiateMs: t1 - t0, initMs: t2 - t1, firstAnalyzeMs: t3 - t2, memoryBytes: memory.buffer.byteLength };
})();

window.analyzeAll = async (names, rounds) => {
  await window.started;
  const texts = await Promise.all(names.map(fetchInput));
  const times = [];
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      const t0 = performance.now();
      const answer = globalThis.eksdoctor.analyze(text);
      times.push(performance.now() - t0);
      const report = JSON.parse(answer);
      if (report.error) throw new Error(report.error);
    }
  }
  return { times, memoryBytes: memory.buffer.byteLength };
};
