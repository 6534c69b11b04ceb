package fixes

import (
	"fmt"
	"testing"
)

// TestActionLookupsBudget checks that the slow questions are answered
// once each and no more than maxActionLookups times per input.
func TestActionLookupsBudget(t *testing.T) {
	l := &actionLookups{answers: map[string]string{}, left: maxActionLookups}
	if got, ok := l.closest("eks", "DescribeClusters"); !ok || got != "DescribeCluster" {
		t.Fatalf("closest(eks, DescribeClusters) = %q, %v", got, ok)
	}
	if matches, ok := l.matches("eks", "Descibe*"); !ok || matches {
		t.Fatalf("matches(eks, Descibe*) = %v, %v; want false, true", matches, ok)
	}
	for i := range maxActionLookups {
		l.closest("ec2", fmt.Sprintf("Made%dUp", i))
	}
	if _, ok := l.closest("ec2", "AnotherMadeUpName"); ok {
		t.Error("a question past the budget was answered")
	}
	if got, ok := l.closest("eks", "describeclusters"); !ok || got != "DescribeCluster" {
		t.Errorf("a question asked before the budget ran out (in another case) = %q, %v; want its remembered answer", got, ok)
	}
}
