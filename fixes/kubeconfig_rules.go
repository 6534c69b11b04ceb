package fixes

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The kubeconfig rules about how an EKS kubeconfig gets its token: the
// credential plugin's version, command, cluster name, region and role.

const (
	currentAuthAPI = "client.authentication.k8s.io/v1beta1"
)

// eachUser calls f for every user of the kubeconfig being checked.
func eachUser(p *analysis.Pass, f func(u *kcUser)) {
	if kc := kubeconfigOf(p, p.Doc); kc != nil {
		for i := range kc.Users {
			f(&kc.Users[i])
		}
	}
}

// eachExec calls f for every user that has an exec plugin.
func eachExec(p *analysis.Pass, f func(u *kcUser)) {
	eachUser(p, func(u *kcUser) {
		if u.Exec != nil {
			f(u)
		}
	})
}

var kcfgAPIVersion = &analysis.Rule{
	ID:       "KCFG001",
	Title:    "credential plugin apiVersion kubectl rejects",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "An exec credential plugin must declare client.authentication.k8s.io/v1beta1 or v1. kubectl 1.24 and later reject v1alpha1 " +
		"(\"exec plugin: invalid apiVersion\"), which old AWS CLI, aws-iam-authenticator and eksctl versions wrote, and a missing " +
		"apiVersion fails the same way. The AWS CLI and aws-iam-authenticator answer in v1beta1 when asked for it, so the fix sets " +
		"client.authentication.k8s.io/v1beta1; upgrade an AWS CLI older than 1.24.0.",
	Refs: []string{execPluginGo, clientAuthAPI, awsCLIIssue6920},
	Run: func(p *analysis.Pass) {
		eachExec(p, func(u *kcUser) {
			who := u.Name.Text()
			switch v := u.Exec.APIVersion; {
			case v == nil:
				if fix := insertKey(p, u.Exec.Node, "apiVersion", currentAuthAPI); fix != nil {
					start := p.Src.NodeStart(u.Exec.Node)
					p.Reportf(start, start, fix, "User %s's exec plugin has no apiVersion, which kubectl requires.", who)
				}
			case v.Value == "client.authentication.k8s.io/v1alpha1":
				p.Reportf(v.Start, v.End, &analysis.Fix{Summary: "Use " + currentAuthAPI, Edits: []analysis.Edit{v.Replace(currentAuthAPI)}},
					"User %s's exec plugin uses %s, which kubectl 1.24 and later reject (\"exec plugin: invalid apiVersion\").", who, v.Value)
			case v.Value != currentAuthAPI && v.Value != "client.authentication.k8s.io/v1":
				p.Reportf(v.Start, v.End, nil, "User %s's exec plugin declares %s; kubectl accepts only %s and client.authentication.k8s.io/v1.",
					who, v.Value, currentAuthAPI)
			}
		})
	},
}

// insertKey returns the fix that adds "key: value" as the first entry of a
// block mapping, at its indentation, or nil for a flow mapping or a node
// that is not a mapping.
func insertKey(p *analysis.Pass, mapping *yaml.Node, key, value string) *analysis.Fix {
	if mapping == nil || mapping.Kind != yaml.MappingNode || len(mapping.Content) == 0 || mapping.Style&yaml.FlowStyle != 0 {
		return nil
	}
	first := mapping.Content[0]
	at := p.Src.NodeStart(first)
	text := key + ": " + analysis.YAMLScalar(value) + p.Src.Newline() + strings.Repeat(" ", first.Column-1)
	return &analysis.Fix{Summary: "Add " + key + ": " + value, Edits: []analysis.Edit{analysis.Insert(at, text)}}
}

var kcfgPluginArgs = &analysis.Rule{
	ID:       "KCFG002",
	Title:    "credential plugin command and arguments do not match",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "EKS kubeconfigs get tokens either from the AWS CLI (command aws, args eks get-token --cluster-name NAME) or from " +
		"aws-iam-authenticator (args token -i NAME). Mixing them, such as aws with token -i, or aws-iam-authenticator with eks " +
		"get-token, makes the plugin fail with a usage error on every kubectl call. The fix sets the command that the arguments " +
		"were written for; aws eks update-kubeconfig writes the AWS CLI form.",
	Refs: []string{getTokenDoc, authenticatorRepo, kubeconfigDoc},
	Run: func(p *analysis.Pass) {
		eachExec(p, func(u *kcUser) {
			e := u.Exec
			want := ""
			switch {
			case e.isAWSCLI() && hasArg(e, "token") && !hasArg(e, "get-token"):
				want = "aws-iam-authenticator"
			case e.isAuthenticator() && hasArg(e, "get-token"):
				want = "aws"
			}
			if want == "" || e.Command == nil {
				return
			}
			p.Reportf(e.Command.Start, e.Command.End, &analysis.Fix{Summary: "Run " + want, Edits: []analysis.Edit{e.Command.Replace(want)}},
				"User %s runs %s with arguments written for %s; the plugin fails on every call.", u.Name.Text(), e.Command.Value, want)
		})
	},
}

