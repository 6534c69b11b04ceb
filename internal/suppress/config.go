package suppress

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
	yaml "go.yaml.in/yaml/v3"
)

// ConfigName is the name of the config file Find looks for.
const ConfigName = ".eksdoctor.yaml"

// Config is a .eksdoctor.yaml file. Globs are slash-separated and relative
// to the file's directory (see match).
type Config struct {
	// Path is the file's path; Dir is its directory, absolute.
	Path, Dir string
	// FailOn is the severity at or above which the CLI fails (or "none"),
	// "" to keep the CLI's default.
	FailOn string
	// Skip are rule IDs suppressed in every file.
	Skip []string
	// Exclude are globs of files not to analyse.
	Exclude []string
	// Paths suppress rules in the files their globs match.
	Paths []PathSkip
}

// PathSkip suppresses rules in some files.
type PathSkip struct {
	// Path is a glob.
	Path string
	// Skip are the rule IDs suppressed in the files Path matches.
	Skip []string
}

// Find looks for ConfigName in dir, then in each directory above it,
// stopping after the repository's root (the first directory holding .git)
// or at the filesystem's root. It returns the file's path, or "" when
// there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		name := filepath.Join(dir, ConfigName)
		if found, err := exists(name); found || err != nil {
			return name, err
		}
		if root, err := exists(filepath.Join(dir, ".git")); root || err != nil {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// exists reports whether name exists; err is any error but its absence.
func exists(name string) (bool, error) {
	_, err := os.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Load reads and checks the config file at name; known is as for
// CheckRule.
func Load(name string, known func(id string) bool) (*Config, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return Parse(name, data, known)
}

// Parse reads the config file named name from data and checks it: an
// unknown field, a rule ID CheckRule refuses, a malformed glob or a
// failOn that is not a severity is an error naming the file and line.
func Parse(name string, data []byte, known func(id string) bool) (*Config, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	var raw rawConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil && err != io.EOF {
		return nil, yamlError(name, err)
	}
	c := &Config{Path: name, Dir: filepath.Dir(abs), FailOn: raw.FailOn.value}
	var errs []error
	fail := func(at pos, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", name, at.line, fmt.Sprintf(format, args...)))
	}
	if _, ok := core.SeverityRank(c.FailOn); c.FailOn != "" && c.FailOn != "none" && !ok {
		fail(raw.FailOn, "failOn %q is not a severity (critical, high, medium, low, info or none)", c.FailOn)
	}
	rules := func(ids []pos) []string {
		var out []string
		for _, id := range ids {
			if err := CheckRule(id.value, known); err != nil {
				fail(id, "skip: %v", err)
			}
			out = append(out, id.value)
		}
		return out
	}
	glob := func(field string, pattern pos) string {
		if err := checkGlob(pattern.value); err != nil {
			fail(pattern, "%s: %v", field, err)
		}
		return pattern.value
	}
	c.Skip = rules(raw.Skip)
	for _, pattern := range raw.Exclude {
		c.Exclude = append(c.Exclude, glob("exclude", pattern))
	}
	for i, p := range raw.Paths {
		if p.Path.value == "" {
			errs = append(errs, fmt.Errorf("%s: paths entry %d has no path", name, i+1))
			continue
		}
		c.Paths = append(c.Paths, PathSkip{Path: glob("path", p.Path), Skip: rules(p.Skip)})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// rawConfig is the file as written, every value with its line.
type rawConfig struct {
	FailOn  pos       `yaml:"failOn"`
	Skip    []pos     `yaml:"skip"`
	Exclude []pos     `yaml:"exclude"`
	Paths   []rawPath `yaml:"paths"`
}

// rawPath is an entry of paths as written.
type rawPath struct {
	Path pos   `yaml:"path"`
	Skip []pos `yaml:"skip"`
}

// pos is a string value and the line it is on.
type pos struct {
	value string
	line  int
}

// UnmarshalYAML reads a string and remembers its line.
func (p *pos) UnmarshalYAML(n *yaml.Node) error {
	p.line = n.Line
	return n.Decode(&p.value)
}

// yamlLine matches the "line N: " yaml.v3 starts its messages with.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// unknownField matches yaml.v3's message for a field not in the struct.
var unknownField = regexp.MustCompile(`^field (.*) not found in type .*$`)

// goTypes names the types of rawConfig in words, for yaml.v3's messages.
var goTypes = strings.NewReplacer(
	"[]suppress.rawPath", "a list of entries with path and skip", "suppress.rawPath", "an entry with path and skip",
	"[]suppress.pos", "a list", "suppress.pos", "a string", "suppress.rawConfig", "a mapping")

// yamlError rewrites a yaml.v3 decoding error as FILE:LINE: messages.
func yamlError(name string, err error) error {
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	if te, ok := errors.AsType[*yaml.TypeError](err); ok {
		msgs = te.Errors
	}
	errs := make([]error, len(msgs))
	for i, msg := range msgs {
		at := name
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			at, msg = name+":"+m[1], m[2]
		}
		msg = unknownField.ReplaceAllString(msg, "unknown field $1 (known: failOn, skip, exclude, paths; in paths: path, skip)")
		errs[i] = fmt.Errorf("%s: %s", at, goTypes.Replace(msg))
	}
	return errors.Join(errs...)
}

// name returns path relative to c's directory, slash-separated; ok is
// false without a config or when path is outside its directory.
func (c *Config) name(p string) (name string, ok bool) {
	if c == nil {
		return "", false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// pathSkips maps each rule that paths entries skip in the file at p to
// the glob of the first such entry; nil without a config or for a file
// outside its directory, which no glob matches.
func (c *Config) pathSkips(p string) map[string]string {
	name, ok := c.name(p)
	if !ok {
		return nil
	}
	skips := map[string]string{}
	for _, ps := range c.Paths {
		if !match(ps.Path, name) {
			continue
		}
		for _, id := range ps.Skip {
			if _, first := skips[id]; !first {
				skips[id] = ps.Path
			}
		}
	}
	return skips
}

// checkGlob says what is wrong with a glob, or returns nil.
func checkGlob(pattern string) error {
	if pattern == "" || strings.HasPrefix(pattern, "/") {
		return fmt.Errorf("%q: write a glob relative to the config file's directory", pattern)
	}
	for seg := range strings.SplitSeq(pattern, "/") {
		if _, err := path.Match(seg, ""); err != nil || seg == ".." {
			return fmt.Errorf("%q is not a valid glob", pattern)
		}
	}
	return nil
}

// match reports whether the slash-separated name, or a directory it is
// in, matches pattern. Each segment of pattern matches one of name's as
// path.Match does, and a segment "**" matches any number of them, none
// included. A pattern is anchored at the config file's directory: "*.tf"
// matches main.tf but not modules/iam/main.tf, which "**/*.tf" matches.
func match(pattern, name string) bool {
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

// matchSegments is match on split paths.
func matchSegments(pattern, name []string) bool {
	for ; len(pattern) > 0; pattern, name = pattern[1:], name[1:] {
		if pattern[0] == "**" {
			for i := range len(name) + 1 {
				if matchSegments(pattern[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pattern[0], name[0]); !ok {
			return false
		}
	}
	return true
}
