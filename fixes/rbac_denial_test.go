package fixes

import (
	"reflect"
	"strings"
	"testing"
)

// TestParseDenial reads every denial form the reference lists.
func TestParseDenial(t *testing.T) {
	cases := []struct {
		line string
		want denial
	}{
		{`Error from server (Forbidden): pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "default"`,
			denial{User: "x", Request: Request{Verb: "list", Resource: "pods", Namespace: "default"}}},
		{`Error from server (Forbidden): nodes is forbidden: User "x" cannot list resource "nodes" in API group "" at the cluster scope`,
			denial{User: "x", Request: Request{Verb: "list", Resource: "nodes"}}},
		{`Error from server (Forbidden): deployments.apps "web" is forbidden: User "x" cannot patch resource "deployments" in API group "apps" in the namespace "prod"`,
			denial{User: "x", Request: Request{Verb: "patch", APIGroup: "apps", Resource: "deployments", Name: "web", Namespace: "prod"}}},
		{`Error from server (Forbidden): pods "web-0" is forbidden: User "x" cannot get resource "pods/log" in API group "" in the namespace "prod"`,
			denial{User: "x", Request: Request{Verb: "get", Resource: "pods", Subresource: "log", Name: "web-0", Namespace: "prod"}}},
		{`Error from server (Forbidden): deployments.apps "web" is forbidden: User "x" cannot patch resource "deployments/scale" in API group "apps" in the namespace "prod"`,
			denial{User: "x", Request: Request{Verb: "patch", APIGroup: "apps", Resource: "deployments", Subresource: "scale", Name: "web", Namespace: "prod"}}},
		{`Error from server (Forbidden): pods.metrics.k8s.io is forbidden: User "x" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "prod"`,
			denial{User: "x", Request: Request{Verb: "list", APIGroup: "metrics.k8s.io", Resource: "pods", Namespace: "prod"}}},
		{`forbidden: User "kubernetes-admin" cannot get path "/livez": RBAC: clusterrole.rbac.authorization.k8s.io "cluster-admin" not found`,
			denial{User: "kubernetes-admin", Request: Request{Verb: "get", Path: "/livez"},
				Reason:  `RBAC: clusterrole.rbac.authorization.k8s.io "cluster-admin" not found`,
				Missing: []string{`clusterrole.rbac.authorization.k8s.io "cluster-admin" not found`}}},
		{`Error from server (Forbidden): pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "default": RBAC: [clusterrole.rbac.authorization.k8s.io "a" not found, role.rbac.authorization.k8s.io "b" not found]`,
			denial{User: "u", Request: Request{Verb: "list", Resource: "pods", Namespace: "default"},
				Reason:  `RBAC: [clusterrole.rbac.authorization.k8s.io "a" not found, role.rbac.authorization.k8s.io "b" not found]`,
				Missing: []string{`clusterrole.rbac.authorization.k8s.io "a" not found`, `role.rbac.authorization.k8s.io "b" not found`}}},
		{`Error from server (Forbidden): error when creating "deploy.yaml": deployments.apps is forbidden: User "system:serviceaccount:ci:deployer" cannot create resource "deployments" in API group "apps" in the namespace "prod"`,
			denial{User: "system:serviceaccount:ci:deployer", Request: Request{Verb: "create", APIGroup: "apps", Resource: "deployments", Namespace: "prod"}}},
		{`time="2020-01-17T06:07:08Z" level=error msg="gateways.networking.istio.io is forbidden: User \"system:serviceaccount:kube-system:external-dns\" cannot list resource \"gateways\" in API group \"networking.istio.io\" at the cluster scope"`,
			denial{User: "system:serviceaccount:kube-system:external-dns", Request: Request{Verb: "list", APIGroup: "networking.istio.io", Resource: "gateways"}}},
		{`Error from server (Forbidden): User "sally" cannot list pods in the namespace "default". (get pods)`,
			denial{User: "sally", Request: Request{Verb: "list", Resource: "pods", Namespace: "default"}}},
		{`Error from server (Forbidden): User "sally" groups ["developers" "system:authenticated"] cannot list pods in the namespace "default".`,
			denial{User: "sally", Groups: []string{"developers", "system:authenticated"}, Request: Request{Verb: "list", Resource: "pods", Namespace: "default"}}},
		{`Error from server (Forbidden): pods "x" is forbidden: User "u" cannot create pods/portforward in the namespace "production"`,
			denial{User: "u", Request: Request{Verb: "create", Resource: "pods", Subresource: "portforward", Name: "x", Namespace: "production"}}},
		{`Error from server (Forbidden): nodes.metrics.k8s.io is forbidden: User "system:serviceaccount:k9s:k9s" cannot list nodes.metrics.k8s.io at the cluster scope`,
			denial{User: "system:serviceaccount:k9s:k9s", Request: Request{Verb: "list", APIGroup: "metrics.k8s.io", Resource: "nodes"}}},
		{`error: unable to upgrade connection: Forbidden (user=kube-apiserver-kubelet-client, verb=create, resource=nodes, subresource(s)=[proxy])`,
			denial{User: "kube-apiserver-kubelet-client", Kubelet: true, Request: Request{Verb: "create", Resource: "nodes", Subresource: "proxy"}}},
		{`Error from server (Forbidden): Forbidden (user=kubernetes, verb=get, resource=nodes, subresource=proxy) ( pods/log nginx-ds-bj999)`,
			denial{User: "kubernetes", Kubelet: true, Request: Request{Verb: "get", Resource: "nodes", Subresource: "proxy"}}},
		{`Error from server (InternalError): Internal error occurred: Authorization error (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy)`,
			denial{User: "kube-apiserver-kubelet-client", Kubelet: true, KubeletError: true, Request: Request{Verb: "get", Resource: "nodes", Subresource: "proxy"}}},
		{`Error from server (Forbidden): pods "web" is forbidden: User "system:node:ip-10-0-1-2.ec2.internal" cannot get resource "pods" in API group "" in the namespace "kube-system": no relationship found between node 'ip-10-0-1-2.ec2.internal' and this object`,
			denial{User: "system:node:ip-10-0-1-2.ec2.internal", Reason: "no relationship found between node 'ip-10-0-1-2.ec2.internal' and this object",
				Request: Request{Verb: "get", Resource: "pods", Name: "web", Namespace: "kube-system"}}},
		{`Error from server (Forbidden): namespaces "team-a" is forbidden: User "jane" cannot get resource "namespaces" in API group "" in the namespace "team-a"`,
			denial{User: "jane", Request: Request{Verb: "get", Resource: "namespaces", Name: "team-a", Namespace: "team-a"}}},
	}
	for _, c := range cases {
		got, ok := parseDenial(c.line)
		if !ok {
			t.Errorf("not read: %s", c.line)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s\n got %+v\nwant %+v", c.line, got, c.want)
		}
	}
	for _, line := range []string{
		`error: You must be logged in to the server (Unauthorized)`,
		`Error from server (NotFound): pods "x" not found`,
		`Forbidden`,
	} {
		if d, ok := parseDenial(line); ok {
			t.Errorf("read a denial from %q: %+v", line, d)
		}
	}
}

