// worker.js: runs eksdoctor's wasm in a Web Worker for eksdoctor.js. The
// first message, {type: "start", wasmExec, wasm, wasmFull}, gives the URLs
// of wasm_exec.js, the light module and the full one. It then answers
// {id, fn, args} messages with {id, result} or {id, error}, and announces
// itself with {type: "ready", version, functions} or {type: "failed", error}.
// A call that throws out of the wasm leaves its Go runtime unusable; the
// worker then reports {type: "failed", error} too, and eksdoctor.js starts
// a new one.
//
// The light module, which a first visit downloads, analyses everything but
// the document kinds it lists in leftOut (Terraform: the HCL parser alone
// weighs a quarter of the module). A call whose text holds such a document
// is answered by the full module instead, fetched on that first need;
// every later call goes to it too.
"use strict";

let urls = null; // {wasm, wasmFull}
let ready = null; // resolves to the API of the module that answers calls
let full = null; // resolves to the full module's API, once asked for
let called = false; // whether a call with a paste has come in

// instantiate runs the module that response (a fetch of url) brings and
// returns the API its main sets. A second module replaces
// globalThis.eksdoctor; each caller keeps its own.
async function instantiate(url, response = fetch(url)) {
  const go = new Go();
  const res = await response;
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
  // Hosts that send another Content-Type defeat streaming compilation.
  const { instance } = (res.headers.get("Content-Type") || "").startsWith("application/wasm")
    ? await WebAssembly.instantiateStreaming(res, go.importObject)
    : await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
  self.eksdoctor = undefined;
  go.run(instance).then(() => postMessage({ type: "exited" }));
  if (!self.eksdoctor) throw new Error("the wasm did not start");
  return self.eksdoctor;
}

function start({ wasmExec, wasm, wasmFull }) {
  const response = fetch(wasm); // on its way while wasm_exec.js loads
  importScripts(wasmExec);
  urls = { wasm, wasmFull };
  const api = instantiate(wasm, response);
  // Only while idle: a page that calls at once (a share link) should not
  // wait for it, and its own call pays the same compilation.
  api.then((a) => setTimeout(() => called || a.analyze(warmUpPaste), warmUpDelayMs), () => {});
  return api;
}

// warmUpPaste is analysed once the light module is up, before any paste
// arrives: the browser compiles each WebAssembly function the first time
// it runs, which makes a first analysis some forty times slower than the
// next. It holds one of each kind of document the light module reads, so
// that a person's first paste, whatever it holds, finds most of the code
// it runs compiled. The values are AWS's documentation examples.
const warmUpPaste = `$ kubectl get pods -n shop
E1118 09:31:02.417233   48211 memcache.go:265] couldn't get current server API group list: the server has asked for the client to provide credentials
error: You must be logged in to the server (Unauthorized)
Error from server (Forbidden): pods "web-0" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "shop"
$ aws eks update-kubeconfig --name prod --region us-east-1
An error occurred (AccessDeniedException) when calling the DescribeCluster operation: User: arn:aws:sts::111122223333:assumed-role/ReadOnly/jane is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:us-east-1:111122223333:cluster/prod
\`\`\`yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/Admin
      username: admin:{{SessionName}}
      groups: [system:masters]
    - rolearn: arn:aws:iam::111122223333:role/nodes
      username: system:node:{{EC2PrivateDNSName}}
      groups: [system:bootstrappers, system:nodes]
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/jane
      username: jane
      groups: [dev]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: shop}
subjects: [{kind: User, name: jane}, {kind: Group, name: dev}]
roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/web
---
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://EXAMPLED539D4633E53DE1B71EXAMPLE.gr7.us-east-1.eks.amazonaws.com
  name: prod
contexts:
- context: {cluster: prod, user: prod}
  name: prod
current-context: prod
users:
- name: prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod, --region, us-east-1]
\`\`\`
\`\`\`json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},
  "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:shop:web"}}},
  {"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}
\`\`\`
$ aws eks describe-access-entry --cluster-name prod --principal-arn arn:aws:iam::111122223333:role/dev
{"accessEntry": {"clusterName": "prod", "principalArn": "arn:aws:iam::111122223333:role/dev", "kubernetesGroups": ["dev"],
  "accessEntryArn": "arn:aws:eks:us-east-1:111122223333:access-entry/prod/role/111122223333/dev/EXAMPLE", "username": "arn:aws:sts::111122223333:assumed-role/dev/{{SessionName}}", "type": "STANDARD"}}
$ aws eks list-associated-access-policies --cluster-name prod --principal-arn arn:aws:iam::111122223333:role/dev
{"clusterName": "prod", "principalArn": "arn:aws:iam::111122223333:role/dev", "associatedAccessPolicies": [
  {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": {"type": "namespace", "namespaces": ["shop"]}}]}
`;

