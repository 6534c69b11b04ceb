// Node check of the built site: loads both wasm modules of dist/ (the one
// with every rule, eksdoctor.HASH.wasm, and the light one a first visit
// loads, light/eksdoctor.HASH.wasm) with the stock wasm_exec.js
// (dist/wasm_exec.HASH.js) and exercises globalThis.eksdoctor as DESIGN.md
// specifies; the light one must leave Terraform to the full one.
// Usage: node site/node-check.mjs DIST_DIR AWS_AUTH_SAMPLE TERRAFORM_SAMPLE
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";

const [dist, samplePath, terraformPath] = process.argv.slice(2);
if (!dist || !samplePath || !terraformPath) {
  console.error("usage: node site/node-check.mjs DIST_DIR AWS_AUTH_SAMPLE TERRAFORM_SAMPLE");
  process.exit(2);
}
/** named finds the one file called stem.HASH.ext in the folder dir of dist/. */
function named(dir, stem, ext) {
  const found = readdirSync(join(dist, dir))
    .filter((f) => f.startsWith(stem + ".") && f.endsWith(ext) && /^[0-9a-f]+$/.test(f.slice(stem.length + 1, -ext.length)));
  assert.equal(found.length, 1, `want exactly one ${stem}.HASH${ext} in ${join(dist, dir)}, found ${found.join(", ") || "none"}`);
  return join(dir, found[0]);
}

// Node 20 has a global crypto; Node 18 (Debian 12's nodejs) needs this.
globalThis.crypto ??= (await import("node:crypto")).webcrypto;
createRequire(import.meta.url)(resolve(dist, named(".", "wasm_exec", ".js")));
const sample = readFileSync(samplePath, "utf8");
const terraform = readFileSync(terraformPath, "utf8");
const terraformFindings = (api) => JSON.parse(api.analyze(terraform)).findings.filter((f) => f.rule.startsWith("TF"));

const light = await check(named("light", "eksdoctor", ".wasm"));
assert.deepEqual([...light.leftOut], ["terraform"], "the light module should leave Terraform to the full one");
assert.deepEqual(JSON.parse(light.kinds(terraform)), ["terraform"]);
assert.equal(JSON.parse(light.holdsLeftOut(terraform)), true, "the light module should send Terraform to the full one");
assert.equal(JSON.parse(light.holdsLeftOut(sample)), false, "the light module should analyse the aws-auth sample itself");
assert.equal(light.analyzeUnlessLeftOut(terraform), "null", "the light module should leave the Terraform sample to the full one");
assert.equal(light.analyzeUnlessLeftOut(sample, '{"redact": false}'), light.analyze(sample, '{"redact": false}'));
assert.equal(terraformFindings(light).length, 0, "the light module should not analyse Terraform");

const full = await check(named(".", "eksdoctor", ".wasm"));
assert.deepEqual([...full.leftOut], [], "the full module should analyse every kind");
assert.equal(JSON.parse(full.holdsLeftOut(terraform)), false);
assert.equal(full.analyzeUnlessLeftOut(terraform), full.analyze(terraform));
assert.notEqual(terraformFindings(full).length, 0, `the full module found nothing in ${terraformPath}`);
assert.equal(light.rules(), full.rules(), "both modules should describe the same rules");
process.exit(0);

/** check starts the module dist/wasm, exercises its API and returns it. */
async function check(wasm) {
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(readFileSync(join(dist, wasm)), go.importObject);
  go.run(instance); // runs main until it blocks in select {}; never resolves
  const api = globalThis.eksdoctor;
  assert.ok(api, `${wasm} did not set globalThis.eksdoctor`);

  assert.equal(JSON.parse(api.analyze(sample)).fixed, "", "by default the fix holds repairs only, and AUTH002's is a hardening");
  const report = JSON.parse(api.analyze(sample, '{"harden": true}'));
  assert.equal(report.schema, 1);
  assert.equal(report.error, "");
  assert.ok(report.findings.some((f) => f.rule === "AUTH002" && f.fix.kind === "harden"), "no system:masters hardening in " + JSON.stringify(report.findings));
  assert.ok(report.fixed && report.diff.includes("system:masters") && report.fixed.includes("kind: ClusterRoleBinding"), "no fix or diff");
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
  // A lone UTF-16 surrogate would become U+FFFD in Go: refused, with where it is.
  assert.match(JSON.parse(api.analyze("data:\n  k: ab\uD83D")).error, /argument 1 holds half of a UTF-16 surrogate pair alone at line 2, column 8/);
  assert.match(JSON.parse(api.restore(sample, "\uDE00" + sample)).error, /argument 2 .* at line 1, column 1/);
  assert.equal(api.restore("name: \u{1F600}\n", "name: \u{1F600}\n"), "name: \u{1F600}\n", "a surrogate pair round-trips");
  assert.equal(JSON.parse(api.analyze(sample)).findings.length, report.findings.length, "the program must stay alive");

  console.log(`node check: ok (${wasm}, version ${api.version}, ${report.findings.length} finding(s))`);
  return api;
}
