// Command gen writes internal/k8sapi/table.go from the API discovery
// documents that the Kubernetes project generates into api/discovery/ of
// each release (hack/update-openapi-spec.sh runs a kube-apiserver with every
// alpha and beta API enabled and saves what it serves). It reads them from
// the k8s.io/kubernetes module zips on the Go module proxy ($GOPROXY), in
// memory, after checking each zip against its pinned go.sum hash. From the
// module root:
//
//	go run ./internal/k8sapi/gen
//
// The core group comes from api__v1.json, the other groups from
// aggregated_v2.json, or aggregated_v2beta1.json (same fields) in the
// releases that have no v2 file. The entries of authzOnly are added to them.
package main

import (
	"archive/zip"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// release is one pinned k8s.io/kubernetes module version and its go.sum
// hash (as sum.golang.org records it).
type release struct {
	version, sum string
}

// pinned lists one release per Kubernetes minor, each the newest patch that
// go list -m -versions k8s.io/kubernetes listed when it was last updated
// (that list has v1.13.0, then nothing before v1.29.6). Updating it: add
// the version and its hash from <GOPROXY>/sumdb/sum.golang.org/lookup/
// k8s.io/kubernetes@VERSION, then go generate ./internal/k8sapi.
var pinned = []release{
	{"v1.29.6", "h1:jn8kA/oVOAWZOeoorx6xZ4d+KgGp+Evgi90x9bEI/DE="},
	{"v1.30.14", "h1:MrlKXh9uhLIJpyxOeXhcndzRVSvwiV9iJ8NgH8nqPsg="},
	{"v1.31.14", "h1:UtjLfqvXLuSVDdJ4+NpQCIfFkKkLnAAVmxAEMsnkhjk="},
	{"v1.32.13", "h1:5TGYdZ6YZqdp6h/Rp1vX/4TIoybMPdgv97LCZCtPuNQ="},
	{"v1.33.13", "h1:bmH31xUdSzeA5vk0wZAK9MZp11mdLuzUSeKk0qN3hPQ="},
	{"v1.34.4", "h1:Yy6R4QB8C9kJPp25GFqEvX5XQwY5qzKeqD0Xx6oAcmk="},
	{"v1.35.4", "h1:o/8dBC/pHVpYoGV4OAIytAlNPZbdYVTXJHoYvXC4qzM="},
	{"v1.36.3", "h1:qDQdoMiluAE2Eab6Fa52YV+WjiGz9mZFFoagEA6cI+o="},
	{"v1.37.2", "h1:A2VDEiObzkYqFTKhSsn0ZEb0RlLEXpHWj93gi2HqEwE="},
}

// extra is a resource, or "resource/subresource", that authorization checks
// although discovery does not list it, or verbs that authorization checks on
// a listed one. Its verbs and aliases are separated by spaces; first and
// last are minors, 0 meaning the first or last pinned one.
type extra struct {
	group, name string
	first, last int
	namespaced  bool
	verbs       string
	aliases     string
}

// authzOnly lists what built-in authorization checks ask about beyond
// discovery, so that rules naming it are not taken for rules that match
// nothing. Paths are in the kubernetes repository at the pinned releases;
// the staging ones are in the k8s.io/apiserver module of the same minor.
var authzOnly = []extra{
	// Impersonation, staging/src/k8s.io/apiserver/pkg/endpoints/filters/
	// impersonation.go (impersonation/impersonation.go from 1.35): the
	// impersonate verb on core users, groups and serviceaccounts, and on
	// authentication.k8s.io uids and userextras/<extra key>.
	{group: "", name: "users", verbs: "impersonate", aliases: "user"},
	{group: "", name: "groups", verbs: "impersonate", aliases: "group"},
	{group: "", name: "serviceaccounts", namespaced: true, verbs: "impersonate"},
	{group: "authentication.k8s.io", name: "uids", verbs: "impersonate", aliases: "uid"},
	{group: "authentication.k8s.io", name: "userextras/*", verbs: "impersonate"},
	// Constrained impersonation (KEP-5284, alpha from 1.35), same files:
	// impersonate:<mode> on authentication.k8s.io resources.
	{group: "authentication.k8s.io", name: "users", first: 35, verbs: "impersonate:user-info", aliases: "user"},
	{group: "authentication.k8s.io", name: "groups", first: 35, verbs: "impersonate:user-info", aliases: "group"},
	{group: "authentication.k8s.io", name: "uids", first: 35, verbs: "impersonate:user-info", aliases: "uid"},
	{group: "authentication.k8s.io", name: "userextras/*", first: 35, verbs: "impersonate:user-info"},
	{group: "authentication.k8s.io", name: "serviceaccounts", first: 35, namespaced: true, verbs: "impersonate:serviceaccount", aliases: "serviceaccount sa"},
	{group: "authentication.k8s.io", name: "nodes", first: 35, verbs: "impersonate:arbitrary-node impersonate:associated-node", aliases: "node no"},
	// pkg/registry/rbac/escalation_check.go: bind and escalate.
	{group: "rbac.authorization.k8s.io", name: "roles", namespaced: true, verbs: "bind escalate"},
	{group: "rbac.authorization.k8s.io", name: "clusterroles", verbs: "bind escalate"},
	// Signer names, pkg/certauthorization/certauthorization.go (pkg/apis/
	// certificates before 1.33): approve (plugin/pkg/admission/certificates/
	// approval), sign (certificates/signing), attest (certificates/ctbattest).
	{group: "certificates.k8s.io", name: "signers", verbs: "approve sign attest", aliases: "signer"},
	// pkg/registry/core/serviceaccount/storage/token.go (1.37): attest on the
	// API groups a token for an admission webhook may be audienced to.
	{group: "authentication.k8s.io", name: "admissionReviewAPIGroups", first: 37, verbs: "attest"},
	// The kubelet's API, pkg/kubelet/server/auth.go: nodes/<subresource>,
	// with the verb its HTTP method maps to.
	{group: "", name: "nodes/stats", verbs: kubeletVerbs},
	{group: "", name: "nodes/metrics", verbs: kubeletVerbs},
	{group: "", name: "nodes/log", verbs: kubeletVerbs},
	{group: "", name: "nodes/checkpoint", first: 30, verbs: kubeletVerbs},
	{group: "", name: "nodes/configz", first: 32, verbs: kubeletVerbs},
	{group: "", name: "nodes/healthz", first: 32, verbs: kubeletVerbs},
	{group: "", name: "nodes/pods", first: 32, verbs: kubeletVerbs},
	{group: "", name: "nodes/statusz", first: 33, verbs: kubeletVerbs},
	// Dynamic resource allocation, pkg/registry/resource/utils.go (1.36):
	// synthetic subresources checked when a claim's status changes.
	{group: "resource.k8s.io", name: "resourceclaims/binding", first: 36, namespaced: true, verbs: "update patch"},
	{group: "resource.k8s.io", name: "resourceclaims/driver", first: 36, namespaced: true,
		verbs: "associated-node:update associated-node:patch arbitrary-node:update arbitrary-node:patch"},
}

// kubeletVerbs are the verbs the kubelet maps HTTP methods to.
const kubeletVerbs = "get create update patch delete"

// standardVerbs come first, in this order, in the generated verb list;
// the others follow sorted.
var standardVerbs = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}

