//go:build !js

package e2e

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/internal/webserve"
)

var (
	// hashedName is a content-hashed asset: build.mjs's 12 hex digits or
	// esbuild's 8 base32 characters before the extension.
	hashedName = regexp.MustCompile(`^[a-z_]+\.([0-9a-f]{12}|[A-Z0-9]{8})\.(js|css|wasm)$`)
	// reference is a URL the pages and modules load.
	reference    = regexp.MustCompile(`(?:src|href)="([^"]*)"|from"([^"]+)"|import\("([^"]+)"\)|import"([^"]+)"`)
	preformatted = regexp.MustCompile(`(?s)<pre[ >].*?</pre>`)
)

// TestDist checks the built site as a host receives it: exactly one wasm
// at the top and one in light/, each with its .br and .gz, the toolchain's wasm_exec.js, content-hashed
// assets, relative references only, no inline script or style, a
// precompressed sibling for each text asset, and a _headers file whose
// policy is the one eksdoctor serve sends and whose caching covers every
// file.
func TestDist(t *testing.T) {
	m := readMeta(t)
	var files []string
	err := filepath.WalkDir(dist, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dist, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// The module with every rule is the one *.wasm at the top, as
	// DESIGN.md's contract says; the light one a first visit loads is in
	// light/.
	for _, dir := range []string{".", "light"} {
		wasm := filter(files, func(f string) bool { return strings.HasSuffix(f, ".wasm") && path.Dir(f) == dir })
		if len(wasm) != 1 || !hashedName.MatchString(path.Base(wasm[0])) ||
			!slices.Contains(files, wasm[0]+".br") || !slices.Contains(files, wasm[0]+".gz") {
			t.Errorf("want exactly one content-hashed .wasm with .br and .gz beside it in %s/, got %v", dir, wasm)
		}
	}
	goroot := strings.TrimSpace(runGo(t, "env", "GOROOT"))
	stock, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	execs := filter(files, func(f string) bool { return strings.HasPrefix(f, "wasm_exec.") && strings.HasSuffix(f, ".js") })
	if len(execs) != 1 || !hashedName.MatchString(execs[0]) || read(execs[0]) != string(stock) {
		t.Errorf("want one content-hashed copy of this Go toolchain's wasm_exec.js, got %v", execs)
	}

	stable := []string{"index.html", "docs.html", "embed.js", "eksdoctor.js", "_headers", ".nojekyll"}
	for _, f := range files {
		base := strings.TrimSuffix(strings.TrimSuffix(f, ".br"), ".gz")
		switch {
		case strings.HasPrefix(f, "examples/"), slices.Contains(stable, base):
		case !hashedName.MatchString(path.Base(base)):
			t.Errorf("%s: an asset without a content hash in its name", f)
		}
		if strings.HasSuffix(f, ".br") || strings.HasSuffix(f, ".gz") {
			continue
		}
		if ext := filepath.Ext(f); ext == ".js" || ext == ".css" || ext == ".html" || ext == ".json" || ext == ".wasm" {
			for _, z := range []string{".br", ".gz"} {
				if !slices.Contains(files, f+z) {
					t.Errorf("%s has no precompressed %s", f, z)
				}
			}
		}
		if ext := filepath.Ext(f); ext == ".js" || ext == ".html" || ext == ".css" {
			checkReferences(t, f, read(f), files)
		}
	}
	for _, page := range []string{"index.html", "docs.html"} {
		html := read(page)
		if regexp.MustCompile(`<script(?:\s+type="module")?>|<style|\sstyle=|\son[a-z]+=`).MatchString(html) {
			t.Errorf("%s has an inline script, style or event handler", page)
		}
		want := strings.Replace(webserve.CSP, "; frame-ancestors 'none'", "", 1)
		if !strings.Contains(html, `<meta http-equiv="Content-Security-Policy" content="`+want+`">`) {
			t.Errorf("%s should carry the site's policy (minus frame-ancestors) in a meta tag: %s", page, want)
		}
	}

	headers := read("_headers")
	if !strings.Contains(headers, "/*\n  Content-Security-Policy: "+webserve.CSP+"\n") {
		t.Errorf("_headers should send webserve.CSP for every path:\n%s", headers)
	}
	for _, f := range files {
		want := "public, max-age=31536000, immutable"
		base := strings.TrimSuffix(strings.TrimSuffix(f, ".br"), ".gz")
		switch {
		case f == "_headers" || f == ".nojekyll" || base != f && !strings.HasSuffix(base, ".wasm"):
			continue
		case strings.HasPrefix(f, "examples/"):
			f, want = "examples/*", "no-cache"
		case slices.Contains(stable, f):
			want = "no-cache"
		}
		if !strings.Contains(headers, "\n/"+f+"\n  Cache-Control: "+want+"\n") {
			t.Errorf("_headers should give /%s Cache-Control: %s", f, want)
		}
	}
	for _, f := range m.FirstVisit {
		if !slices.Contains(files, f) {
			t.Errorf("%s lists %s in the first visit, but dist/ has no such file", meta, f)
		}
	}
}

// checkReferences fails t for each URL in a page or module that is not a
// relative reference to a file of the site (data: URLs and links out of
// the site's pages excepted).
func checkReferences(t *testing.T, name, text string, files []string) {
	t.Helper()
	if strings.HasSuffix(name, ".html") {
		text = preformatted.ReplaceAllString(text, "") // code samples, not references
	}
	for _, m := range reference.FindAllStringSubmatch(text, -1) {
		ref := strings.Join(m[1:], "")
		switch {
		case strings.HasPrefix(ref, "data:"), strings.HasPrefix(ref, "#"):
		case strings.HasSuffix(name, ".html") && strings.HasPrefix(ref, "https://"):
		case strings.HasPrefix(ref, "/") || strings.Contains(ref, "://"):
			t.Errorf("%s refers to %q: only relative references work on every host", name, ref)
		default:
			target := strings.TrimPrefix(ref, "./")
			if !slices.Contains(files, target) {
				t.Errorf("%s refers to %q, which dist/ does not have", name, ref)
			}
		}
	}
}

// filter returns the elements of s that keep accepts.
func filter[T any](s []T, keep func(T) bool) []T {
	var out []T
	for _, x := range s {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// runGo runs the go command and returns its output.
func runGo(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}
