package fixes

import (
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Evidence is what the rest of a paste says about an error: who the
// caller is, which principals the cluster maps, how the kubeconfig signs
// its tokens, which cluster this is. Each piece is read once per input.

// caller is an IAM identity the paste shows.
type caller struct {
	// ARN is as shown; Canonical is the ARN the authenticator matches.
	ARN, Canonical string
	// Username is the Kubernetes user name, from kubectl auth whoami.
	Username string
	Doc      *analysis.Document
	// Start and End locate ARN (or Username) in the whole text.
	Start, End int
}

// instanceSession reports whether the caller is an EC2 instance's role
// session: the node role, whose session name is the instance ID.
func (c caller) instanceSession() bool { return instanceSessionARN.MatchString(c.ARN) }

var instanceSessionARN = regexp.MustCompile(`:assumed-role/[^/\s]+/i-(?:[0-9a-f]{8}|[0-9a-f]{17})\b`)

var whoamiRow = regexp.MustCompile(`(?m)^[ \t]*(Username|Extra: arn)[ \t]+\[?([^\s\]]+)\]?[ \t]*$`)

// callersKey keeps what callers builds, once for the whole input.
var callersKey = analysis.NewKey[[]caller]("callers")

// callers returns the identities of the caller-identity documents:
// aws sts get-caller-identity JSON and kubectl auth whoami output.
func callers(p *analysis.Pass) []caller {
	return analysis.MemoInput(p.Input, callersKey, func() []caller {
		var out []caller
		for _, d := range p.OfKind(analysis.KindCallerIdentity) {
			out = append(out, callersIn(p, d)...)
		}
		return out
	})
}

func callersIn(p *analysis.Pass, d *analysis.Document) []caller {
	at := analysis.WholeText{Src: p.Src}
	root := p.NodeOf(d)
	if root == nil {
		var c caller
		for _, m := range whoamiRow.FindAllStringSubmatchIndex(d.Text, -1) {
			value := d.Text[m[4]:m[5]]
			if d.Text[m[2]:m[3]] == "Username" {
				c.Username = value
			} else {
				c.ARN, c.Start, c.End = value, d.Start+m[4], d.Start+m[5]
			}
		}
		return completeCaller(c, d)
	}
	if arn := scalarIn(at, root, "Arn"); arn != nil {
		return completeCaller(caller{ARN: arn.Value, Start: arn.Start, End: arn.End}, d)
	}
	info := analysis.Lookup(root, "status", "userInfo")
	c := caller{Username: analysis.ScalarValue(info, "username")}
	if arns := analysis.Items(analysis.Lookup(info, "extra", "arn")); len(arns) > 0 && arns[0].Kind == yaml.ScalarNode {
		s := analysis.Locate(at, arns[0])
		c.ARN, c.Start, c.End = s.Value, s.Start, s.End
	}
	if u := scalarIn(at, info, "username"); u != nil && c.ARN == "" {
		c.Start, c.End = u.Start, u.End
	}
	return completeCaller(c, d)
}

func completeCaller(c caller, d *analysis.Document) []caller {
	if c.ARN == "" && c.Username == "" {
		return nil
	}
	c.Doc = d
	c.Canonical, _ = analysis.Canonical(c.ARN)
	if c.Start == 0 && c.End == 0 {
		c.Start, c.End = d.Start, d.Start
	}
	return []caller{c}
}

// subject returns the one IAM principal the paste's caller identities
// agree on, canonicalised, or "" when they show none or several.
func subject(p *analysis.Pass) (caller, bool) {
	var found caller
	for _, c := range callers(p) {
		switch {
		case c.Canonical == "":
		case found.Canonical == "":
			found = c
		case !strings.EqualFold(found.Canonical, c.Canonical):
			return caller{}, false
		}
	}
	return found, found.Canonical != ""
}

// authMode returns the cluster's current authentication mode from a
// pasted access configuration (describe-cluster output), or "". A mode
// that a template asks for (eksctl, CloudFormation) is not the current one.
func authMode(p *analysis.Pass) string {
	mode := ""
	for _, d := range p.OfKind(analysis.KindAccessEntries) {
		if c := accessModelOf(p, d).Config; c != nil && !c.Desired && c.Mode != nil {
			mode = strings.ToUpper(c.Mode.Value)
		}
	}
	return mode
}

// ignoresAWSAuth reports whether the pasted access configuration says the
// cluster reads only access entries.
func ignoresAWSAuth(p *analysis.Pass) bool { return authMode(p) == "API" }

// kubeconfigs returns the models of the pasted kubeconfigs that parse.
func kubeconfigs(p *analysis.Pass) []*kubeconfig {
	var out []*kubeconfig
	for _, d := range p.OfKind(analysis.KindKubeconfig) {
		if kc := kubeconfigOf(p, d); kc != nil {
			out = append(out, kc)
		}
	}
	return out
}

// activeKubeconfig returns what kubectl uses with the first pasted
// kubeconfig that has a current context.
func activeKubeconfig(p *analysis.Pass) (kcPair, bool) {
	for _, kc := range kubeconfigs(p) {
		if a := kc.active(); a.Context != nil {
			return a, true
		}
	}
	return kcPair{}, false
}

var (
	clusterInText = regexp.MustCompile(`arn:aws[a-z-]*:eks:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:cluster/([A-Za-z][A-Za-z0-9_-]*)`)
	clusterNamed  = regexp.MustCompile(`(?:--name|--cluster-name|--cluster)[ =]([A-Za-z][A-Za-z0-9_-]*)`)
	regionNamed   = regexp.MustCompile(`--region[ =]([a-z]{2}(?:-[a-z]+)+-\d+)`)
)

// clusterKey keeps what clusterRef builds, once for the whole input.
var clusterKey = analysis.NewKey[eksCluster]("cluster")

// clusterRef returns the cluster the paste is about, for the commands it
// suggests: from the active kubeconfig, else from the error output.
// Unknown parts are "".
func clusterRef(p *analysis.Pass) eksCluster {
	return analysis.MemoInput(p.Input, clusterKey, func() eksCluster {
		var id eksCluster
		if a, ok := activeKubeconfig(p); ok {
			if a.Cluster != nil {
				id = a.Cluster.identify()
			}
			if a.User != nil && a.User.Exec != nil {
				if n := a.User.Exec.clusterName(); n != nil && id.Name == "" && known(n.Value) {
					id.Name = n.Value
				}
				if r := a.User.Exec.region(); id.Region == "" && awsRegion.MatchString(r) {
					id.Region = r
				}
			}
		}
		for _, d := range p.OfKind(analysis.KindErrorText, analysis.KindAccessEntries) {
			if m := clusterInText.FindStringSubmatch(d.Text); m != nil && id.Name == "" {
				id = eksCluster{Name: m[2], Region: m[1]}
			}
			if m := clusterNamed.FindStringSubmatch(d.Text); m != nil && id.Name == "" {
				id.Name = m[1]
			}
			if m := regionNamed.FindStringSubmatch(d.Text); m != nil && id.Region == "" {
				id.Region = m[1]
			}
		}
		for _, d := range p.Docs { // an eksctl ClusterConfig names its cluster and region
			if root := p.NodeOf(d); id.Name == "" && strings.HasPrefix(analysis.ScalarValue(root, "apiVersion"), "eksctl.io/") {
				id = eksCluster{Name: analysis.ScalarValue(root, "metadata", "name"), Region: analysis.ScalarValue(root, "metadata", "region")}
			}
		}
		return id
	})
}
