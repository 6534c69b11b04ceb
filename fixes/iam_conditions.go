package fixes

import (
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Rules about the Condition element of any policy: operators IAM rejects,
// wildcards an Equals operator takes literally, and keys a JSON parser
// drops. Fixes of an operator all write operatorTarget, so whichever rule's
// fix applies first leaves nothing for the others.

// policyKinds are the kinds of documents that hold policies. Terraform
// holds them too once readTerraformPolicies reads them.
var policyKinds = []analysis.Kind{analysis.KindTrustPolicy, analysis.KindIAMPolicy, analysis.KindTerraform}

// eachStatement calls f for every statement of every policy in the
// document being checked.
func eachStatement(p *analysis.Pass, f func(pol *Policy, s *Statement)) {
	for _, pol := range policiesOf(p, p.Doc).Policies {
		for _, s := range pol.Statements {
			f(pol, s)
		}
	}
}

// operatorBlocks returns the distinct operators of a statement's
// conditions with the conditions under each, in order.
func operatorBlocks(s *Statement) [][]*Condition {
	var out [][]*Condition
	index := map[int]int{}
	for _, c := range s.Conditions {
		i, ok := index[c.Operator.Start]
		if !ok {
			i = len(out)
			index[c.Operator.Start] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], c)
	}
	return out
}

// variable matches a policy variable, whose * and ? are not wildcards.
var variable = regexp.MustCompile(`\$\{[^}]*\}`)

// hasWildcard reports whether a condition value holds * or ?.
func hasWildcard(v string) bool {
	return strings.ContainsAny(variable.ReplaceAllString(v, ""), "*?")
}

// operatorTarget returns how the operator of a block of conditions should
// be written: spelt as IAM spells it, Like when an Equals has wildcards,
// and, on an EKS issuer's keys, without IfExists, and without
// ForAllValues on sub. fixable is false when the right operator is not
// certain or would repeat another operator of the statement.
func operatorTarget(s *Statement, block []*Condition) (target string, fixable bool) {
	target, fixable = operatorWant(s, block)
	for _, other := range operatorBlocks(s) {
		if other[0].Operator.Start == block[0].Operator.Start {
			continue
		}
		if want, _ := operatorWant(s, other); other[0].Operator.Value == target || want == target {
			return target, false
		}
	}
	return target, fixable && editable(block[0].Operator)
}

// operatorWant is operatorTarget before checking for repeats.
func operatorWant(s *Statement, block []*Condition) (target string, fixable bool) {
	written := block[0].Operator.Value
	op, ok := ParseOperator(written)
	if !ok {
		name := closestOperator(written)
		if name == "" {
			return written, false
		}
		op, _ = ParseOperator(name)
	}
	_, irsa := irsaStatementOf(s)
	for _, c := range block {
		for _, v := range c.Values {
			if hasWildcard(v.Value) && (op.Base == "StringEquals" || op.Base == "StringNotEquals") {
				op.Base = strings.Replace(op.Base, "Equals", "Like", 1)
			}
		}
		host, claim, isOIDC := oidcKey(c.Key.Value)
		if !irsa || !isOIDC || !looksEKS(host) {
			continue
		}
		if op.IfExists && !op.Negated() {
			op.IfExists = false
		}
		if op.Set == "ForAllValues" && claimOf(claim, c.Values) == "sub" {
			op.Set = ""
		}
	}
	return op.String(), true
}

// operatorFix returns the fix that writes a block's operator as
// operatorTarget says, or nil.
func operatorFix(s *Statement, block []*Condition) *analysis.Fix {
	target, ok := operatorTarget(s, block)
	if !ok || target == block[0].Operator.Value {
		return nil
	}
	// Only dropping IfExists or ForAllValues from a valid operator narrows
	// what matches: a hardening. A misspelt operator or an Equals with a
	// wildcard is repaired.
	written, valid := ParseOperator(block[0].Operator.Value)
	want, _ := ParseOperator(target)
	return &analysis.Fix{Summary: "Change the operator to " + target, Edits: []analysis.Edit{block[0].Operator.Replace(target)},
		Harden: valid && written.Base == want.Base}
}

// closestOperator returns the operator IAM accepts that a misspelt one
// means: the same letters in another case, or the only one within two
// edits; "" when there is none or several.
func closestOperator(name string) string {
	set, rest, qualified := strings.Cut(name, ":")
	if !qualified {
		set, rest = "", name
	} else if set = closestOf(set, []string{"ForAnyValue", "ForAllValues"}); set == "" {
		return ""
	}
	var names []string
	for base := range baseOperators {
		names = append(names, base)
		if base != "Null" {
			names = append(names, base+"IfExists")
		}
	}
	base := closestOf(rest, names)
	if base == "" {
		return ""
	}
	if set != "" {
		return set + ":" + base
	}
	return base
}

