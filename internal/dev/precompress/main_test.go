package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestCompressRoundTrip(t *testing.T) {
	name := filepath.Join(t.TempDir(), "site.wasm")
	want := bytes.Repeat([]byte("\x00asm eksdoctor "), 1000)
	if err := os.WriteFile(name, want, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := compress(name); err != nil {
		t.Fatal(err)
	}
	readers := map[string]func(io.Reader) (io.Reader, error){
		".br": func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		".gz": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	}
	for ext, newReader := range readers {
		f, err := os.Open(name + ext)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := newReader(f)
		if err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s does not decompress to the original (%d bytes, err %v)", ext, len(got), err)
		}
	}
}
