// tools.js: the forms for the wasm functions beside analyze that answer a
// question about the paste: canI (an offline kubectl auth can-i) and
// simulateTrust (would this pod be allowed to assume this role?). Each
// takes (text, requestJSON) and returns a JSON string. A tool's form shows
// only when the loaded wasm has its function, so the page works with older
// and newer builds alike; its request is prefilled from the paste when the
// wasm has the tool's prefill function, until the person types in it.
//
// A tool is {fn, title, help, fields, toRequest, fromRequest, prefill,
// render}: fields are the form's inputs, toRequest/fromRequest convert
// between their values and the request, prefill names the wasm function
// that derives a request from the paste, render draws the answer.
import { el } from "./dom.js";

const verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "impersonate", "bind", "escalate", "proxy", "*"];
const whoKinds = [["user", "User"], ["serviceAccount", "ServiceAccount"], ["principal", "IAM role or user ARN"], ["groups", "Groups only"]];

const list = (s) => String(s || "").split(",").map((x) => x.trim()).filter(Boolean);

export const tools = [
  {
    fn: "canI",
    title: "Can I…? Offline kubectl auth can-i",
    help: "Asks whether someone may make a request, using the RBAC and identity mappings in your paste and the defaults every cluster has.",
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
    help: "Evaluates the pasted trust policy the way STS would, for an IRSA token (provider, sub, aud) or Pod Identity session tags.",
    fields: [{ name: "request", label: "Request (JSON)", multiline: true, required: true,
      placeholder: '{"provider": "arn:aws:iam::…:oidc-provider/…", "sub": "system:serviceaccount:NAMESPACE:NAME"}' }],
    toRequest: (v) => JSON.parse(v.request),
    fromRequest: (r) => ({ request: JSON.stringify(r, null, 2) }),
    prefill: "trustRequest",
    render: renderTrust,
  },
];

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
    const inputs = {};
    const form = el("form", { className: "tool-form", "aria-describedby": `${id}-help` });
    for (const f of tool.fields) {
      const fid = `${id}-${f.name}`;
      let input;
      if (f.options) input = el("select", { id: fid }, ...f.options.map(([v, label]) => el("option", { value: v }, label)));
      else if (f.multiline) input = el("textarea", { id: fid, className: "plain", rows: 5, spellcheck: false, placeholder: f.placeholder || "" });
      else input = el("input", { id: fid, type: "text", spellcheck: false, autocomplete: "off", placeholder: f.placeholder || "", required: Boolean(f.required) });
      if (f.list) {
        input.setAttribute("list", `${fid}-list`);
        form.append(el("datalist", { id: `${fid}-list` }, ...f.list.map((v) => el("option", { value: v }))));
      }
      input.addEventListener("input", () => { form.dataset.edited = "1"; });
      inputs[f.name] = input;
      form.append(el("label", { className: f.multiline ? "field wide" : "field" }, el("span", {}, f.label), input));
    }
    const answer = el("div", { id: `${id}-answer`, className: "tool-answer", role: "status", "aria-live": "polite" });
    form.append(el("div", { className: "actions wide" }, el("button", { type: "submit", className: "btn primary" }, "Ask")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      let request;
      try {
        request = tool.toRequest(Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value.trim()])));
      } catch (err) {
        answer.replaceChildren(el("p", { className: "status error" }, `The request is not valid: ${err.message}`));
        return;
      }
      answer.replaceChildren(el("p", { className: "status" }, "…"));
      try {
        const result = JSON.parse(await client.call(tool.fn, getText(), JSON.stringify(request)));
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
    mounted.push({ tool, form, inputs });
  }
  section.hidden = mounted.length === 0;

  let latest = 0;
  return async (text) => {
    const seq = ++latest;
    for (const { tool, form, inputs } of mounted) {
      if (form.dataset.edited || !tool.prefill || !client.has(tool.prefill) || !text.trim()) continue;
      try {
        const request = JSON.parse(await client.call(tool.prefill, text));
        if (!request || request.error || seq !== latest || form.dataset.edited) continue;
        for (const [k, v] of Object.entries(tool.fromRequest(request))) if (inputs[k]) inputs[k].value = v;
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
