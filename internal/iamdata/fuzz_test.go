package iamdata

import (
	"slices"
	"strings"
	"testing"
)

// FuzzLookups checks that no service, action, ARN or key makes a lookup
// panic, and that the lookups agree: an action that exists is its own
// nearest name and matches itself as a pattern.
func FuzzLookups(f *testing.F) {
	f.Add("eks", "DescribeCluster", "arn:aws:eks:us-east-1:111122223333:cluster/prod", "aws:ResourceTag/team")
	f.Add("ec2", "Describe*", "arn:aws:ec2:*:*:volume/*", "ec2:ResourceTag/${TagKey}")
	f.Add("iam", "PassRole", "arn:${Partition}:iam::*:role/${aws:username}", "iam:PassedToService")
	f.Add("sts", "AssumeRoleWithWebIdentiy", "*", "oidc.eks.eu-west-1.amazonaws.com/id/X:sub")
	f.Fuzz(func(t *testing.T, service, action, arn, key string) {
		MatchActions(service, action)
		closest, suggested := ClosestAction(service, action)
		a, ok := LookupAction(service, action)
		if !ok {
			return
		}
		if !suggested || !strings.EqualFold(closest, action) {
			t.Errorf("ClosestAction(%q, %q) = %q, %v; want the action itself", service, action, closest, suggested)
		}
		if !slices.Contains(MatchActions(service, a.Name), a.Name) {
			t.Errorf("MatchActions(%q, %q) does not list the action", service, a.Name)
		}
		if ok, known := a.TakesResource("*"); !ok && known {
			t.Errorf("%s:%s does not take the resource *", service, a.Name)
		}
		a.TakesResource(arn)
		a.TakesConditionKey(key)
		a.ResourceTypes()
	})
}
