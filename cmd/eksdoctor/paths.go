package main

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// input is one file to analyse.
type input struct {
	// path names it in output: slash-separated, as given or found under
	// a directory argument; stdinName for standard input.
	path string
	// file is where to read it; "" for standard input.
	file string
	// named is set for a file or stdin named on the command line rather
	// than found under a directory.
	named bool
}

// stdinName names standard input in output.
const stdinName = "<stdin>"

// skippedDirs are directories a walk never enters: version control,
// dependencies and Terraform's cache.
var skippedDirs = []string{".git", "node_modules", "vendor", ".terraform"}

// readExts are the endings of the files a walk reads without --all-files
// (.tf.json ends in .json).
var readExts = []string{".yaml", ".yml", ".json", ".tf", ".md", ".txt", ".log", ".kubeconfig"}

// selection chooses the files a walk of a directory reads.
type selection struct {
	include, exclude []string // path.Match patterns, see matches
	all              bool     // every file, whatever its name
}

// readable reports whether a walk reads a file with path rel (slash path
// relative to the directory argument) by its name alone: a config or
// text extension, or a kubeconfig's name.
func readable(rel string) bool {
	base := path.Base(rel)
	return slices.Contains(readExts, path.Ext(base)) || base == "kubeconfig" ||
		base == "config" && path.Base(path.Dir(rel)) == ".kube"
}

// chooses reports whether the selection reads the file at rel.
func (s selection) chooses(rel string) bool {
	return (s.all || readable(rel)) &&
		(len(s.include) == 0 || slices.ContainsFunc(s.include, func(p string) bool { return matches(p, rel) })) &&
		!s.excludes(rel)
}

// excludes reports whether an --exclude pattern matches rel.
func (s selection) excludes(rel string) bool {
	return slices.ContainsFunc(s.exclude, func(p string) bool { return matches(p, rel) })
}

// matches reports whether the path.Match pattern matches rel, a slash
// path relative to the directory argument, or one of its parent
// directories. A pattern without a slash matches any one element: "*.md"
// every Markdown file, "testdata" everything under a testdata directory.
func matches(pattern, rel string) bool {
	if !strings.Contains(pattern, "/") {
		return slices.ContainsFunc(strings.Split(rel, "/"), func(elem string) bool {
			ok, _ := path.Match(pattern, elem)
			return ok
		})
	}
	for p := rel; p != "."; p = path.Dir(p) {
		if ok, _ := path.Match(pattern, p); ok {
			return true
		}
	}
	return false
}

// collect lists the inputs the arguments name, in order, each once: "-"
// is stdin, a file is read whatever its name, and a directory is walked
// in lexical order for the files sel chooses. Arguments that cannot be
// read are returned as errors; the rest are still listed.
func collect(args []string, sel selection) (inputs []input, errs []error) {
	seen := map[string]bool{}
	add := func(in input) {
		if !seen[in.path] {
			seen[in.path] = true
			inputs = append(inputs, in)
		}
	}
	for _, arg := range args {
		if arg == "-" {
			add(input{path: stdinName, named: true})
			continue
		}
		info, err := os.Stat(arg)
		switch {
		case err != nil:
			errs = append(errs, err)
		case !info.IsDir():
			add(input{path: filepath.ToSlash(filepath.Clean(arg)), file: arg, named: true})
		default:
			errs = append(errs, walk(arg, sel, add)...)
		}
	}
	return inputs, errs
}

// walk calls add for every file under dir that sel chooses.
func walk(dir string, sel selection, add func(input)) (errs []error) {
	filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		rel, _ := filepath.Rel(dir, name)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (slices.Contains(skippedDirs, d.Name()) || sel.excludes(rel)) {
				return filepath.SkipDir
			}
			return nil
		}
		if regular(name, d) && sel.chooses(rel) {
			add(input{path: filepath.ToSlash(name), file: name})
		}
		return nil
	})
	return errs
}

// regular reports whether the entry is a regular file or a link to one.
func regular(name string, d fs.DirEntry) bool {
	if d.Type()&fs.ModeSymlink != 0 {
		info, err := os.Stat(name)
		return err == nil && info.Mode().IsRegular()
	}
	return d.Type().IsRegular()
}

// globs is a repeatable flag of comma-separated path.Match patterns.
type globs []string

func (g *globs) String() string { return strings.Join(*g, ",") }

func (g *globs) Set(v string) error {
	for p := range strings.SplitSeq(v, ",") {
		if _, err := path.Match(p, ""); err != nil || p == "" {
			return fmt.Errorf("%q is not a pattern", p)
		}
		*g = append(*g, p)
	}
	return nil
}
