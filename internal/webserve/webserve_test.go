package webserve

import (
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

var site = fstest.MapFS{
	"index.html":          {Data: []byte("<!doctype html>")},
	"app.wasm":            {Data: []byte("\x00asm plain")},
	"app.wasm.br":         {Data: []byte("brotli bytes")},
	"app.wasm.gz":         {Data: []byte("gzip bytes")},
	"only-gz.js":          {Data: []byte("plain js")},
	"only-gz.js.gz":       {Data: []byte("gzip js")},
	"sub/index.html":      {Data: []byte("sub index")},
	"no-extension-at-all": {Data: []byte("?")},
}

func get(t *testing.T, method, target, acceptEncoding string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	Handler(site).ServeHTTP(rec, req)
	return rec
}

func TestHandler(t *testing.T) {
	tests := []struct {
		name, method, target, acceptEncoding string
		status                               int
		body, ctype, encoding                string
	}{
		{"root serves index.html", "GET", "/", "", 200, "<!doctype html>", "text/html; charset=utf-8", ""},
		{"index by name", "GET", "/index.html", "", 200, "<!doctype html>", "text/html; charset=utf-8", ""},
		{"directory with slash", "GET", "/sub/", "", 200, "sub index", "text/html; charset=utf-8", ""},
		{"directory without slash is not listed", "GET", "/sub", "", 404, "", "", ""},
		{"wasm plain", "GET", "/app.wasm", "", 200, "\x00asm plain", "application/wasm", ""},
		{"wasm brotli preferred", "GET", "/app.wasm", "gzip, deflate, br, zstd", 200, "brotli bytes", "application/wasm", "br"},
		{"wasm gzip only", "GET", "/app.wasm", "gzip", 200, "gzip bytes", "application/wasm", "gzip"},
		{"brotli refused with q=0", "GET", "/app.wasm", "br;q=0, gzip;q=0.5", 200, "gzip bytes", "application/wasm", "gzip"},
		{"identity only", "GET", "/app.wasm", "identity", 200, "\x00asm plain", "application/wasm", ""},
		{"gzip sibling when br has none", "GET", "/only-gz.js", "br, gzip", 200, "gzip js", "text/javascript; charset=utf-8", "gzip"},
		{"unknown extension", "GET", "/no-extension-at-all", "", 200, "?", "application/octet-stream", ""},
		{"missing", "GET", "/nope.js", "br", 404, "", "", ""},
		{"traversal stays inside", "GET", "/../../etc/passwd", "", 404, "", "", ""},
		{"head", "HEAD", "/app.wasm", "br", 200, "", "application/wasm", "br"},
		{"post refused", "POST", "/index.html", "", 405, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, tt.method, tt.target, tt.acceptEncoding)
			res := rec.Result()
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.Header.Get("Content-Security-Policy"); got != CSP {
				t.Errorf("Content-Security-Policy = %q, want %q", got, CSP)
			}
			if tt.status != 200 {
				return
			}
			if tt.body != "" && rec.Body.String() != tt.body {
				t.Errorf("body = %q, want %q", rec.Body.String(), tt.body)
			}
			if got := res.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.encoding)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q, want Accept-Encoding", got)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
		})
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"gzip, deflate, br", "br", true},
		{"GZIP", "gzip", true},
		{"br;q=0", "br", false},
		{"br ; q=0.0", "br", false},
		{"br;q=0.1", "br", true},
		{"brotli", "br", false},
		{"", "gzip", false},
	}
	for _, tt := range tests {
		if got := accepts(tt.header, tt.coding); got != tt.want {
			t.Errorf("accepts(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
}
