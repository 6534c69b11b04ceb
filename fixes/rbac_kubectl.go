package fixes

import (
	"regexp"
	"slices"
	"strings"
)

// kubectlResource is a resource kubectl knows by name, singular or
// short name.
type kubectlResource struct {
	resource, group string
	aliases         []string
}

var kubectlResources = []kubectlResource{
	{"pods", "", []string{"pod", "po"}},
	{"services", "", []string{"service", "svc"}},
	{"configmaps", "", []string{"configmap", "cm"}},
	{"secrets", "", []string{"secret"}},
	{"serviceaccounts", "", []string{"serviceaccount", "sa"}},
	{"namespaces", "", []string{"namespace", "ns"}},
	{"nodes", "", []string{"node", "no"}},
	{"persistentvolumes", "", []string{"persistentvolume", "pv"}},
	{"persistentvolumeclaims", "", []string{"persistentvolumeclaim", "pvc"}},
	{"events", "", []string{"event", "ev"}},
	{"endpoints", "", []string{"ep"}},
	{"replicationcontrollers", "", []string{"replicationcontroller", "rc"}},
	{"limitranges", "", []string{"limitrange", "limits"}},
	{"resourcequotas", "", []string{"resourcequota", "quota"}},
	{"deployments", "apps", []string{"deployment", "deploy"}},
	{"replicasets", "apps", []string{"replicaset", "rs"}},
	{"statefulsets", "apps", []string{"statefulset", "sts"}},
	{"daemonsets", "apps", []string{"daemonset", "ds"}},
	{"controllerrevisions", "apps", []string{"controllerrevision"}},
	{"jobs", "batch", []string{"job"}},
	{"cronjobs", "batch", []string{"cronjob", "cj"}},
	{"horizontalpodautoscalers", "autoscaling", []string{"horizontalpodautoscaler", "hpa"}},
	{"poddisruptionbudgets", "policy", []string{"poddisruptionbudget", "pdb"}},
	{"ingresses", "networking.k8s.io", []string{"ingress", "ing"}},
	{"ingressclasses", "networking.k8s.io", []string{"ingressclass"}},
	{"networkpolicies", "networking.k8s.io", []string{"networkpolicy", "netpol"}},
	{"endpointslices", "discovery.k8s.io", []string{"endpointslice"}},
	{"leases", "coordination.k8s.io", []string{"lease"}},
	{"roles", "rbac.authorization.k8s.io", []string{"role"}},
	{"rolebindings", "rbac.authorization.k8s.io", []string{"rolebinding"}},
	{"clusterroles", "rbac.authorization.k8s.io", []string{"clusterrole"}},
	{"clusterrolebindings", "rbac.authorization.k8s.io", []string{"clusterrolebinding"}},
	{"customresourcedefinitions", "apiextensions.k8s.io", []string{"customresourcedefinition", "crd", "crds"}},
	{"storageclasses", "storage.k8s.io", []string{"storageclass", "sc"}},
	{"priorityclasses", "scheduling.k8s.io", []string{"priorityclass", "pc"}},
	{"certificatesigningrequests", "certificates.k8s.io", []string{"certificatesigningrequest", "csr"}},
	{"validatingwebhookconfigurations", "admissionregistration.k8s.io", []string{"validatingwebhookconfiguration"}},
	{"mutatingwebhookconfigurations", "admissionregistration.k8s.io", []string{"mutatingwebhookconfiguration"}},
}

// lookupResource resolves what people type for a resource ("deploy",
// "deployments.apps", "pod") to its plural name and API group. A name it
// does not know keeps the group written after its first dot.
func lookupResource(arg string) (resource, group string) {
	arg = strings.ToLower(arg)
	name, group, qualified := strings.Cut(arg, ".")
	for _, r := range kubectlResources {
		if (name == r.resource || slices.Contains(r.aliases, name)) && (!qualified || group == r.group || strings.HasSuffix(group, "."+r.group)) {
			return r.resource, r.group
		}
	}
	return name, group
}

// kubectlCommand is a kubectl command line from the paste.
type kubectlCommand struct {
	Verb          string // the subcommand: "logs", "exec", "rollout restart"…
	Namespace     string
	AllNamespaces bool
	Args          []string
	Flags         map[string]string
}

var commandLine = regexp.MustCompile(`^\s*(?:\$|%|>|❯|➜|PS [^>]*>)?\s*(?:sudo\s+)?(?:kubectl|k)\s+(.+)$`)

// flagsWithValue are the kubectl flags that take a separate value.
var flagsWithValue = map[string]bool{
	"-n": true, "--namespace": true, "--context": true, "--kubeconfig": true, "-c": true, "--container": true,
	"-l": true, "--selector": true, "--image": true, "--copy-to": true, "--replicas": true, "-o": true,
	"--output": true, "--as": true, "--as-group": true, "--cluster": true, "--user": true, "-f": true,
	"--filename": true, "--subresource": true, "--field-selector": true, "--profile": true, "--target": true,
	"--current-replicas": true, "--resource-version": true, "--tail": true, "--since": true, "--raw": true,
}

