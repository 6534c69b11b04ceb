package redact

import "strings"

// Kubernetes: kubeconfig credentials and the values of Secrets, in YAML,
// in JSON and in the JSON that kubectl keeps in the
// last-applied-configuration annotation.

var kubePatterns = []*pattern{
	secretDataYAML,
	secretDataJSON,
	secretDataEmbeddedJSON,
	kubeconfigData("kubeconfig-certificate-authority-data", "certificate-authority-data"),
	kubeconfigData("kubeconfig-client-certificate-data", "client-certificate-data"),
	kubeconfigData("kubeconfig-client-key-data", "client-key-data"),
}

var secretDataYAML = &pattern{
	kind:     "k8s-secret-data",
	keywords: []string{"data:", "stringData:"},
	find:     findSecretDataYAML,
	format:   pemFormat,
	matches: []string{
		"apiVersion: v1\ndata:\n  password: «aHVudGVyMi1wcm9k»\n  username: «YXBwLXVzZXI=»\nkind: Secret\nmetadata:\n  name: db\n",
		"kind: Secret\nmetadata:\n  name: db\nstringData:\n  DB_PASSWORD: «Kq8#zP2m»\n  config.yaml: |\n    «user: app\n    pass: x9y8z7»\ntype: Opaque\n",
		"items:\n- apiVersion: v1\n  data:\n    token: «ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklp»\n  kind: Secret\n",
	},
	decoys: []string{
		"apiVersion: v1\nkind: ConfigMap\ndata:\n  mapRoles: |\n    - rolearn: x\n",
		"kind: Secret\n---\ndata:\n  key: dmFsdWU=\n",
		"kind: Secret\ndata:\n  password: {{ .Values.password | b64enc }}\n",
	},
}

var secretDataJSON = &pattern{
	kind:     "k8s-secret-data",
	keywords: []string{`"data"`, `"stringData"`},
	find:     findSecretDataJSON,
	format:   pemFormat,
	matches: []string{
		`{"apiVersion": "v1", "data": {"password": "«aHVudGVyMi1wcm9k»"}, "kind": "Secret"}`,
		`{"kind":"Secret","metadata":{"name":"x"},"stringData":{"API_KEY":"«k9Zx2mQ4»"}}`,
	},
	decoys: []string{
		`{"kind": "ConfigMap", "data": {"mapRoles": "- rolearn: x"}}`,
		`{"data": {"password": "x"}}`,
	},
}

// secretDataEmbeddedJSON is secretDataJSON for JSON inside a JSON string,
// such as the last-applied-configuration annotation in kubectl's JSON
// output.
var secretDataEmbeddedJSON = &pattern{
	kind:     "k8s-secret-data",
	keywords: []string{`\"data\"`, `\"stringData\"`},
	find:     findSecretDataJSON,
	format:   pemFormat,
	matches: []string{
		`"last-applied-configuration": "{\"apiVersion\":\"v1\",\"stringData\":{\"password\":\"«minio123-prod»\"},\"kind\":\"Secret\"}\n"`,
	},
	decoys: []string{`"last-applied-configuration": "{\"kind\":\"ConfigMap\",\"data\":{\"a\":\"b\"}}"`},
}

// kubeconfigData is a kubeconfig's base64 certificate or key data.
func kubeconfigData(kind, key string) *pattern {
	return &pattern{
		kind:     kind,
		keywords: []string{key},
		find: func(h *hit) {
			if h.at > h.lo && alnum[h.text[h.at-1]] {
				return
			}
			v, ok := valueAfter(h, h.at, h.at+len(h.kw))
			if ok && v.end-v.start >= 16 && !isPlaceholder(h.text[v.start:v.end]) {
				h.emit(v.start, v.end)
			}
		},
		format:  pemFormat,
		matches: []string{"    " + key + ": «LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM»", `"` + key + `": "«QUJDREVGR0hJSktMTU5PUA==»"`},
		decoys:  []string{"    " + key + ": ${" + strings.ToUpper(strings.ReplaceAll(key, "-", "_")) + "}"},
	}
}

// findSecretDataYAML finds the values under a YAML data: or stringData:
// key when a sibling key says kind: Secret.
func findSecretDataYAML(h *hit) {
	s := h.text
	if !atLineStart(s, h.at, h.lo) {
		return
	}
	ls := lineStart(s, h.at, h.lo)
	after := h.at + len(h.kw)
	le := lineEnd(s, after, min(h.hi, after+256))
	if rest := strings.TrimSpace(s[after:le]); rest != "" && rest[0] != '#' {
		return
	}
	col := h.at - ls
	var spans [][2]int
	end := yamlEntries(s, le, col, h.hi, func(start, end int) {
		spans = append(spans, [2]int{start, end})
	})
	h.skipTo(end)
	if len(spans) == 0 || !yamlSiblingIs(s, ls, end, col, h.lo, h.hi, "kind", "Secret") {
		return
	}
	for _, sp := range spans {
		if !isPlaceholder(s[sp[0]:sp[1]]) {
			h.emit(sp[0], sp[1])
		}
	}
}

// findSecretDataJSON finds the string values of a JSON "data" or
// "stringData" object whose object says "kind": "Secret", also in JSON
// embedded in a JSON string (\"data\").
func findSecretDataJSON(h *hit) {
	j := jsonText{s: h.text, lo: h.lo, hi: h.hi, esc: h.kw[0] == '\\'}
	_, _, next, ok := j.str(h.at)
	if !ok {
		return
	}
	i := j.ws(next)
	if i >= h.hi || h.text[i] != ':' {
		return
	}
	i = j.ws(i + 1)
	var spans [][2]int
	end, ok := j.object(i, 0, func(_, _, vs, ve int, str bool) {
		if str {
			spans = append(spans, [2]int{vs, ve})
		}
	})
	if !ok || !j.siblingIs(h.at, end, "kind", "Secret", h.memo(), h.st.base) {
		return
	}
	for _, sp := range spans {
		if !isPlaceholder(h.text[sp[0]:sp[1]]) {
			h.emit(sp[0], sp[1])
		}
	}
	h.skipTo(end)
}