// warmUpDelayMs is how long after start-up the worker must have had no
// call to warm up.
const warmUpDelayMs = 100;

// upgrade switches every later call to the full module.
function upgrade() {
  full ??= instantiate(urls.wasmFull);
  ready = full;
  return full;
}

// Broken is an exception that escaped a call into the wasm, or a call that
// answered nothing. The Go functions catch their own panics, so only the
// JavaScript engine throws through them (its stack overflowed, say): that
// unwinds the Go runtime mid-call, and the next call can end it ("fatal
// error: bad sweepgen") or return undefined, and the memory the call held
// is never returned. The module cannot be trusted after one.
class Broken extends Error {}

// call calls the wasm function fn of api, turning a throw into Broken.
function call(api, fn, ...args) {
  let out;
  try {
    out = api[fn](...args);
  } catch (err) {
    throw new Broken(`${err.name || "Error"}: ${err.message || err}`);
  }
  if (out === undefined) throw new Broken(`${fn} answered nothing`);
  return out;
}

// textFunctions take the paste as their first argument, and need the full
// module when it holds a kind the light one leaves out.
const textFunctions = new Set(["analyze", "canI", "canIQuery", "simulateTrust", "trustRequest"]);

// callHere answers fn(...args) with api, or with undefined when api
// leaves out a kind of document that the call reads. Every call the light
// module answers goes through it, so it never asks kinds, which parses
// every block of the paste (a quarter of an analysis): analyze tells as
// it goes (analyzeUnlessLeftOut), and the other text functions ask
// holdsLeftOut, which only cuts the paste into blocks.
function callHere(api, fn, args) {
  if (!api.leftOut?.length || !textFunctions.has(fn) || typeof args[0] !== "string") return call(api, fn, ...args);
  if (fn === "analyze") {
    const report = call(api, "analyzeUnlessLeftOut", ...args);
    return report === "null" ? undefined : report;
  }
  // holdsLeftOut answers an error report, not true, for text it refuses.
  return JSON.parse(call(api, "holdsLeftOut", args[0])) === true ? undefined : call(api, fn, ...args);
}

// answer calls fn on the module that can read its text.
async function answer(fn, args) {
  const api = await ready;
  if (typeof api[fn] !== "function") throw new Error(`eksdoctor has no function ${fn}`);
  const here = callHere(api, fn, args);
  if (here !== undefined) return here;
  let fullAPI;
  try {
    fullAPI = await upgrade();
  } catch (err) {
    full = null; // try again on the next call
    ready = Promise.resolve(api);
    if (fn !== "analyze") throw err;
    const kinds = api.leftOut.join(" and ");
    return withStep(call(api, "analyze", ...args), `The ${kinds} was not analysed`,
      `eksdoctor could not load the module that analyses ${kinds} (${err.message || err}); the rest of the paste was analysed.`);
  }
  return call(fullAPI, fn, ...args);
}

// withStep adds a next step to a report given as JSON text.
function withStep(report, title, detail) {
  const r = JSON.parse(report);
  r.next = [...(r.next || []), { title, detail }];
  return JSON.stringify(r);
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
  called ||= textFunctions.has(fn);
  try {
    if (!ready) throw new Error("eksdoctor was not started");
    postMessage({ id, result: await answer(fn, args) });
  } catch (err) {
    if (err instanceof Broken) {
      ready = new Promise(() => {}); // answer nothing more: eksdoctor.js ends this worker
      postMessage({ type: "failed", error: `eksdoctor's engine broke down on that input (${err.message}), so it was started again` });
      return;
    }
    postMessage({ id, error: String(err.message || err) });
  }
};