// TestKubectlNeeds maps commands to the requests they make.
func TestKubectlNeeds(t *testing.T) {
	cases := []struct {
		line string
		want []string
	}{
		{"$ kubectl logs -n payments web-0", []string{`get pods "web-0" in namespace "payments"`, `get pods/log "web-0" in namespace "payments"`}},
		{"$ kubectl logs -n payments deploy/api", []string{`get deployments.apps "api" in namespace "payments"`,
			`list pods in namespace "payments"`, `get pods/log in namespace "payments"`}},
		{"kubectl exec -it web-0 -n prod -- sh", []string{`get pods "web-0" in namespace "prod"`,
			`create pods/exec "web-0" in namespace "prod"`, `get pods/exec "web-0" in namespace "prod"`}},
		{"kubectl cp -n prod ./x web-0:/tmp/x", []string{`get pods "web-0" in namespace "prod"`,
			`create pods/exec "web-0" in namespace "prod"`, `get pods/exec "web-0" in namespace "prod"`}},
		{"kubectl port-forward -n prod pod/web-0 8080:80", []string{`get pods "web-0" in namespace "prod"`,
			`create pods/portforward "web-0" in namespace "prod"`, `get pods/portforward "web-0" in namespace "prod"`}},
		{"kubectl debug -n prod -it web-0 --image=busybox", []string{`get pods "web-0" in namespace "prod"`,
			`patch pods/ephemeralcontainers "web-0" in namespace "prod"`, `create pods/attach "web-0" in namespace "prod"`,
			`get pods/attach "web-0" in namespace "prod"`}},
		{"kubectl top pod -n prod", []string{`list pods.metrics.k8s.io in namespace "prod"`}},
		{"kubectl top nodes", []string{`list nodes.metrics.k8s.io at the cluster scope`, `list nodes at the cluster scope`}},
		{"kubectl scale deploy/web --replicas=3 -n prod", []string{`get deployments.apps "web" in namespace "prod"`,
			`patch deployments.apps/scale "web" in namespace "prod"`}},
		{"kubectl rollout restart deployment web -n prod", []string{`get deployments.apps "web" in namespace "prod"`,
			`patch deployments.apps "web" in namespace "prod"`}},
		{"$ kubectl --context readonly get pod -A", []string{`list pods at the cluster scope`}},
		{"$ kubectl get --raw /metrics", nil},
		{"$ kubectl --context carts-team delete deployment --all -n carts", []string{`list deployments.apps in namespace "carts"`,
			`delete deployments.apps in namespace "carts"`}},
	}
	for _, c := range cases {
		cmd, ok := parseKubectl(c.line)
		if !ok {
			t.Errorf("not a command: %s", c.line)
			continue
		}
		var got []string
		for _, n := range cmd.needs() {
			got = append(got, n.Request.String())
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s\n got %q\nwant %q", c.line, got, c.want)
		}
	}
}
