package core

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
)

// TestAPITypesMirrorTheRules checks that core's own API types have the
// JSON shape of the rules' types they are converted from (convert goes
// through JSON): a field added on one side and not the other would be
// lost at the boundary.
func TestAPITypesMirrorTheRules(t *testing.T) {
	pairs := []struct{ core, rules any }{
		{CanIQuery{}, fixes.CanIQuery{}},
		{CanIResult{}, fixes.CanIResult{}},
		{TrustRequest{}, fixes.TrustRequest{}},
		{TrustDecision{}, fixes.TrustDecision{}},
		{Step{}, analysis.Step{}},
		{Artifact{}, analysis.Artifact{}},
	}
	for _, p := range pairs {
		c, r := jsonShape(reflect.TypeOf(p.core)), jsonShape(reflect.TypeOf(p.rules))
		if c != r {
			t.Errorf("%T and %T differ in JSON shape:\n core: %s\nrules: %s", p.core, p.rules, c, r)
		}
	}
}

// jsonShape describes the JSON a value of type t encodes to: field names
// and the shapes of their values.
func jsonShape(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + jsonShape(t.Elem())
	case reflect.Slice:
		return "[]" + jsonShape(t.Elem())
	case reflect.Map:
		return "map[" + t.Key().Kind().String() + "]" + jsonShape(t.Elem())
	case reflect.Struct:
		var fields []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fields = append(fields, name+":"+jsonShape(f.Type)+" "+f.Tag.Get("json"))
		}
		sort.Strings(fields)
		return "{" + strings.Join(fields, ", ") + "}"
	}
	return t.Kind().String()
}
