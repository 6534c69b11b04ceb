package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
)

// fixMode is --fix: "" (off), fixRepairs (--fix) or fixAll (--fix=all).
type fixMode string

const (
	fixRepairs fixMode = "repairs"
	fixAll     fixMode = "all"
)

func (m *fixMode) String() string   { return string(*m) }
func (m *fixMode) IsBoolFlag() bool { return true }

func (m *fixMode) Set(v string) error {
	switch v {
	case "true", string(fixRepairs):
		*m = fixRepairs
	case string(fixAll):
		*m = fixAll
	case "false":
		*m = ""
	default:
		return fmt.Errorf("want --fix, --fix=all or --fix=false")
	}
	return nil
}

// fixed returns the fixed text of an analysed file with its real values,
// secrets included (it replaces the person's own file), or "" when
// nothing in it is fixed.
func (r *result) fixed() string {
	if r.skipped != "" || r.report.Fixed == "" {
		return ""
	}
	return core.Restore(r.text, r.report.Fixed)
}

// writeDiff writes the fixes of every file as one unified diff with
// a/PATH and b/PATH headers, which git apply accepts from the directory
// the paths are relative to.
func writeDiff(w io.Writer, results []*result, c *config) error {
	b := bufio.NewWriter(w)
	for _, r := range results {
		if fixed := r.fixed(); fixed != "" && r.file != "" {
			b.WriteString(core.Unified("a/"+r.path, "b/"+r.path, r.text, fixed))
		}
	}
	return b.Flush()
}

// writeFiles writes what --fix and --artifacts ask for.
func (c *config) writeFiles(results []*result) error {
	var errs []error
	if c.fix != "" {
		for _, r := range results {
			if fixed := r.fixed(); fixed != "" && r.file != "" {
				errs = append(errs, replaceFile(r.file, fixed))
			}
		}
	}
	if c.artifacts != "" {
		errs = append(errs, c.writeArtifacts(results))
	}
	return errors.Join(errs...)
}

// replaceFile replaces the file name with text atomically, keeping its
// mode: a reader sees the old file or the new, never half of one.
func replaceFile(name, text string) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".eksdoctor-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.WriteString(text)
	err = errors.Join(err, tmp.Chmod(info.Mode().Perm()), tmp.Close())
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// writeArtifacts writes the files the rules generated, with real values,
// into c.artifacts: directly for one input, else into one folder per
// input named by its path.
func (c *config) writeArtifacts(results []*result) error {
	done := analysed(results)
	var errs []error
	for _, r := range done {
		dir := c.artifacts
		if len(done) > 1 {
			dir = filepath.Join(dir, filepath.FromSlash(safePath(r.path)))
		}
		for i, a := range r.report.Artifacts {
			name := safePath(path.Base(a.Filename))
			if name == "" {
				name = fmt.Sprintf("artifact-%d.txt", i+1)
			}
			errs = append(errs, writeNew(filepath.Join(dir, name), core.Restore(r.text, a.Content)))
		}
	}
	return errors.Join(errs...)
}

// safePath returns p, a slash path, relative and without "." or ".."
// elements, so that it stays under the folder it is joined to; "" when
// nothing is left.
func safePath(p string) string {
	if p == stdinName {
		return "stdin"
	}
	var keep []string
	for elem := range strings.SplitSeq(strings.ReplaceAll(p, `\`, "/"), "/") {
		if elem != "" && elem != "." && elem != ".." {
			keep = append(keep, elem)
		}
	}
	return strings.Join(keep, "/")
}

// writeNew writes text to name, making its folder.
func writeNew(name, text string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(text), 0o644)
}
