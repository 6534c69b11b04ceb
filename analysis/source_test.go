package analysis

import "testing"

func TestSourcePositions(t *testing.T) {
	src := NewSource("a: 1\r\nbé: 2\rc: 3\n")
	for _, tt := range []struct{ off, line, col int }{
		{0, 1, 1}, {3, 1, 4}, {6, 2, 1}, {7, 2, 2}, {9, 2, 3}, {13, 3, 1}, {18, 4, 1},
	} {
		if line, col := src.Position(tt.off); line != tt.line || col != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
		if off := src.Offset(tt.line, tt.col); off != tt.off {
			t.Errorf("Offset(%d, %d) = %d, want %d", tt.line, tt.col, off, tt.off)
		}
	}
	if got := src.Line(2); got != "bé: 2" {
		t.Errorf("Line(2) = %q", got)
	}
	if got := src.Newline(); got != "\r\n" {
		t.Errorf("Newline() = %q, want CRLF", got)
	}
	if got := NewSource("x").Newline(); got != "\n" {
		t.Errorf("Newline() of one line = %q", got)
	}
}

func TestByteOrderMarkIsNotAColumn(t *testing.T) {
	src := NewSource("\ufeffkind: Pod\n")
	if line, col := src.Position(3); line != 1 || col != 1 {
		t.Errorf("Position after BOM = %d:%d, want 1:1", line, col)
	}
	if off := src.Offset(1, 1); off != 3 {
		t.Errorf("Offset(1,1) = %d, want 3", off)
	}
}

func TestParseARN(t *testing.T) {
	a, ok := ParseARN("arn:aws:iam::210987654321:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_abc")
	if !ok || a.Partition != "aws" || a.Service != "iam" || a.Account != "210987654321" || a.ResourceType() != "role" ||
		a.Name() != "AWSReservedSSO_Dev_abc" || a.Path() != "/aws-reserved/sso.amazonaws.com/eu-west-1/" {
		t.Errorf("ParseARN = %+v (ok %v), name %q path %q", a, ok, a.Name(), a.Path())
	}
	if b, _ := ParseARN("arn:aws:iam::210987654321:role/dev"); b.Path() != "/" {
		t.Errorf("Path of a role without one = %q", b.Path())
	}
	if _, ok := ParseARN("arn:aws:iam::role/dev"); ok {
		t.Error("ParseARN accepted an ARN with five parts")
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:sts::210987654321:assumed-role/Accounting-Role/Mary":       "arn:aws:iam::210987654321:role/Accounting-Role",
		"arn:aws-cn:sts::210987654321:assumed-role/dev/i-0123456789abcdef0": "arn:aws-cn:iam::210987654321:role/dev",
		"arn:aws:iam::210987654321:user/ops/Bob":                            "arn:aws:iam::210987654321:user/ops/Bob",
		"arn:aws:iam::210987654321:root":                                    "arn:aws:iam::210987654321:root",
		"arn:aws:sts::210987654321:federated-user/Bob":                      "arn:aws:sts::210987654321:federated-user/Bob",
		"arn:aws:sts::210987654321:assumed-role/":                           "",
		"arn:aws:s3:::bucket":                                               "",
		"arn:aws-mars:iam::210987654321:role/x":                             "",
	} {
		if got, ok := Canonical(in); got != want || ok != (want != "") {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
