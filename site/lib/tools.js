// tools.js: the forms for the wasm functions beside analyze that answer a
// question about the paste: canI (an offline kubectl auth can-i) and
// simulateTrust (would this pod be allowed to assume this role?). Each
// takes (text, requestJSON) and returns a JSON string. A tool's form shows
// only when the loaded wasm has its function, so the page works with older
// and newer builds alike; its request is prefilled from the paste when the
// wasm has the tool's prefill function, until the person types in it.
//
// A tool is {fn, title, help, fields, toRequest, fromRequest, prefill,
// render, raw}: fields are the form's inputs (a field with `when` shows
// only while when(values) holds), toRequest(values, base) makes the
// request from their values on top of base (a request the fields may not
// show all of), fromRequest(request) gives their values back, prefill
// names the wasm function that derives a request from the paste, render
// draws the answer. A tool with raw set also shows the whole request as
// JSON in an "advanced" section, kept in sync with the fields both ways;
// that JSON is what it sends.
import { el } from "./dom.js";

const verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "impersonate", "bind", "escalate", "proxy", "*"];
const whoKinds = [["user", "User"], ["serviceAccount", "ServiceAccount"], ["principal", "IAM role or user ARN"], ["groups", "Groups only"]];
const trustModes = [["irsa", "IRSA (web identity)"], ["pod", "Pod Identity"]];
const saPrefix = "system:serviceaccount:";
// podTags are the Pod Identity session tags the trust form edits, by field.
const podTags = { namespace: "kubernetes-namespace", serviceAccount: "kubernetes-service-account",
  clusterName: "eks-cluster-name", clusterArn: "eks-cluster-arn" };

const list = (s) => String(s || "").split(",").map((x) => x.trim()).filter(Boolean);
const irsa = (v) => v.mode !== "pod";
const pod = (v) => v.mode === "pod";

/** withoutEmpty returns obj without its empty-string and undefined values. */
function withoutEmpty(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== ""));
}

/** serviceAccountOf splits a token subject system:serviceaccount:NS:NAME; [] for another subject. */
function serviceAccountOf(sub) {
  if (!String(sub || "").startsWith(saPrefix)) return [];
  const rest = sub.slice(saPrefix.length);
  const i = rest.indexOf(":");
  return i < 0 ? [] : [rest.slice(0, i), rest.slice(i + 1)];
}

export const tools = [
  {
    fn: "canI",
    title: "Can I…? Offline kubectl auth can-i",
    help: "Asks whether someone may make a request, using the RBAC and identity mappings in your paste and the defaults every cluster has. " +
      "It is prefilled from the first denial in your paste, with the groups the paste shows its user has.",
    fields: [
      { name: "whoKind", label: "Who asks", options: whoKinds },
      { name: "who", label: "User, namespace:name or ARN", placeholder: "developer:jane" },
      { name: "groups", label: "Groups (comma-separated)", placeholder: "developers" },
      { name: "verb", label: "Verb", placeholder: "get", list: verbs, required: true },
      { name: "resource", label: "Resource", placeholder: "pods/log" },
      { name: "namespace", label: "Namespace", placeholder: "payments" },
      { name: "name", label: "Object name (optional)", placeholder: "" },
    ],
    toRequest(v) {
      const q = { verb: v.verb, resource: v.resource, namespace: v.namespace, name: v.name, groups: list(v.groups) };
      if (v.whoKind !== "groups") q[v.whoKind] = v.who;
      return q;
    },
    fromRequest(q) {
      const kind = whoKinds.map(([k]) => k).find((k) => k !== "groups" && q[k]) || "groups";
      return { whoKind: kind, who: q[kind] || "", groups: (q.groups || []).join(", "), verb: q.verb || "",
        resource: [q.resource, q.subresource].filter(Boolean).join("/"), namespace: q.namespace || "", name: q.name || "" };
    },
    prefill: "canIQuery",
    render: renderCanI,
  },
  {
    fn: "simulateTrust",
    title: "Would this pod be allowed to assume this role?",
    help: "Evaluates the pasted trust policy the way STS would, for a pod's IRSA token (provider, ServiceAccount, audience) " +
      "or its Pod Identity session tags.",
    fields: [
      { name: "mode", label: "How the pod gets the role", options: trustModes },
      { name: "namespace", label: "Namespace", placeholder: "payments" },
      { name: "serviceAccount", label: "ServiceAccount", placeholder: "payments-api" },
      { name: "provider", label: "OIDC provider (ARN or issuer URL)", placeholder: "arn:aws:iam::111122223333:oidc-provider/oidc.eks…", when: irsa },
      { name: "audience", label: "Audience (aud)", placeholder: "sts.amazonaws.com", when: irsa },
      { name: "clusterName", label: "Cluster name", placeholder: "prod", when: pod },
      { name: "clusterArn", label: "Cluster ARN (optional)", placeholder: "arn:aws:eks:…:cluster/prod", when: pod },
      { name: "roleArn", label: "Role ARN (optional)", placeholder: "arn:aws:iam::111122223333:role/…" },
    ],
    raw: true,
    toRequest(v, base = {}) {
      // The form owns these keys; the rest of base (context, more
      // session tags) passes through.
      const { provider, sub, aud, service, sessionTags, roleArn, ...rest } = base;
      const request = { ...rest, ...withoutEmpty({ roleArn: v.roleArn }) };
      if (irsa(v)) {
        const typed = v.namespace || v.serviceAccount ? `${saPrefix}${v.namespace}:${v.serviceAccount}` : sub;
        return { ...request, ...withoutEmpty({ provider: v.provider, sub: typed, aud: v.audience }) };
      }
      const tags = { ...sessionTags };
      for (const [field, tag] of Object.entries(podTags)) {
        if (v[field]) tags[tag] = v[field];
        else delete tags[tag];
      }
      if (Object.keys(tags).length === 0) return { ...request, service: service || "pods.eks.amazonaws.com" };
      return { ...request, ...withoutEmpty({ service }), sessionTags: tags };
    },
    fromRequest(r) {
      const tags = r.sessionTags || {};
      const mode = r.service || (!r.provider && Object.keys(tags).length > 0) ? "pod" : "irsa";
      const [namespace, serviceAccount] = mode === "pod" ? [tags[podTags.namespace], tags[podTags.serviceAccount]] : serviceAccountOf(r.sub);
      return { mode, namespace: namespace || "", serviceAccount: serviceAccount || "", provider: r.provider || "", audience: r.aud || "",
        clusterName: tags[podTags.clusterName] || "", clusterArn: tags[podTags.clusterArn] || "", roleArn: r.roleArn || "" };
    },
    prefill: "trustRequest",
    render: renderTrust,
  },
];

