package webserve

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

const headersText = `# comment
/*
  Content-Security-Policy: default-src 'self'
  X-Frame: one

/app.123.js
  Cache-Control: public, max-age=31536000, immutable

/index.html
  Cache-Control: no-cache
/examples/*
  Cache-Control: no-cache
  X-Frame: two
/users/:id/card
  X-Card: yes
https://example.com/*
  X-Absolute: ignored
  not a header line
`

func TestSiteHeaders(t *testing.T) {
	site := fstest.MapFS{
		"_headers":          {Data: []byte(headersText)},
		"index.html":        {Data: []byte("<!doctype html>")},
		"app.123.js":        {Data: []byte("js")},
		"examples/a.yaml":   {Data: []byte("a: 1")},
		"users/7/card":      {Data: []byte("card")},
		".nojekyll":         {Data: []byte("")},
		"sub/.secret":       {Data: []byte("s")},
		"plain/no-rule.txt": {Data: []byte("t")},
	}
	tests := []struct {
		target string
		status int
		want   map[string]string
	}{
		{"/", 200, map[string]string{"Cache-Control": "no-cache", "Content-Security-Policy": "default-src 'self'", "X-Frame": "one"}},
		{"/app.123.js", 200, map[string]string{"Cache-Control": "public, max-age=31536000, immutable"}},
		{"/examples/a.yaml", 200, map[string]string{"Cache-Control": "no-cache", "X-Frame": "one, two"}},
		{"/users/7/card", 200, map[string]string{"X-Card": "yes"}},
		{"/plain/no-rule.txt", 200, map[string]string{"Cache-Control": "no-cache", "X-Absolute": "", "X-Card": ""}},
		{"/_headers", 404, nil},
		{"/.nojekyll", 404, nil},
		{"/sub/.secret", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			Handler(site).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.target, nil))
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			for name, want := range tt.want {
				if got := rec.Header().Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestCompilePattern(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/*", "/", true},
		{"/*", "/a/b.js", true},
		{"/a.js", "/a.js", true},
		{"/a.js", "/aXjs", false},
		{"/x/*", "/x/", true},
		{"/x/*", "/y/z", false},
		{"/:name/index", "/a/index", true},
		{"/:name/index", "/a/b/index", false},
	}
	for _, tt := range tests {
		if got := compilePattern(tt.pattern).MatchString(tt.path); got != tt.want {
			t.Errorf("compilePattern(%q).MatchString(%q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}