func main() {
	out := flag.String("o", "internal/k8sapi/table.go", "the file to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("k8sapi/gen: ")
	if err := run(*out); err != nil {
		log.Fatal(err)
	}
}

func run(out string) error {
	proxy, err := moduleProxy()
	if err != nil {
		return err
	}
	cat := catalog{}
	var sources []string
	for _, r := range pinned {
		file, err := addRelease(cat, proxy, r)
		if err != nil {
			return fmt.Errorf("%s: %w", r.version, err)
		}
		sources = append(sources, r.version+" "+file)
	}
	if err := addExtras(cat); err != nil {
		return err
	}
	src, err := render(cat, sources)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

// moduleProxy returns the first proxy URL of `go env GOPROXY`.
func moduleProxy() (string, error) {
	env, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOPROXY: %w", err)
	}
	for p := range strings.FieldsFuncSeq(strings.TrimSpace(string(env)), func(r rune) bool { return r == ',' || r == '|' }) {
		if p != "direct" && p != "off" {
			return strings.TrimSuffix(p, "/"), nil
		}
	}
	return "", fmt.Errorf("GOPROXY=%s names no proxy", env)
}

// addRelease adds the discovery documents of r to cat and returns the
// name of the file the non-core groups came from.
func addRelease(cat catalog, proxy string, r release) (string, error) {
	minor, err := minorOf(r.version)
	if err != nil {
		return "", err
	}
	files, err := download(proxy, r)
	if err != nil {
		return "", err
	}
	core, err := readFile(files, r.version, "api__v1.json")
	if err != nil {
		return "", err
	}
	if err := addCore(cat, minor, core); err != nil {
		return "", fmt.Errorf("api__v1.json: %w", err)
	}
	for _, name := range []string{"aggregated_v2.json", "aggregated_v2beta1.json"} {
		groups, err := readFile(files, r.version, name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := addGroups(cat, minor, groups); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return name, nil
	}
	return "", errors.New("no aggregated discovery document")
}

// minorOf returns 29 for "v1.29.6".
func minorOf(version string) (int, error) {
	parts := strings.Split(strings.TrimPrefix(version, "v"), ".")
	if len(parts) != 3 || parts[0] != "1" {
		return 0, fmt.Errorf("version %q is not v1.MINOR.PATCH", version)
	}
	return strconv.Atoi(parts[1])
}

// download fetches the module zip of r and checks it against r.sum.
func download(proxy string, r release) (*zip.Reader, error) {
	url := proxy + "/k8s.io/kubernetes/@v/" + r.version + ".zip"
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	files, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	sum, err := hash1(files)
	if err != nil {
		return nil, err
	}
	if sum != r.sum {
		return nil, fmt.Errorf("%s has hash %s, pinned %s", url, sum, r.sum)
	}
	return files, nil
}

// hash1 computes the go.sum "h1:" hash of a module zip, as
// golang.org/x/mod/sumdb/dirhash.Hash1 does.
func hash1(files *zip.Reader) (string, error) {
	byName := map[string]*zip.File{}
	for _, f := range files.File {
		byName[f.Name] = f
	}
	summary := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		if strings.Contains(name, "\n") {
			return "", fmt.Errorf("file name %q has a newline", name)
		}
		sum, err := fileSHA256(byName[name])
		if err != nil {
			return "", err
		}
		fmt.Fprintf(summary, "%x  %s\n", sum, name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(summary.Sum(nil)), nil
}

func fileSHA256(f *zip.File) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return h.Sum(nil), nil
}

// readFile returns api/discovery/name from the zip of version, or an
// error wrapping os.ErrNotExist.
func readFile(files *zip.Reader, version, name string) ([]byte, error) {
	r, err := files.Open("k8s.io/kubernetes@" + version + "/api/discovery/" + name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// resource is what the catalog knows of one resource or subresource.
type resource struct {
	minors     uint64 // bit m set: the resource exists in minor m
	served     bool   // listed by discovery, not only in authzOnly
	namespaced bool
	verbs      map[string]bool
	aliases    map[string]bool // singular name and short names
}

type key struct{ group, name string }

// catalog holds every resource seen, by group and name ("pods/log").
type catalog map[key]*resource

// add records that group has resource name in minor.
func (c catalog) add(minor int, group, name string, namespaced, served bool, verbs, aliases []string) error {
	if len(verbs) == 0 {
		return fmt.Errorf("%s %q has no verbs", group, name)
	}
	k := key{group, name}
	r := c[k]
	if r == nil {
		r = &resource{namespaced: namespaced, verbs: map[string]bool{}, aliases: map[string]bool{}}
		c[k] = r
	}
	if r.namespaced != namespaced {
		return fmt.Errorf("%s %q is namespaced in some minors and not in others", group, name)
	}
	r.minors |= 1 << minor
	r.served = r.served || served
	for _, v := range verbs {
		r.verbs[v] = true
	}
	for _, a := range aliases {
		if a != "" && a != name {
			r.aliases[a] = true
		}
	}
	return nil
}

// addCore adds an APIResourceList (api__v1.json), whose subresources are
// listed as "resource/subresource".
func addCore(cat catalog, minor int, data []byte) error {
	var list struct {
		Resources []struct {
			Name         string
			SingularName string
			Namespaced   bool
			Verbs        []string
			ShortNames   []string
		}
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	if len(list.Resources) == 0 {
		return errors.New("no resources")
	}
	for _, r := range list.Resources {
		aliases := append([]string{r.SingularName}, r.ShortNames...)
		if strings.Contains(r.Name, "/") {
			aliases = nil
		}
		if err := cat.add(minor, "", r.Name, r.Namespaced, true, r.Verbs, aliases); err != nil {
			return err
		}
	}
	return nil
}

// addGroups adds an APIGroupDiscoveryList (aggregated_v2.json), every
// version of every group.
func addGroups(cat catalog, minor int, data []byte) error {
	var list struct {
		Items []struct {
			Metadata struct{ Name string }
			Versions []struct {
				Resources []struct {
					Resource         string
					SingularResource string
					Scope            string
					Verbs            []string
					ShortNames       []string
					Subresources     []struct {
						Subresource string
						Verbs       []string
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	if len(list.Items) == 0 {
		return errors.New("no groups")
	}
	for _, g := range list.Items {
		for _, v := range g.Versions {
			for _, r := range v.Resources {
				namespaced := r.Scope == "Namespaced"
				aliases := append([]string{r.SingularResource}, r.ShortNames...)
				if err := cat.add(minor, g.Metadata.Name, r.Resource, namespaced, true, r.Verbs, aliases); err != nil {
					return err
				}
				for _, s := range r.Subresources {
					if err := cat.add(minor, g.Metadata.Name, r.Resource+"/"+s.Subresource, namespaced, true, s.Verbs, nil); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// addExtras adds authzOnly to cat.
func addExtras(cat catalog) error {
	firstMinor, lastMinor := pinnedMinors()
	for _, e := range authzOnly {
		first, last := cmp.Or(e.first, firstMinor), cmp.Or(e.last, lastMinor)
		for m := first; m <= last; m++ {
			if err := cat.add(m, e.group, e.name, e.namespaced, false, strings.Fields(e.verbs), strings.Fields(e.aliases)); err != nil {
				return err
			}
		}
	}
	return nil
}

// pinnedMinors returns the minors of the first and last pinned releases.
func pinnedMinors() (first, last int) {
	first, _ = minorOf(pinned[0].version)
	last, _ = minorOf(pinned[len(pinned)-1].version)
	return first, last
}

// span returns the lowest and highest minor of r, or an error if r is
// missing from a minor in between.
func (r *resource) span() (first, last int, err error) {
	for m := range 64 {
		if r.minors&(1<<m) == 0 {
			continue
		}
		if first == 0 {
			first = m
		} else if m != last+1 {
			return 0, 0, fmt.Errorf("missing from minors %d to %d", last+1, m-1)
		}
		last = m
	}
	return first, last, nil
}

// verbOrder returns every verb of cat, standard verbs first.
func verbOrder(cat catalog) []string {
	others := map[string]bool{}
	for _, r := range cat {
		for v := range r.verbs {
			if !slices.Contains(standardVerbs, v) {
				others[v] = true
			}
		}
	}
	return append(slices.Clone(standardVerbs), slices.Sorted(maps.Keys(others))...)
}

// verbConst returns the Go constant naming verb v: vGet, vImpersonateUserInfo.
func verbConst(v string) string {
	var b strings.Builder
	b.WriteString("v")
	for _, word := range strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == ':' }) {
		b.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	return b.String()
}

// render returns the gofmt'd table.go for cat.
func render(cat catalog, sources []string) ([]byte, error) {
	verbs := verbOrder(cat)
	if len(verbs) > 32 {
		return nil, fmt.Errorf("%d verbs do not fit a verbSet", len(verbs))
	}
	firstMinor, lastMinor := pinnedMinors()
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/k8sapi/gen; DO NOT EDIT.\n\n")
	b.WriteString("// Sources, api/discovery/ of each k8s.io/kubernetes release (api__v1.json\n// for the core group) and the authzOnly list of gen/main.go:\n")
	for _, s := range sources {
		fmt.Fprintf(&b, "//   - %s\n", s)
	}
	b.WriteString("\npackage k8sapi\n\n")
	b.WriteString("// sourceVersions are the k8s.io/kubernetes releases the table was generated from.\n")
	fmt.Fprintf(&b, "var sourceVersions = [...]string{%s}\n\n", quoteAll(versions()))
	fmt.Fprintf(&b, "// The minors the table covers.\nconst (\n\tfirstMinor = %d\n\tlastMinor = %d\n)\n\n", firstMinor, lastMinor)
	b.WriteString("// verbNames are the verbs of the verbSet bits, lowest first.\n")
	fmt.Fprintf(&b, "var verbNames = [...]string{%s}\n\n", quoteAll(verbs))
	b.WriteString("const (\n")
	for i, v := range verbs {
		fmt.Fprintf(&b, "\t%s verbSet = 1 << %d\n", verbConst(v), i)
	}
	b.WriteString(")\n\n")
	b.WriteString("// table lists every resource and subresource, sorted by group then name.\n")
	b.WriteString("var table = [...]entry{\n")
	for _, k := range sortedKeys(cat) {
		line, err := entryLiteral(k, cat[k], verbs)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", k.group, k.name, err)
		}
		b.WriteString(line)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

func versions() []string {
	var vs []string
	for _, r := range pinned {
		vs = append(vs, r.version)
	}
	return vs
}

func quoteAll(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = strconv.Quote(s)
	}
	return strings.Join(quoted, ", ")
}

// sortedKeys returns the keys of cat by group, then name, as the table is sorted.
func sortedKeys(cat catalog) []key {
	return slices.SortedFunc(maps.Keys(cat), func(a, b key) int {
		return cmp.Or(strings.Compare(a.group, b.group), strings.Compare(a.name, b.name))
	})
}

// entryLiteral returns the table line of one resource.
func entryLiteral(k key, r *resource, verbs []string) (string, error) {
	first, last, err := r.span()
	if err != nil {
		return "", err
	}
	var flags []string
	if r.namespaced {
		flags = append(flags, "namespaced")
	}
	if !r.served {
		flags = append(flags, "authzOnly")
	}
	var set []string
	for _, v := range verbs {
		if r.verbs[v] {
			set = append(set, verbConst(v))
		}
	}
	return fmt.Sprintf("\t{%q, %q, %q, %d, %d, %s, %s},\n",
		k.group, k.name, strings.Join(slices.Sorted(maps.Keys(r.aliases)), " "),
		first, last, cmp.Or(strings.Join(flags, "|"), "0"), strings.Join(set, "|")), nil
}
