package main

import (
	"fmt"
	"runtime/debug"

	"github.com/eksdoctor/eksdoctor/core"
)

// versionCmd prints the version.
func versionCmd(_ []string, e env) int {
	fmt.Fprintln(e.stdout, "eksdoctor", version())
	return exitOK
}

// version is core.Version when the build set it, else what the Go
// toolchain recorded: the module's version (go install …@v1.2.3), or the
// commit it was built from, marked "+dirty" with uncommitted changes.
func version() string {
	if core.Version != "dev" {
		return core.Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return core.Version
	}
	return buildVersion(info)
}

// buildVersion reads a version from build information, or returns "dev".
func buildVersion(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	rev := settings["vcs.revision"]
	if rev == "" {
		return core.Version
	}
	rev = rev[:min(len(rev), 12)]
	if settings["vcs.modified"] == "true" {
		rev += "+dirty"
	}
	return "dev-" + rev
}