// parseKubectl reads a kubectl command line; ok is false for other lines.
func parseKubectl(line string) (kubectlCommand, bool) {
	m := commandLine.FindStringSubmatch(line)
	if m == nil {
		return kubectlCommand{}, false
	}
	cmd := kubectlCommand{Flags: map[string]string{}}
	fields := strings.Fields(m[1])
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if f == "--" {
			break
		}
		if strings.HasPrefix(f, "-") {
			name, value, hasValue := strings.Cut(f, "=")
			if !hasValue && flagsWithValue[name] && i+1 < len(fields) {
				i++
				value = fields[i]
			}
			cmd.Flags[name] = value
			continue
		}
		cmd.Args = append(cmd.Args, f)
	}
	if len(cmd.Args) == 0 {
		return cmd, false
	}
	cmd.Verb, cmd.Args = cmd.Args[0], cmd.Args[1:]
	if (cmd.Verb == "rollout" || cmd.Verb == "auth") && len(cmd.Args) > 0 {
		cmd.Verb, cmd.Args = cmd.Verb+" "+cmd.Args[0], cmd.Args[1:]
	}
	cmd.Namespace = cmd.Flags["-n"] + cmd.Flags["--namespace"]
	_, all := cmd.Flags["-A"]
	_, allLong := cmd.Flags["--all-namespaces"]
	cmd.AllNamespaces = all || allLong
	return cmd, true
}

// need is one permission a command needs, and what for.
type need struct {
	Request
	Why string
}

// target returns the object a command names: "pod/x", "deploy x" or "x"
// (a pod for commands that take pods).
func (cmd kubectlCommand) target(defaultResource string) (resource, group, name string) {
	if len(cmd.Args) == 0 {
		return defaultResource, "", ""
	}
	first := cmd.Args[0]
	if kind, n, ok := strings.Cut(first, "/"); ok {
		resource, group = lookupResource(kind)
		return resource, group, n
	}
	if len(cmd.Args) > 1 && defaultResource == "" {
		resource, group = lookupResource(first)
		return resource, group, cmd.Args[1]
	}
	if defaultResource == "" {
		resource, group = lookupResource(first)
		return resource, group, ""
	}
	resource, group = lookupResource(defaultResource)
	return resource, group, first
}

// needs lists what the command asks the API server for, in order; nil
// for commands the simulator does not model.
func (cmd kubectlCommand) needs() []need {
	ns := cmd.Namespace
	if cmd.AllNamespaces {
		ns = ""
	}
	req := func(verb, group, resource, sub, name string) Request {
		r := Request{Verb: verb, APIGroup: group, Resource: resource, Subresource: sub, Name: name, Namespace: ns}
		if ResourceScope(group, resource) == ScopeCluster {
			r.Namespace = ""
		}
		return r
	}
	var out []need
	add := func(why string, rs ...Request) {
		for _, r := range rs {
			if r.Resource != "" {
				out = append(out, need{r, why})
			}
		}
	}
	podVia := func(why string) string {
		res, group, name := cmd.target("pods")
		if res != "pods" {
			add("to find the pod of "+res+"/"+name, req("get", group, res, "", name), req("list", "", "pods", "", ""))
			name = ""
		} else {
			add("to find the pod", req("get", "", "pods", "", name))
		}
		return name
	}
	stream := func(sub, why string) {
		pod := podVia(why)
		add(why+" (create for the SPDY upgrade, get for WebSocket, both checked by API servers from 1.35)",
			req("create", "", "pods", sub, pod), req("get", "", "pods", sub, pod))
	}
	switch cmd.Verb {
	case "logs":
		pod := podVia("to read logs")
		add("to read the container log", req("get", "", "pods", "log", pod))
	case "exec":
		stream("exec", "to run a command in the container")
	case "cp":
		for _, arg := range cmd.Args {
			if pod, _, ok := strings.Cut(arg, ":"); ok {
				if _, name, hasNS := strings.Cut(pod, "/"); hasNS {
					pod = name
				}
				cmd.Args = []string{pod}
				break
			}
		}
		stream("exec", "kubectl cp runs tar in the container through exec")
	case "attach":
		stream("attach", "to attach to the container")
	case "port-forward":
		stream("portforward", "to forward a port")
	case "debug":
		res, group, name := cmd.target("pods")
		switch {
		case res == "nodes":
			add("to debug a node", req("get", "", "nodes", "", name), req("create", "", "pods", "", ""))
		case cmd.Flags["--copy-to"] != "":
			add("to copy the pod", req("get", group, res, "", name), req("create", "", "pods", "", ""))
		default:
			add("to add an ephemeral container", req("get", "", "pods", "", name), req("patch", "", "pods", "ephemeralcontainers", name))
			add("to attach to it", req("create", "", "pods", "attach", name), req("get", "", "pods", "attach", name))
		}
	case "top":
		res, _, name := cmd.target("")
		verb := "list"
		if name != "" {
			verb = "get"
		}
		if res == "nodes" || res == "node" {
			add("to read node metrics", req(verb, "metrics.k8s.io", "nodes", "", name), req(verb, "", "nodes", "", name))
		} else {
			add("to read pod metrics", req(verb, "metrics.k8s.io", "pods", "", name))
		}
	case "scale":
		res, group, name := cmd.target("")
		add("to scale", req("get", group, res, "", name), req("patch", group, res, "scale", name))
	case "rollout restart":
		res, group, name := cmd.target("")
		add("to restart (a patch of the pod template)", req("get", group, res, "", name), req("patch", group, res, "", name))
	case "get", "describe":
		res, group, name := cmd.target("")
		verb := "get"
		if name == "" {
			verb = "list"
		}
		add("for kubectl "+cmd.Verb, req(verb, group, res, "", name))
		if cmd.Verb == "describe" {
			add("to show events (kubectl ignores this denial)", req("list", "", "events", "", ""))
		}
	case "delete":
		res, group, name := cmd.target("")
		if name == "" {
			add("kubectl delete --all lists the objects first", req("list", group, res, "", ""))
		}
		add("for kubectl delete", req("delete", group, res, "", name))
	}
	return out
}
