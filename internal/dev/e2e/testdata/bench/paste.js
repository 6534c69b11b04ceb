// paste.js: the page BenchmarkFirstPaste and BenchmarkAnalyzeInWorker
// drive. It starts eksdoctor the way a page that embeds it does (the
// site's eksdoctor.js, whose worker warms itself up while idle), waits
// until it is ready and then as long as a person takes to paste, and
// times the first analysis of the input "first-light", through the
// worker. window.firstPaste resolves to {readyMs, firstAnalyzeMs}.
// window.analyzeAll(names, rounds) then analyses the inputs the server
// has under those names, in turn, rounds times, through the worker, and
// resolves to the time of each call as the page sees it (the worker
// choosing its module, the messages, the report decoded).
import { load } from "/eksdoctor.js";

// pasteDelayMs is how long after the page is ready the paste comes: a
// person has to click and paste, which takes longer than this.
const pasteDelayMs = 1000;

const fetchInput = async (name) => {
  const res = await fetch(`input/${name}`);
  if (!res.ok) throw new Error(`input ${name}: HTTP ${res.status}`);
  return res.text();
};

const t0 = performance.now();
const client = load();

window.firstPaste = (async () => {
  const text = await fetchInput("first-light");
  const c = await client;
  const readyMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, pasteDelayMs));
  const t1 = performance.now();
  const report = await c.analyze(text);
  const firstAnalyzeMs = performance.now() - t1;
  if (report.error) throw new Error(report.error);
  return { readyMs, firstAnalyzeMs };
})();

window.analyzeAll = async (names, rounds) => {
  await window.firstPaste;
  const c = await client;
  const texts = await Promise.all(names.map(fetchInput));
  const times = [];
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      const t = performance.now();
      const report = await c.analyze(text);
      times.push(performance.now() - t);
      if (report.error) throw new Error(report.error);
    }
  }
  return { times };
};
