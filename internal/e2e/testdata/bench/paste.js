// paste.js: the page BenchmarkFirstPaste drives. It starts eksdoctor the
// way a page that embeds it does (the site's eksdoctor.js, whose worker
// warms itself up while idle), waits until it is ready and then as long
// as a person takes to paste, and times the first analysis of the input
// "first-light", through the worker. window.firstPaste resolves to
// {readyMs, firstAnalyzeMs}.
import { load } from "/eksdoctor.js";

// pasteDelayMs is how long after the page is ready the paste comes: a
// person has to click and paste, which takes longer than this.
const pasteDelayMs = 1000;

window.firstPaste = (async () => {
  const res = await fetch("input/first-light");
  if (!res.ok) throw new Error(`input first-light: HTTP ${res.status}`);
  const text = await res.text();
  const t0 = performance.now();
  const client = await load();
  const readyMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, pasteDelayMs));
  const t1 = performance.now();
  const report = await client.analyze(text);
  const firstAnalyzeMs = performance.now() - t1;
  if (report.error) throw new Error(report.error);
  client.terminate();
  return { readyMs, firstAnalyzeMs };
})();
