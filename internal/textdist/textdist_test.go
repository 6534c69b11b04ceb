package textdist

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"pods/logs", "pods/log", 9, 1},
		{"DescribeClusters", "describecluster", 9, 1},
		{"Descibe", "Describe", 9, 1},
		{"AssumeRoleWithWebIdentiy", "AssumeRoleWithWebIdentity", 9, 1},
		{"ab", "ba", 9, 1}, // a swap is one edit
		{"kitten", "sitting", 9, 3},
		{"kitten", "sitting", 2, 2}, // capped at the limit
		{"", "abc", 9, 3},
		{"same", "SAME", 9, 0},
		{"deployments", "x", 3, 3},
	} {
		if got := Distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
