package fixes

import "testing"

func TestCapitalize(t *testing.T) {
	for in, want := range map[string]string{
		"the role is not mapped":                "The role is not mapped",
		"arn:aws:iam::111122223333:role/a is x": "arn:aws:iam::111122223333:role/a is x",
		"system:masters is reserved":            "system:masters is reserved",
		"aws-auth.yaml does not parse":          "aws-auth.yaml does not parse",
		"Already upper":                         "Already upper",
		"":                                      "",
	} {
		if got := capitalize(in); got != want {
			t.Errorf("capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}
