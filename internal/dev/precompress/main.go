// Command precompress writes FILE.br (brotli, best quality) and FILE.gz
// (gzip, best compression) beside each FILE it is given, so that `make
// dist` needs no system brotli and static servers can send them as is.
package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"

	"github.com/andybalholm/brotli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress FILE...")
		os.Exit(2)
	}
	for _, name := range os.Args[1:] {
		if err := compress(name); err != nil {
			fmt.Fprintln(os.Stderr, "precompress:", err)
			os.Exit(1)
		}
	}
}

func compress(name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	br := func(w io.Writer) io.WriteCloser {
		return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	}
	gz := func(w io.Writer) io.WriteCloser {
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression) // the level is valid
		return zw
	}
	if err := write(name+".br", data, br); err != nil {
		return err
	}
	return write(name+".gz", data, gz)
}

// write stores data compressed by the writer that newWriter returns.
func write(name string, data []byte, newWriter func(io.Writer) io.WriteCloser) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	zw := newWriter(f)
	if _, err := zw.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
