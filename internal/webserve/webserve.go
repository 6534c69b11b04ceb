// Package webserve serves eksdoctor's built site (dist/) for local preview
// and the end-to-end test: the right type for .wasm, precompressed .br and
// .gz siblings when the client accepts them, the site's Content Security
// Policy, and the headers of the site's _headers file, so that a preview
// behaves as Netlify or Cloudflare Pages would.
package webserve

import (
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// CSP is the Content-Security-Policy the site is served with: its own
// files only, WebAssembly compilation allowed, no inline scripts or styles.
// It applies to any directory served; a built site's _headers file carries
// the same policy (the end-to-end test checks), and its pages carry it,
// minus frame-ancestors, in a meta tag for hosts that cannot set headers.
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self'; " +
	"style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// types fixes the Content-Type of the files the site is made of, whatever
// the system's MIME tables say; other files go by mime.TypeByExtension.
var types = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".html": "text/html; charset=utf-8",
}

// encodings are the precompressed siblings looked for, best first.
var encodings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// Handler serves the files of site. A path naming a directory serves its
// index.html; directories are never listed. Dot files and the _headers
// file itself are not served.
func Handler(site fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		clean := path.Clean("/" + r.URL.Path)
		applyHeaders(h, siteHeaders(site), clean)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(clean, "/")
		if name == "" || strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		if hidden(name) {
			http.Error(w, http.StatusText(http.StatusNotFound), http.StatusNotFound)
			return
		}
		serve(w, r, site, name)
	})
}

// hidden reports whether name is a dot file or folder, or the _headers file.
func hidden(name string) bool {
	return name == headersFile || strings.HasPrefix(name, ".") || strings.Contains(name, "/.")
}

func serve(w http.ResponseWriter, r *http.Request, site fs.FS, name string) {
	h := w.Header()
	h.Set("Content-Type", contentType(name))
	h.Add("Vary", "Accept-Encoding")
	for _, enc := range encodings {
		if !accepts(r.Header.Get("Accept-Encoding"), enc.name) {
			continue
		}
		if f, info, err := open(site, name+enc.ext); err == nil {
			defer f.Close()
			h.Set("Content-Encoding", enc.name)
			http.ServeContent(w, r, name, info.ModTime(), f)
			return
		}
	}
	f, info, err := open(site, name)
	if err != nil {
		status := http.StatusNotFound
		if !errors.Is(err, fs.ErrNotExist) {
			status = http.StatusInternalServerError
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	defer f.Close()
	http.ServeContent(w, r, name, info.ModTime(), f)
}

func contentType(name string) string {
	ext := path.Ext(name)
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// file is what http.ServeContent needs of an opened file.
type file interface {
	fs.File
	io.ReadSeeker
}

// open opens a regular, seekable file of site.
func open(site fs.FS, name string) (file, fs.FileInfo, error) {
	f, err := site.Open(name)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fs.ErrNotExist
	}
	seekable, ok := f.(file)
	if err == nil && !ok {
		err = errors.New(name + " is not seekable")
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return seekable, info, nil
}

// accepts reports whether an Accept-Encoding header value allows coding,
// honouring q=0.
func accepts(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		token, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(token), coding) {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			q, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
		return q > 0
	}
	return false
}