var iamWildcardEquals = &analysis.Rule{
	ID:       "IAM010",
	Title:    "wildcard under an Equals operator",
	Severity: analysis.Medium,
	Kinds:    policyKinds,
	Doc: "StringEquals and StringNotEquals compare text exactly: a * or ? in their values is a literal character, not a " +
		"wildcard. In a trust policy a value like system:serviceaccount:team-a:* under StringEquals therefore never matches, " +
		"and the pod gets \"Not authorized to perform sts:AssumeRoleWithWebIdentity\". Use StringLike (or StringNotLike) when " +
		"you mean a pattern; values without wildcards behave the same under it.",
	Refs: []string{conditionOps, accessAnalyzer, crossplaneIssue5578},
	Run: func(p *analysis.Pass) {
		eachStatement(p, func(pol *Policy, s *Statement) {
			for _, block := range operatorBlocks(s) {
				op, ok := ParseOperator(block[0].Operator.Value)
				if !ok || !strings.HasPrefix(op.Base, "String") || op.Like() {
					continue
				}
				for _, c := range block {
					for _, v := range c.Values {
						if !hasWildcard(v.Value) {
							continue
						}
						sev, effect := analysis.Medium, "so this condition does not do what it says"
						if pol.Trust {
							sev, effect = analysis.High, "so no request has this value and the role cannot be assumed this way"
						}
						msg := c.Operator.Value + " takes \"" + v.Value + "\" literally (the * or ? is not a wildcard), " + effect + ". Use " +
							strings.Replace(strings.Replace(op.Base, "Equals", "Like", 1), "IgnoreCase", "", 1) + " for a pattern"
						if strings.HasSuffix(op.Base, "IgnoreCase") {
							msg += " (it compares case-sensitively)"
						}
						msg += "."
						p.Report(analysis.Finding{Severity: sev, Start: v.Start, End: v.End, Message: msg, Fix: operatorFix(s, block)})
					}
				}
			}
		})
	},
}

var iamShadowedKey = &analysis.Rule{
	ID:       "IAM011",
	Title:    "condition written twice, only the last counts",
	Severity: analysis.Medium,
	Kinds:    policyKinds,
	Doc: "A JSON object keeps one value per key: when an operator such as StringEquals, or a key under it, appears twice " +
		"in the same Condition, IAM's and Terraform's JSON parsers keep only the last one and the first is silently lost. " +
		"People write this to allow two service accounts and end up allowing only one, or dropping the :sub check. " +
		"Merge them into one key with a list of values, which IAM ORs.",
	Refs: []string{iamConditionDoc,
		"https://github.com/hashicorp/terraform-provider-aws/pull/33093"},
	Run: func(p *analysis.Pass) {
		eachStatement(p, func(pol *Policy, s *Statement) {
			for _, c := range s.Conditions {
				if !c.Shadowed {
					continue
				}
				sev := analysis.Medium
				if pol.Trust {
					sev = analysis.High
				}
				p.Report(analysis.Finding{Severity: sev, Start: c.Key.Start, End: c.Key.End, Message: c.Operator.Value + " " + c.Key.Value +
					" is written again later in this Condition; JSON parsers keep only the last, so this one (" +
					strings.Join(scalarValues(c.Values), ", ") + ") has no effect. Merge the values into one list."})
			}
		})
	},
}

var iamUnknownOperator = &analysis.Rule{
	ID:       "IAM012",
	Title:    "condition operator IAM does not accept",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "Condition operator names are case-sensitive and fixed: stringEquals, StringEqual or ForAnyValues:StringLike are " +
		"rejected with MalformedPolicyDocument (\"Invalid Condition type\"), so the policy cannot be saved and the role keeps " +
		"its old policy. Write the operator exactly as IAM spells it.",
	Refs: []string{conditionOps, "https://github.com/ministryofjustice/modernisation-platform-environments/pull/8893"},
	Run: func(p *analysis.Pass) {
		eachStatement(p, func(_ *Policy, s *Statement) {
			for _, block := range operatorBlocks(s) {
				written := block[0].Operator.Value
				if _, ok := ParseOperator(written); ok || written == "" || templated(written) {
					continue // "": keys pasted without their operator
				}
				msg := written + " is not a condition operator; IAM rejects the policy (MalformedPolicyDocument: Invalid Condition type)."
				if name := closestOperator(written); name != "" {
					msg += " Did you mean " + name + "?"
				}
				p.Report(analysis.Finding{Start: block[0].Operator.Start, End: block[0].Operator.End, Message: msg, Fix: operatorFix(s, block)})
			}
		})
	},
}