/** fieldInput makes the input of one field, with its id. */
function fieldInput(f, fid) {
  if (f.options) return el("select", { id: fid }, ...f.options.map(([v, label]) => el("option", { value: v }, label)));
  return el("input", { id: fid, type: "text", spellcheck: false, autocomplete: "off", placeholder: f.placeholder || "", required: Boolean(f.required) });
}

/**
 * toolForm builds the form of a tool. It returns the form, request() (what
 * to send, or an exception saying why it is not valid) and show(request),
 * which puts a request in the fields (and the JSON view).
 */
function toolForm(tool, id) {
  const inputs = {};
  const labels = [];
  const form = el("form", { className: "tool-form", "aria-describedby": `${id}-help` });
  const values = () => Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value.trim()]));
  const refresh = () => {
    const v = values();
    for (const [f, label] of labels) label.hidden = Boolean(f.when && !f.when(v));
  };
  const raw = tool.raw ? el("textarea", { id: `${id}-request`, className: "plain", rows: 6, spellcheck: false }) : null;
  const parseRaw = () => JSON.parse(raw.value.trim() || "{}");

  for (const f of tool.fields) {
    const fid = `${id}-${f.name}`;
    const input = fieldInput(f, fid);
    if (f.list) {
      input.setAttribute("list", `${fid}-list`);
      form.append(el("datalist", { id: `${fid}-list` }, ...f.list.map((v) => el("option", { value: v }))));
    }
    input.addEventListener("input", () => {
      form.dataset.edited = "1";
      refresh();
      if (!raw) return;
      let base = {};
      try {
        base = parseRaw();
      } catch {
        // the JSON is being edited by hand; the fields start it anew
      }
      raw.value = JSON.stringify(tool.toRequest(values(), base), null, 2);
      raw.removeAttribute("aria-invalid");
    });
    const label = el("label", { className: "field" }, el("span", {}, f.label), input);
    inputs[f.name] = input;
    labels.push([f, label]);
    form.append(label);
  }

  const show = (request) => {
    for (const [k, v] of Object.entries(tool.fromRequest(request))) if (inputs[k]) inputs[k].value = v;
    refresh();
  };
  if (raw) {
    raw.addEventListener("input", () => {
      form.dataset.edited = "1";
      try {
        show(parseRaw());
        raw.removeAttribute("aria-invalid");
      } catch {
        raw.setAttribute("aria-invalid", "true");
      }
    });
    form.append(el("details", { className: "raw wide" }, el("summary", {}, "Advanced: the request as JSON"),
      el("label", { className: "field" }, el("span", {}, "Request (JSON)"), raw)));
  }
  refresh();
  return {
    form,
    request: () => (raw ? parseRaw() : tool.toRequest(values())),
    show: (request) => {
      show(request);
      if (raw) raw.value = JSON.stringify(request, null, 2);
    },
  };
}

/**
 * mountTools adds a form to container for each tool the client has and
 * shows section when there is one. onJump(line) moves the editor to a line
 * an answer points at. It returns update(text), which prefills the forms
 * nobody has typed in from the current paste.
 */
