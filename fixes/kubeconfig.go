package fixes

import (
	"path"
	"regexp"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The kubeconfig family reads kubeconfig files (client-go's clientcmd v1
// Config) into one model, shared by its rules and by the error family,
// which weighs an error against the kubeconfig pasted with it.

// kubeconfig is what a kubeconfig document holds.
type kubeconfig struct {
	Clusters []kcCluster
	Users    []kcUser
	Contexts []kcContext
	// Current is current-context, or nil.
	Current *analysis.Scalar
}

// masksNames reports whether a name, or a reference to one, is masked.
func (kc *kubeconfig) masksNames() bool {
	names := []*analysis.Scalar{kc.Current}
	for _, c := range kc.Clusters {
		names = append(names, c.Name)
	}
	for _, u := range kc.Users {
		names = append(names, u.Name)
	}
	for _, c := range kc.Contexts {
		names = append(names, c.Name, c.Cluster, c.User)
	}
	return slices.ContainsFunc(names, func(s *analysis.Scalar) bool { return s != nil && !known(s.Value) })
}

// kcCluster is one entry of clusters.
type kcCluster struct {
	Item *yaml.Node
	// Name is the entry's name, or nil when it has none.
	Name                     *analysis.Scalar
	Server, CAData, Insecure *analysis.Scalar
	// Body is the cluster mapping.
	Body *yaml.Node
}

// kcUser is one entry of users.
type kcUser struct {
	Item *yaml.Node
	Name *analysis.Scalar
	// Token, ClientKey and Password are the static credentials it holds;
	// ClientCert is the certificate that goes with ClientKey.
	Token, ClientKey, Password, ClientCert *analysis.Scalar
	Exec                                   *kcExec
}

// kcExec is a user's credential plugin.
type kcExec struct {
	Node                *yaml.Node
	APIVersion, Command *analysis.Scalar
	Args                []analysis.Scalar
	// Env maps variable names to their values.
	Env map[string]*analysis.Scalar
}

// kcContext is one entry of contexts.
type kcContext struct {
	Item                *yaml.Node
	Name, Cluster, User *analysis.Scalar
}

// kubeconfigKey keeps what kubeconfigOf builds, once for each document.
var kubeconfigKey = analysis.NewKey[*kubeconfig]("kubeconfig")

// kubeconfigOf returns the model of a kubeconfig document, built once.
func kubeconfigOf(p *analysis.Pass, doc *analysis.Document) *kubeconfig {
	return analysis.Memo(doc, kubeconfigKey, func() *kubeconfig {
		root := p.NodeOf(doc)
		if root == nil || root.Kind != yaml.MappingNode {
			return nil
		}
		at := analysis.WholeText{Src: p.Src}
		kc := &kubeconfig{Current: scalarIn(at, root, "current-context")}
		for _, item := range analysis.Items(analysis.Lookup(root, "clusters")) {
			c := kcCluster{Item: item, Name: scalarIn(at, item, "name"), Body: analysis.Lookup(item, "cluster")}
			c.Server, c.CAData = scalarIn(at, c.Body, "server"), scalarIn(at, c.Body, "certificate-authority-data")
			c.Insecure = scalarIn(at, c.Body, "insecure-skip-tls-verify")
			kc.Clusters = append(kc.Clusters, c)
		}
		for _, item := range analysis.Items(analysis.Lookup(root, "users")) {
			body := analysis.Lookup(item, "user")
			u := kcUser{Item: item, Name: scalarIn(at, item, "name"), Token: scalarIn(at, body, "token"),
				ClientKey: scalarIn(at, body, "client-key-data"), ClientCert: scalarIn(at, body, "client-certificate-data"),
				Password: scalarIn(at, body, "password")}
			if e := analysis.Lookup(body, "exec"); e != nil && e.Kind == yaml.MappingNode {
				u.Exec = readExec(at, e)
			}
			kc.Users = append(kc.Users, u)
		}
		for _, item := range analysis.Items(analysis.Lookup(root, "contexts")) {
			body := analysis.Lookup(item, "context")
			kc.Contexts = append(kc.Contexts, kcContext{Item: item, Name: scalarIn(at, item, "name"),
				Cluster: scalarIn(at, body, "cluster"), User: scalarIn(at, body, "user")})
		}
		return kc
	})
}

func readExec(at analysis.TextMap, n *yaml.Node) *kcExec {
	e := &kcExec{Node: n, APIVersion: scalarIn(at, n, "apiVersion"), Command: scalarIn(at, n, "command"),
		Env: map[string]*analysis.Scalar{}}
	for _, a := range analysis.Items(analysis.Lookup(n, "args")) {
		if a.Kind == yaml.ScalarNode {
			e.Args = append(e.Args, analysis.Locate(at, a))
		}
	}
	for _, v := range analysis.Items(analysis.Lookup(n, "env")) {
		if name := analysis.ScalarValue(v, "name"); name != "" {
			e.Env[name] = scalarIn(at, v, "value")
		}
	}
	return e
}

// scalarIn locates the scalar value of key in mapping n, or returns nil.
func scalarIn(at analysis.TextMap, n *yaml.Node, key string) *analysis.Scalar {
	_, v := analysis.MapEntry(n, key)
	if v == nil || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return nil
	}
	s := analysis.Locate(at, v)
	return &s
}

// plugin returns the base name of the exec command: "aws",
// "aws-iam-authenticator"…
func (e *kcExec) plugin() string {
	name := path.Base(strings.ReplaceAll(e.Command.Text(), `\`, "/"))
	return strings.TrimSuffix(strings.ToLower(name), ".exe")
}

// isAWSCLI reports whether the plugin is the AWS CLI.
func (e *kcExec) isAWSCLI() bool { return e.plugin() == "aws" }

// isAuthenticator reports whether the plugin is aws-iam-authenticator
// (or its predecessor heptio-authenticator-aws).
func (e *kcExec) isAuthenticator() bool {
	return strings.Contains(e.plugin(), "iam-authenticator") || e.plugin() == "heptio-authenticator-aws"
}

// flag returns the value given to one of the flags (as "--flag value" or
// "--flag=value"), or nil.
func (e *kcExec) flag(names ...string) *analysis.Scalar {
	for i, a := range e.Args {
		for _, name := range names {
			switch {
			case a.Value == name && i+1 < len(e.Args):
				return &e.Args[i+1]
			case strings.HasPrefix(a.Value, name+"="):
				v := a
				v.Value = a.Value[len(name)+1:]
				v.Start += len(name) + 1
				v.AtStart += len(name) + 1
				return &v
			}
		}
	}
	return nil
}

// clusterName returns the cluster name the plugin signs its token for.
func (e *kcExec) clusterName() *analysis.Scalar {
	if e.isAuthenticator() {
		return e.flag("-i", "--cluster-id")
	}
	return e.flag("--cluster-name", "--cluster-id")
}

// region returns the region the plugin is given, by flag or environment.
func (e *kcExec) region() string {
	if r := e.flag("--region"); r != nil {
		return r.Value
	}
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := e.Env[name]; v != nil {
			return v.Value
		}
	}
	return ""
}

// role returns the role the plugin assumes before signing, or nil.
func (e *kcExec) role() *analysis.Scalar {
	if e.isAuthenticator() {
		return e.flag("-r", "--role")
	}
	return e.flag("--role-arn")
}

// profile returns the AWS profile the plugin runs with, or "".
func (e *kcExec) profile() string {
	if p := e.flag("--profile"); p != nil {
		return p.Value
	}
	return e.Env["AWS_PROFILE"].Text()
}

var (
	awsRegion      = regexp.MustCompile(`^[a-z]{2}(?:-[a-z]+)+-\d+$`)
	eksClusterARN  = regexp.MustCompile(`^arn:aws[a-z-]*:eks:([a-z0-9-]+):[^:]*:cluster/([^/\s]+)$`)
	eksctlName     = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]*)\.([a-z]{2}(?:-[a-z]+)+-\d+)\.eksctl\.io$`)
	eksEndpointRgn = regexp.MustCompile(`(?i)^https://[^/]+\.([a-z]{2}(?:-[a-z]+)+-\d+)\.eks\.amazonaws\.com(?:\.cn)?(?::443)?/?$`)
)

// eksCluster is what a cluster entry says about the EKS cluster it is:
// its name and region, each "" when the entry does not say.
type eksCluster struct{ Name, Region string }

// identify reads the cluster's name and region from the entry's name (an
// EKS cluster ARN, as aws eks update-kubeconfig writes, or eksctl's
// NAME.REGION.eksctl.io) and its region from the endpoint.
func (c kcCluster) identify() eksCluster {
	var id eksCluster
	if m := eksClusterARN.FindStringSubmatch(c.Name.Text()); m != nil {
		id = eksCluster{Name: m[2], Region: m[1]}
	} else if m := eksctlName.FindStringSubmatch(c.Name.Text()); m != nil {
		id = eksCluster{Name: m[1], Region: m[2]}
	}
	if m := eksEndpointRgn.FindStringSubmatch(c.Server.Text()); m != nil {
		id.Region = strings.ToLower(m[1])
	}
	if !awsRegion.MatchString(id.Region) {
		id.Region = ""
	}
	if !known(id.Name) {
		id.Name = ""
	}
	return id
}

// cluster returns the cluster entry a context names.
func (kc *kubeconfig) cluster(name string) *kcCluster {
	for i, c := range kc.Clusters {
		if c.Name != nil && c.Name.Value == name {
			return &kc.Clusters[i]
		}
	}
	return nil
}

// user returns the user entry a context names.
func (kc *kubeconfig) user(name string) *kcUser {
	for i, u := range kc.Users {
		if u.Name != nil && u.Name.Value == name {
			return &kc.Users[i]
		}
	}
	return nil
}

// current returns the context current-context names, or nil.
func (kc *kubeconfig) current() *kcContext {
	for i, c := range kc.Contexts {
		if kc.Current != nil && c.Name != nil && c.Name.Value == kc.Current.Value {
			return &kc.Contexts[i]
		}
	}
	return nil
}

// pairs returns, for every context, the user and cluster entries it
// names (nil when missing).
func (kc *kubeconfig) pairs() []kcPair {
	var out []kcPair
	for i, c := range kc.Contexts {
		out = append(out, kcPair{Context: &kc.Contexts[i], User: kc.user(c.User.Text()), Cluster: kc.cluster(c.Cluster.Text())})
	}
	return out
}

// kcPair is a context with the entries it names.
type kcPair struct {
	Context *kcContext
	User    *kcUser
	Cluster *kcCluster
}

// active is what kubectl uses with this kubeconfig: the current context's
// user and cluster, each possibly nil.
func (kc *kubeconfig) active() kcPair {
	ctx := kc.current()
	if ctx == nil {
		return kcPair{}
	}
	return kcPair{Context: ctx, User: kc.user(ctx.User.Text()), Cluster: kc.cluster(ctx.Cluster.Text())}
}
