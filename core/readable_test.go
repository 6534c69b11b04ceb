package core

import "testing"

func TestReadable(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"> apiVersion: v1\n> clusters:\n> - cluster:\n>     server: x\n", "  apiVersion: v1\n  clusters:\n  - cluster:\n      server: x\n"},
		{">> nested\n", "   nested\n"},
		{"a > b\n", "a > b\n"},
		{"`{\n  \"Effect\": \"Allow\"\n}`\n", " {\n  \"Effect\": \"Allow\"\n} \n"},
		{"`{\"a\": 1}`\n", " {\"a\": 1} \n"},
		{"**Error: You must be logged in to the server (Unauthorized)**\n", "  Error: You must be logged in to the server (Unauthorized)  \n"},
		{"token: ***\n", "token: ***\n"},
		{"  x: 1\n       ^^^^^^\n", "  x: 1\n             \n"},
		{"`The kubernetes group name system:nodes is invalid`\n", " The kubernetes group name system:nodes is invalid \n"},
		{"````InvalidParameterException: x````\n", "    InvalidParameterException: x    \n"},
		{"```\n", "```\n"},
		{"```yaml\n", "```yaml\n"},
		{"use `kubectl` here\n", "use `kubectl` here\n"},
	} {
		got := readable(tt.in)
		if got != tt.want {
			t.Errorf("readable(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("readable(%q) changed the length", tt.in)
		}
	}
}

func TestIsCommand(t *testing.T) {
	for line, want := range map[string]bool{
		"user@host:~$ kubectl get pods":                        true,
		"[root@ip-10-0-0-1 ~]# kubectl get nodes":              true,
		"bash-4.2# aws sts get-caller-identity":                true,
		"➜  repo git:(main) ✗ kubectl get cm aws-auth -o yaml": true,
		"(venv) ➜  ~ kubectl get pods":                         true,
		"robert ❱ kubectl top node":                            true,
		"PS C:\\Users\\me> kubectl get pods":                   true,
		"# kubectl apply -f this.yaml":                         false,
		"command: aws":                                         false,
		"Run kubectl get pods to see them":                     false,
	} {
		if got := isCommand(line); got != want {
			t.Errorf("isCommand(%q) = %v, want %v", line, got, want)
		}
	}
}