export function mountTools(section, container, client, getText, onCopy, onJump) {
  const mounted = [];
  for (const tool of tools) {
    if (!client.has(tool.fn)) continue;
    const id = `tool-${tool.fn}`;
    const { form, request, show } = toolForm(tool, id);
    const answer = el("div", { id: `${id}-answer`, className: "tool-answer", role: "status", "aria-live": "polite" });
    form.append(el("div", { className: "actions wide" }, el("button", { type: "submit", className: "btn primary" }, "Ask")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      let body;
      try {
        body = JSON.stringify(request());
      } catch (err) {
        answer.replaceChildren(el("p", { className: "status error" }, `The request is not valid: ${err.message}`));
        return;
      }
      answer.replaceChildren(el("p", { className: "status" }, "…"));
      try {
        const result = JSON.parse(await client.call(tool.fn, getText(), body));
        answer.replaceChildren(result.error
          ? el("p", { className: "status error" }, result.error)
          : tool.render(result, { onCopy, onJump }));
      } catch (err) {
        answer.replaceChildren(el("p", { className: "status error" }, `${tool.fn} failed: ${err.message}`));
      }
    });
    container.append(el("section", { className: "tool", id, "aria-labelledby": `${id}-title` },
      el("h3", { id: `${id}-title` }, tool.title),
      el("p", { className: "note", id: `${id}-help` }, tool.help),
      form, answer));
    mounted.push({ tool, form, show });
  }
  section.hidden = mounted.length === 0;

  let latest = 0;
  return async (text) => {
    const seq = ++latest;
    for (const { tool, form, show } of mounted) {
      if (form.dataset.edited || !tool.prefill || !client.has(tool.prefill) || !text.trim()) continue;
      try {
        const request = JSON.parse(await client.call(tool.prefill, text));
        if (!request || request.error || seq !== latest || form.dataset.edited) continue;
        show(request);
      } catch {
        // no prefill; the form stays as it is
      }
    }
  };
}

function verdict(ok, text) {
  return el("span", { className: `badge ${ok ? "verdict-yes" : "sev-high"}` }, text);
}

function copyRow(command, onCopy) {
  return el("div", { className: "command" }, el("code", {}, command),
    el("button", { type: "button", className: "btn small", "aria-label": "Copy the command", onclick: () => onCopy(command) }, "Copy"));
}

function renderCanI(r, { onCopy }) {
  const out = el("div", {});
  out.append(el("p", { className: "tool-verdict" }, verdict(r.allowed, r.answer || (r.allowed ? "yes" : "no")), " ", r.reason || ""));
  if (r.identity?.user) {
    out.append(el("p", { className: "note" }, `As ${r.identity.user}${r.identity.groups?.length ? ` in ${r.identity.groups.join(", ")}` : ""}.`));
  }
  if (r.decidedBy) out.append(el("p", {}, `Granted by ${r.decidedBy.binding} through ${r.decidedBy.role}.`));
  if (r.nearMisses?.length) {
    out.append(el("h4", {}, "Nearly granted by"), el("ul", { className: "refs" }, ...r.nearMisses.map((m) =>
      el("li", {}, `${m.binding}${m.role ? ` (${m.role})` : ""}: ${m.misses.map((x) => x.message).join("; ")}`))));
  }
  for (const [title, items] of [["Notes", r.notes], ["The API server would add", r.errors]]) {
    if (items?.length) out.append(el("h4", {}, title), el("ul", { className: "refs" }, ...items.map((n) => el("li", {}, n))));
  }
  if (r.command) out.append(el("h4", {}, "Ask the cluster"), copyRow(r.command, onCopy));
  return out;
}

function lineButton(line, onJump) {
  return line ? el("button", { type: "button", className: "where", "aria-label": `Go to line ${line} in the editor`, onclick: () => onJump(line) }, `line ${line}`) : null;
}

function renderTrust(d, { onJump }) {
  const out = el("div", {});
  out.append(el("p", { className: "tool-verdict" }, verdict(d.allowed, d.decision || (d.allowed ? "allow" : "deny")), " ", d.reason || ""));
  if (d.policy) out.append(el("p", { className: "note" }, `Evaluated ${d.policy}${d.action ? ` for ${d.action}` : ""}.`));
  if (d.statements?.length) {
    const mark = (ok) => (ok ? "✓" : "✗");
    out.append(el("h4", {}, "Statements"), el("ol", { className: "refs trace" }, ...d.statements.map((s) =>
      el("li", {},
        `${s.sid ? `${s.sid}: ` : ""}${s.effect}, principal ${mark(s.principalMatches)}, action ${mark(s.actionMatches)}, conditions ${mark(s.conditionsMatch)} `,
        lineButton(s.line, onJump),
        s.conditions?.length ? el("ul", {}, ...s.conditions.map((c) => el("li", {},
          `${mark(c.result)} ${c.operator} ${c.key}: policy ${JSON.stringify(c.values)}, request ${JSON.stringify(c.request || [])}${c.why ? ` (${c.why})` : ""} `,
          lineButton(c.line, onJump)))) : null))));
  }
  return out;
}
