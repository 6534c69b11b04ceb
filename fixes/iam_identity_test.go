package fixes

import "testing"

func TestAnyResource(t *testing.T) {
	for r, want := range map[string]bool{
		"*":                                      true,
		"arn:aws:s3:::*":                         true,
		"arn:aws:iam::*:*":                       true,
		"arn:aws:eks:us-east-1:111122223333:*":   true,
		"arn:aws:iam::111122223333:role/*":       false,
		"arn:aws:s3:::bucket/*":                  false,
		"arn:aws:ssm:us-east-1:111122223333:x:*": false,
		"arn:*":                                  false,
		"arn:aws:iam::111122223333:role/nodes":   false,
		"**":                                     false,
		"":                                       false,
	} {
		if got := anyResource(r); got != want {
			t.Errorf("anyResource(%q) = %v, want %v", r, got, want)
		}
	}
}
