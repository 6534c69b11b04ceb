//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestTools drives the page's two tools on the gallery's examples as a
// person would: each form is prefilled from the paste, Ask answers what
// the cluster (or STS) would, and editing a field changes the answer.
func TestTools(t *testing.T) {
	s := newSite(t)

	t.Run("can-i", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var form toolFields
		var denied, allowed string
		run(t, ctx,
			chromedp.Navigate(s.url+"/#example=kubectl-logs-403"),
			waitReady(),
			waitPrefilled("tool-canI-who"),
			readToolForm("tool-canI", &form),
			ask("tool-canI", &denied),
			// The paste's own kubectl auth can-i get pods -n payments said yes.
			typeInto("tool-canI-resource", "pods"),
			typeInto("tool-canI-name", ""),
			ask("tool-canI", &allowed),
		)
		form.expect(t, map[string]string{"whoKind": "user", "who": "developer:jane", "groups": "developers", "verb": "get",
			"resource": "pods/log", "namespace": "payments", "name": "payments-api-7d9f8b6c5-x2kqp"})
		if !strings.HasPrefix(denied, "no") || !strings.Contains(denied, "As developer:jane in developers") ||
			!strings.Contains(denied, "RoleBinding payments/developers (Role payments/developer): it grants pods, and a rule for pods does not cover its subresource pods/log") ||
			!strings.Contains(denied, "--as=developer:jane --as-group=developers") {
			t.Errorf("get pods/log should be denied, as on the cluster, for want of pods/log in the developers' Role, with the command that asks the cluster:\n%s", denied)
		}
		if !strings.HasPrefix(allowed, "yes") || !strings.Contains(allowed, "Granted by RoleBinding payments/developers through Role payments/developer") {
			t.Errorf("get pods in payments should be allowed, as the pasted kubectl auth can-i says:\n%s", allowed)
		}
	})

	t.Run("irsa", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var form, edited toolFields
		var denied, allowed string
		var advancedOpen bool
		run(t, ctx,
			chromedp.Navigate(s.url+"/#example=irsa-trust-policy"),
			waitReady(),
			waitPrefilled("tool-simulateTrust-namespace"),
			readToolForm("tool-simulateTrust", &form),
			chromedp.Evaluate(`document.querySelector("#tool-simulateTrust details.raw").open`, &advancedOpen),
			ask("tool-simulateTrust", &denied),
			// The namespace the policy allows.
			typeInto("tool-simulateTrust-namespace", "default"),
			readToolForm("tool-simulateTrust", &edited),
			ask("tool-simulateTrust", &allowed),
		)
		form.expect(t, map[string]string{"mode": "irsa", "namespace": "payments", "serviceAccount": "payments-api",
			"provider": "arn:aws:iam::" + realAccount + ":oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/7A1C4E9B2D5F8A3C6E0B1D4F7A2C5E8B",
			"audience": "", "roleArn": "arn:aws:iam::" + realAccount + ":role/payments-api-irsa"})
		form.expectShown(t, "provider", "audience")
		form.expectHidden(t, "clusterName", "clusterArn")
		if form.request()["sub"] != "system:serviceaccount:payments:payments-api" {
			t.Errorf("the advanced view should hold the request the fields show: %s", form.Request)
		}
		if advancedOpen {
			t.Error("the request's JSON should be an advanced view, closed at first")
		}
		if !strings.HasPrefix(denied, "implicit-deny") || !strings.Contains(denied, "which is not system:serviceaccount:default:payments-api") {
			t.Errorf("the pod of payments/payments-api should be refused, naming the sub the policy wants:\n%s", denied)
		}
		if edited.request()["sub"] != "system:serviceaccount:default:payments-api" {
			t.Errorf("typing a namespace should change the request's sub: %s", edited.Request)
		}
		if !strings.HasPrefix(allowed, "allow") {
			t.Errorf("the pod of default/payments-api should be allowed:\n%s", allowed)
		}
	})

	t.Run("pod-identity", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var form, asIRSA, fromJSON toolFields
		var denied string
		run(t, ctx,
			chromedp.Navigate(s.url+"/#example=pod-identity"),
			waitReady(),
			waitPrefilled("tool-simulateTrust-namespace"),
			readToolForm("tool-simulateTrust", &form),
			ask("tool-simulateTrust", &denied),
			choose("tool-simulateTrust-mode", "irsa"),
			readToolForm("tool-simulateTrust", &asIRSA),
			chromedp.Evaluate(`document.querySelector("#tool-simulateTrust details.raw").open = true`, nil),
			typeInto("tool-simulateTrust-request", `{"sessionTags": {"kubernetes-namespace": "orders", "kubernetes-service-account": "worker"}}`),
			readToolForm("tool-simulateTrust", &fromJSON),
		)
		form.expect(t, map[string]string{"mode": "pod", "namespace": "carts", "serviceAccount": "carts", "clusterName": "prod", "clusterArn": ""})
		form.expectShown(t, "clusterName", "clusterArn")
		form.expectHidden(t, "provider", "audience")
		if !strings.HasPrefix(denied, "implicit-deny") || !strings.Contains(denied, "does not allow sts:TagSession") {
			t.Errorf("the association's pods should be refused for want of sts:TagSession:\n%s", denied)
		}
		asIRSA.expectShown(t, "provider", "audience")
		if r := asIRSA.request(); r["sub"] != "system:serviceaccount:carts:carts" || r["sessionTags"] != nil {
			t.Errorf("choosing IRSA should make a web-identity request for the same ServiceAccount: %s", asIRSA.Request)
		}
		fromJSON.expect(t, map[string]string{"mode": "pod", "namespace": "orders", "serviceAccount": "worker", "clusterName": ""})
	})
}

