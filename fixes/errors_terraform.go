package fixes

import (
	"fmt"
	"regexp"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Terraform refusing an input variable of aws-auth mappings: a wrapper
// module whose variable type names the other section's key.

var sigMappingVariable = newSignature([]string{"Unsuitable value for var."},
	[]string{`Unsuitable value for var\.(?P<var>\w*map_(?:roles|users)\w*|\w*aws_auth_(?:roles|users)\w*)`},
	[]string{`Unsuitable value for var.map_roles set using the TF_VAR_map_roles environment variable: element 0: attribute "userarn" is required.`},
	[]string{`Unsuitable value for var.subnet_ids set using a variable file: element 0: string required.`})

var errMappingVariable = &analysis.Rule{
	ID:       "ERR052",
	Title:    "aws-auth mappings variable typed with the other section's key",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "aws-auth's mapRoles entries name their principal with rolearn, mapUsers entries with userarn. A module that takes the " +
		"mappings as an input variable declares that shape in its type, list(object({rolearn = string, username = string, " +
		"groups = list(string)})) for roles; a type copied from the users' variable requires userarn, and Terraform refuses a " +
		"correct role mapping with \"attribute \\\"userarn\\\" is required\" before anything reaches the cluster. Fix the " +
		"variable's type in the module (variables.tf), not the mapping.",
	Refs: []string{authConfigMapDoc, "https://developer.hashicorp.com/terraform/language/expressions/type-constraints#object",
		"https://github.com/cookiecutter-openedx/cookiecutter-openedx-devops/issues/60"},
	Run: symptom(sigMappingVariable, func(p *analysis.Pass, ms []errMatch) {
		// Terraform wraps the message: the attribute is on a later line.
		required := requiredKey.FindStringSubmatch(p.Src.Text[ms[0].End:min(len(p.Src.Text), ms[0].End+300)])
		if required == nil {
			return
		}
		variable, attr := ms[0].group("var"), required[1]
		key, section := "rolearn", "mapRoles"
		if attr == "rolearn" {
			key, section = "userarn", "mapUsers"
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "Terraform refused var.%s because its type requires %s, the key of the other aws-auth "+
			"section: %s entries name their principal with %s. If the mappings are right, the module's variable type is wrong: "+
			"declare it as list(object({%s = string, username = string, groups = list(string)})) in its variables.tf.",
			variable, attr, section, key, key)
		p.Suggest("Find the variable's type", fmt.Sprintf("Look at variable %q in the module's variables.tf: the object type must "+
			"name %s, not %s.", variable, key, attr))
	}),
}

// requiredKey is the attribute Terraform says an element lacks.
var requiredKey = regexp.MustCompile(`attribute "(rolearn|userarn)" is required`)
