package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/eksdoctor/eksdoctor/internal/webserve"
)

// serve serves a built site directory until the process is stopped.
func serve(args []string, e env) int {
	fs := newFlags("serve", "[flags] DIR", e)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this host:port")
	rest, status, stop := parseN(fs, args, 1)
	if stop {
		return status
	}
	dir := rest[0]
	if _, err := os.Stat(dir + "/index.html"); err != nil {
		fmt.Fprintf(e.stderr, "eksdoctor serve: %s has no index.html (run make dist first?)\n", dir)
		return exitError
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "eksdoctor serve: %v\n", err)
		return exitError
	}
	fmt.Fprintf(e.stdout, "eksdoctor: serving %s at http://%s/ (Ctrl-C to stop)\n", dir, ln.Addr())
	srv := &http.Server{Handler: webserve.Handler(os.DirFS(dir)), ReadHeaderTimeout: 10 * time.Second}
	err = srv.Serve(ln)
	fmt.Fprintf(e.stderr, "eksdoctor serve: %v\n", err)
	return exitError
}