func hasArg(e *kcExec, arg string) bool {
	for _, a := range e.Args {
		if a.Value == arg {
			return true
		}
	}
	return false
}

// eachEKSPair calls f for every context whose user has an exec plugin and
// whose cluster says which EKS cluster it is, once per user entry.
func eachEKSPair(p *analysis.Pass, f func(pair kcPair, id eksCluster)) {
	kc := kubeconfigOf(p, p.Doc)
	if kc == nil {
		return
	}
	done := map[*kcUser]bool{}
	for _, pair := range kc.pairs() {
		if pair.User == nil || pair.User.Exec == nil || pair.Cluster == nil || done[pair.User] {
			continue
		}
		done[pair.User] = true
		f(pair, pair.Cluster.identify())
	}
}

var kcfgClusterName = &analysis.Rule{
	ID:       "KCFG003",
	Title:    "token signed for another cluster than the context's",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "aws eks get-token --cluster-name (aws-iam-authenticator token -i) puts the cluster name into the signed token, and the " +
		"cluster refuses a token made for another name: kubectl gets Unauthorized. The user's cluster name must be the name in the " +
		"context's cluster entry (the ARN aws eks update-kubeconfig writes, or eksctl's NAME.REGION.eksctl.io). Copying a user entry " +
		"between clusters is the usual cause; the fix writes the context's cluster name.",
	Refs: []string{getTokenDoc, authenticatorToken, kubeconfigDoc},
	Run: func(p *analysis.Pass) {
		eachEKSPair(p, func(pair kcPair, id eksCluster) {
			n := pair.User.Exec.clusterName()
			if n == nil || id.Name == "" || n.Value == id.Name || !known(n.Value) {
				return
			}
			p.Reportf(n.Start, n.End, &analysis.Fix{Summary: "Sign tokens for " + id.Name, Edits: []analysis.Edit{n.Replace(id.Name)}},
				"User %s signs tokens for cluster %s, but context %s uses cluster %s: that cluster refuses the token (Unauthorized).",
				pair.User.Name.Text(), n.Value, pair.Context.Name.Text(), id.Name)
		})
	},
}

var kcfgRegion = &analysis.Rule{
	ID:       "KCFG004",
	Title:    "token region differs from the cluster's",
	Severity: analysis.Low,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "The credential plugin's --region (or AWS_REGION) chooses the STS endpoint that signs the token. A region other than the " +
		"cluster's usually still works within the same partition, but it shows the user entry was copied from another cluster, and " +
		"it fails when that region is an opt-in region not enabled for the account. The fix uses the cluster's region.",
	Refs: []string{getTokenDoc, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_region-endpoints.html"},
	Run: func(p *analysis.Pass) {
		eachEKSPair(p, func(pair kcPair, id eksCluster) {
			e := pair.User.Exec
			r := e.region()
			if id.Region == "" || !awsRegion.MatchString(r) || r == id.Region {
				return
			}
			flag := e.flag("--region")
			var fix *analysis.Fix
			if flag != nil {
				fix = &analysis.Fix{Summary: "Use region " + id.Region, Edits: []analysis.Edit{flag.Replace(id.Region)}}
			}
			at := pair.User.Item
			start := p.Src.NodeStart(at)
			end := start
			if flag != nil {
				start, end = flag.Start, flag.End
			}
			p.Reportf(start, end, fix, "User %s gets its token in %s, but cluster %s is in %s.", pair.User.Name.Text(), r,
				firstNonEmpty(id.Name, pair.Cluster.Name.Text()), id.Region)
		})
	},
}

var kcfgRoleARN = &analysis.Rule{
	ID:       "KCFG005",
	Title:    "credential plugin role is not an IAM role ARN",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "--role-arn (aws-iam-authenticator -r) makes the plugin assume that role and sign the token as it, so the cluster sees " +
		"the role, not you. It must be the role's IAM ARN, arn:aws:iam::ACCOUNT:role/[PATH/]NAME: an assumed-role session ARN " +
		"(arn:aws:sts::…:assumed-role/…), a user, an instance profile or a policy ARN cannot be assumed. Copy the role's Arn from " +
		"aws iam get-role.",
	Refs: []string{getTokenDoc, "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"},
	Run: func(p *analysis.Pass) {
		eachExec(p, func(u *kcUser) {
			r := u.Exec.role()
			if r == nil || roleARNPattern.MatchString(r.Value) || !known(r.Value) {
				return
			}
			hint := ""
			if c, ok := analysis.Canonical(r.Value); ok && strings.Contains(r.Value, ":assumed-role/") {
				hint = " It is a session ARN; the role is " + c + " (add its path if it has one)."
			}
			p.Reportf(r.Start, r.End, nil, "User %s assumes %s, which is not an IAM role ARN, so the plugin cannot assume it.%s",
				u.Name.Text(), r.Value, hint)
		})
	},
}
