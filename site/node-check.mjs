// Node check of the built site: loads the one dist/*.wasm with the stock
// wasm_exec.js (dist/wasm_exec.HASH.js) and exercises globalThis.eksdoctor as DESIGN.md specifies.
// Usage: node site/node-check.mjs DIST_DIR AWS_AUTH_SAMPLE
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";

const [dist, samplePath] = process.argv.slice(2);
if (!dist || !samplePath) {
  console.error("usage: node site/node-check.mjs DIST_DIR AWS_AUTH_SAMPLE");
  process.exit(2);
}
const files = readdirSync(dist);
const wasms = files.filter((f) => f.endsWith(".wasm"));
assert.equal(wasms.length, 1, `want exactly one .wasm in ${dist}, found ${wasms.join(", ") || "none"}`);
const wasmExecs = files.filter((f) => /^wasm_exec\.[0-9a-f]+\.js$/.test(f));
assert.equal(wasmExecs.length, 1, `want exactly one wasm_exec.HASH.js in ${dist}, found ${wasmExecs.join(", ") || "none"}`);

// Node 20 has a global crypto; Node 18 (Debian 12's nodejs) needs this.
globalThis.crypto ??= (await import("node:crypto")).webcrypto;
createRequire(import.meta.url)(resolve(dist, wasmExecs[0]));
const go = new globalThis.Go();
const { instance } = await WebAssembly.instantiate(readFileSync(join(dist, wasms[0])), go.importObject);
go.run(instance); // runs main until it blocks in select {}; never resolves
const api = globalThis.eksdoctor;
assert.ok(api, "the wasm did not set globalThis.eksdoctor");

const sample = readFileSync(samplePath, "utf8");
const report = JSON.parse(api.analyze(sample));
assert.equal(report.schema, 1);
assert.equal(report.error, "");
assert.ok(report.findings.some((f) => f.rule === "AUTH002"), "no system:masters finding in " + JSON.stringify(report.findings));
assert.ok(report.fixed && report.diff.includes("system:masters"), "no fix or diff");
assert.equal(api.restore(sample, report.redacted), sample, "restore(input, redacted) must give the input back");
assert.ok(!api.restore(sample, report.fixed).includes("system:masters"));
assert.equal(JSON.parse(api.analyze(sample, '{"redact": false}')).redacted, sample);
assert.ok(JSON.parse(api.rules()).some((r) => r.id === "AUTH002"));
assert.equal(typeof api.version, "string");
assert.notEqual(api.version, "");

// Bad input at the boundary: an error report, never a dead program.
for (const args of [[], [42], [sample, "{not json"], [sample, "{}", "extra"], [null]]) {
  const bad = JSON.parse(api.analyze(...args));
  assert.equal(bad.schema, 1);
  assert.match(bad.error, /\S/, `analyze(${args.map(String).join(", ")}) gave no error`);
}
assert.match(JSON.parse(api.restore(sample)).error, /takes 2 arguments/);
assert.match(JSON.parse(api.analyze("")).error, /empty/);
for (const mib of [6, 11]) assert.match(JSON.parse(api.analyze("x".repeat(mib << 20))).error, /at most 5 MiB/);
assert.equal(JSON.parse(api.analyze(sample)).findings.length, report.findings.length, "the program must stay alive");

console.log(`node check: ok (${wasms[0]}, version ${api.version}, ${report.findings.length} finding(s))`);
process.exit(0);
