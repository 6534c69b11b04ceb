package webserve

import (
	"bufio"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
)

// headersFile is the file, at the root of a site, that Netlify and
// Cloudflare Pages read for response headers; the site's build writes one.
const headersFile = "_headers"

// headerRule is one block of a _headers file: a path pattern and the
// headers of the responses it matches.
type headerRule struct {
	pattern *regexp.Regexp
	headers [][2]string // name, value, in file order
}

// placeholder is a named path segment in a _headers pattern, e.g. /:id/.
var placeholder = regexp.MustCompile(`:[A-Za-z_][A-Za-z0-9_]*`)

// parseHeaders reads the _headers format: a line starting with "/" opens
// a rule for that path pattern ("*" matches anything, ":name" one path
// segment); indented "Name: value" lines below it add headers; "#" starts
// a comment. Rules for absolute URLs (https://host/…) and malformed lines
// are skipped, as only this site's paths are served.
func parseHeaders(text string) []headerRule {
	var rules []headerRule
	var cur *headerRule
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case line[0] != ' ' && line[0] != '\t':
			cur = nil
			if strings.HasPrefix(trimmed, "/") {
				rules = append(rules, headerRule{pattern: compilePattern(trimmed)})
				cur = &rules[len(rules)-1]
			}
		case cur != nil:
			if name, value, ok := strings.Cut(trimmed, ":"); ok && strings.TrimSpace(name) != "" {
				cur.headers = append(cur.headers, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
			}
		}
	}
	return rules
}

func compilePattern(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i, part := range strings.Split(p, "*") {
		if i > 0 {
			b.WriteString(".*")
		}
		quoted := regexp.QuoteMeta(part)
		b.WriteString(placeholder.ReplaceAllString(quoted, "[^/]+"))
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// applyHeaders sets on h the headers of every rule matching urlPath. A
// header set by several matching rules gets their values joined with ", ",
// as Cloudflare Pages does; a site's build should not rely on it.
func applyHeaders(h http.Header, rules []headerRule, urlPath string) {
	values := map[string][]string{}
	var order []string
	for _, r := range rules {
		if !r.pattern.MatchString(urlPath) {
			continue
		}
		for _, kv := range r.headers {
			name := http.CanonicalHeaderKey(kv[0])
			if _, ok := values[name]; !ok {
				order = append(order, name)
			}
			values[name] = append(values[name], kv[1])
		}
	}
	for _, name := range order {
		h.Set(name, strings.Join(values[name], ", "))
	}
}

// siteHeaders reads site's _headers file; nil when it has none.
func siteHeaders(site fs.FS) []headerRule {
	data, err := fs.ReadFile(site, headersFile)
	if err != nil {
		return nil
	}
	return parseHeaders(string(data))
}