// toolFields is what a tool's form shows: each field's value, whether it
// is shown, and its label; and the request in its advanced view.
type toolFields struct {
	Fields map[string]struct {
		Value string `json:"value"`
		Shown bool   `json:"shown"`
		Label string `json:"label"`
	} `json:"fields"`
	Request string `json:"request"`
}

// readToolForm reads the form of the tool whose section has id.
func readToolForm(id string, f *toolFields) chromedp.Action {
	return chromedp.Evaluate(js(`
const form = document.querySelector("#`+id+` form");
const fields = {};
for (const input of form.querySelectorAll("input, select, textarea")) {
  const label = input.closest("label");
  fields[input.id.slice("`+id+`-".length)] = { value: input.value, shown: !!label && !label.closest("[hidden]"), label: label?.textContent || "" };
}
return { fields, request: $("`+id+`-request")?.value || "" };`), f, awaitPromise)
}

// expect checks fields' values, and that every input has a label.
func (f toolFields) expect(t *testing.T, want map[string]string) {
	t.Helper()
	for name, v := range want {
		if got, ok := f.Fields[name]; !ok || got.Value != v {
			t.Errorf("field %s = %q, want %q", name, got.Value, v)
		}
	}
	for name, field := range f.Fields {
		if strings.TrimSpace(field.Label) == "" {
			t.Errorf("field %s has no label", name)
		}
	}
}

// expectShown checks that the fields are shown.
func (f toolFields) expectShown(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if !f.Fields[name].Shown {
			t.Errorf("field %s should be shown", name)
		}
	}
}

// expectHidden checks that the fields are hidden.
func (f toolFields) expectHidden(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if field, ok := f.Fields[name]; !ok || field.Shown {
			t.Errorf("field %s should be in the form, hidden", name)
		}
	}
}

// request reads the request of the advanced view.
func (f toolFields) request() map[string]any {
	var r map[string]any
	json.Unmarshal([]byte(f.Request), &r)
	return r
}

// waitPrefilled waits until the field with id holds a value from the paste.
func waitPrefilled(id string) chromedp.Action {
	return chromedp.Poll(`document.getElementById("`+id+`")?.value !== ""`, nil, chromedp.WithPollingTimeout(30*time.Second))
}

// typeInto replaces the text of the field with id as typing would.
func typeInto(id, text string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Evaluate(`(() => { const i = document.getElementById("`+id+`"); i.focus(); i.select(); })()`, nil),
		chromedp.ActionFunc(func(ctx context.Context) error {
			if text == "" {
				return chromedp.KeyEvent(kb.Backspace).Do(ctx)
			}
			return input.InsertText(text).Do(ctx)
		}),
	}
}

// choose picks an option of the select with id, as a person would.
func choose(id, value string) chromedp.Action {
	return chromedp.Evaluate(`(() => { const s = document.getElementById("`+id+`"); s.value = "`+value+`";
		s.dispatchEvent(new Event("input", { bubbles: true })); s.dispatchEvent(new Event("change", { bubbles: true })); })()`, nil)
}

// ask presses the Ask button of the tool whose section has id and reads
// the answer.
func ask(id string, answer *string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Evaluate(`document.getElementById("`+id+`-answer").replaceChildren()`, nil),
		click("#" + id + " button[type=submit]"),
		chromedp.Poll(`(() => { const a = document.getElementById("`+id+`-answer").textContent; return a.length > 5 && a !== "…"; })()`, nil,
			chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(`document.getElementById("`+id+`-answer").textContent`, answer),
	}
}
