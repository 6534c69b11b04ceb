package redact

import (
	"strconv"
	"strings"
)

// Names people choose: IAM role, user and session names and EKS cluster
// names, redacted only with Options.Identifiers because rules read them.

var (
	roleNameFormat = &format{name: "name-role", make: func(_ *allocator, n int, v string) string {
		// IAM Identity Center roles keep the prefix and permission set that
		// tell rules what they are: AWSReservedSSO_Admin_<16 hex digits>.
		if i := strings.LastIndexByte(v, '_'); strings.HasPrefix(v, "AWSReservedSSO_") && i > len("AWSReservedSSO_") {
			return fill(v, i+1, nil, n)
		}
		return "redacted-role-" + strconv.Itoa(n)
	}}
	userNameFormat    = nameFormat("user")
	sessionNameFormat = nameFormat("session")
	clusterNameFormat = nameFormat("cluster")
)

var namePatterns = []*pattern{
	{
		kind:       "iam-role-name",
		keywords:   []string{"arn:"},
		identifier: true,
		find:       findARNNames,
		format:     roleNameFormat,
		matches: []string{
			"arn:aws:iam::«210987654321»:role/«eks-admin»",
			"arn:aws:iam::«210987654321»:role/aws-reserved/sso.amazonaws.com/«AWSReservedSSO_Admin_5b7a1e9c2f3d4a61»",
		},
		decoys: []string{"arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", "arn:aws:iam::111122223333:role/${var.name}"},
	},
	{
		kind:       "iam-role-name",
		keywords:   []string{"RoleName", "roleName", "role_name", "role-name"},
		identifier: true,
		find:       findNameField,
		format:     roleNameFormat,
		matches:    []string{`"RoleName": "«eks-admin»"`, "aws iam get-role --role-name «ci-deployer»", `role_name = "«karpenter-node»"`},
		decoys:     []string{`role_name = var.role_name`, `"RoleName": "{{RoleName}}"`},
	},
	{
		kind:       "iam-user-name",
		keywords:   []string{"UserName", "userName", "user_name", "user-name"},
		identifier: true,
		find:       findNameField,
		format:     userNameFormat,
		matches:    []string{`"userName": "«jane.doe»"`},
		decoys:     []string{`"userName": "${aws:username}"`},
	},
	{
		kind:       "eks-cluster-name",
		keywords:   []string{"ClusterName", "clusterName", "cluster_name", "cluster-name"},
		identifier: true,
		find:       findNameField,
		format:     clusterNameFormat,
		matches:    []string{"aws eks get-token --cluster-name «prod-eu»", "      - --cluster-name\n      - «prod-eu»\n", `"--cluster-name", "«prod-eu»"`},
		decoys:     []string{"--cluster-name $CLUSTER", "cluster_name = local.name"},
	},
}

// nameChars are the bytes of IAM and EKS names.
var nameChars = newClass("a-z", "A-Z", "0-9", "+=,.@_-")

// findARNNames finds the names in an ARN: an IAM role or user (not its
// path), an STS assumed role and its session, an EKS cluster.
func findARNNames(h *hit) {
	s := h.text
	fields, end := arnFields(s, h.at, h.hi)
	if fields == nil || fields[3] == "aws" || fields[3] == "" {
		return
	}
	resStart := end - len(fields[4])
	segments := strings.Split(fields[4], "/")
	segStart := func(k int) int {
		off := resStart
		for _, seg := range segments[:k] {
			off += len(seg) + 1
		}
		return off
	}
	emit := func(k int, kind string, f *format) {
		if k < len(segments) && isName(segments[k]) {
			h.emitAs(segStart(k), segStart(k)+len(segments[k]), kind, f)
		}
	}
	switch last := len(segments) - 1; fields[1] + ":" + segments[0] {
	case "iam:role", "iam:instance-profile":
		emit(last, "iam-role-name", roleNameFormat)
	case "iam:user":
		emit(last, "iam-user-name", userNameFormat)
	case "sts:assumed-role":
		emit(1, "iam-role-name", roleNameFormat)
		emit(2, "iam-session-name", sessionNameFormat)
	case "eks:cluster", "eks:nodegroup", "eks:addon", "eks:access-entry", "eks:podidentityassociation", "eks:fargateprofile":
		emit(1, "eks-cluster-name", clusterNameFormat)
	}
}

// arnFields splits the ARN at s[i:] into partition, service, region,
// account and resource, the resource ending at the first byte that no
// name holds; end is where it ends.
func arnFields(s string, i, hi int) (fields []string, end int) {
	i += len("arn:")
	for k := 0; k < 4; k++ {
		e := runEnd(s, i, min(hi, i+64), lowerAlnumDash)
		if e >= hi || s[e] != ':' {
			return nil, 0
		}
		fields = append(fields, s[i:e])
		i = e + 1
	}
	end = runEnd(s, i, min(hi, i+1024), arnResource)
	return append(fields, s[i:end]), end
}

var arnResource = newClass("a-z", "A-Z", "0-9", "+=,.@_/:-")

// isName reports whether v is a name rather than a template or a
// wildcard.
func isName(v string) bool {
	return len(v) >= 2 && runEnd(v, 0, len(v), nameChars) == len(v) && !isPlaceholder(v)
}

// findNameField finds the name after a key or a flag that names a role,
// a user or a cluster, also as the next item of a YAML or JSON list of
// arguments.
func findNameField(h *hit) {
	s := h.text
	ks, ke := keyAround(h, h.at)
	if ke != h.at+len(h.kw) {
		return
	}
	start, end := -1, -1
	if v, ok := valueAfter(h, ks, ke); ok {
		start, end = v.start, v.end
	} else if s[ks] == '-' {
		start, end = nextArgument(s, ke, h.hi)
	}
	if start >= 0 && isName(s[start:end]) {
		h.emit(start, end)
	}
}

// nextArgument finds the argument that follows a flag ending at i in a
// YAML list (- --flag, - value) or a JSON array ("--flag", "value").
func nextArgument(s string, i, hi int) (start, end int) {
	if i < hi && (s[i] == '"' || s[i] == '\'') {
		i++
	}
	j := skip(s, i, hi, space)
	if j < hi && s[j] == ',' {
		j = skip(s, j+1, hi, space)
	} else if j < hi && s[j] == '-' && j+1 < hi && s[j+1] == ' ' && strings.Contains(s[i:j], "\n") {
		j = skip(s, j+1, hi, blank)
	} else {
		return -1, -1
	}
	if j < hi && (s[j] == '"' || s[j] == '\'') {
		j++
	}
	return j, runEnd(s, j, hi, nameChars)
}
