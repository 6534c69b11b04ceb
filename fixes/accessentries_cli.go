package fixes

import (
	"strings"

	"github.com/tidwall/gjson"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// The AWS CLI commands that write access entries and the authentication
// mode, as people paste what they ran: aws eks create-access-entry,
// update-access-entry, associate-access-policy, update-cluster-config and
// create-cluster with --access-config, over one or more lines joined by a
// trailing \ (or PowerShell's `, cmd's ^).

// accessCommand matches the start of such a command, after any global
// options (aws --region eu-west-1 eks …).
var accessCommand = prefilter.MustCompile(awsEKS + `(create-access-entry|update-access-entry|associate-access-policy|update-cluster-config|create-cluster)\b`)

// podAssociationCommand matches the start of a command that writes a Pod
// Identity association.
var podAssociationCommand = prefilter.MustCompile(awsEKS + `(create-pod-identity-association|update-pod-identity-association)\b`)

// awsEKS is "aws eks " with any global options between.
const awsEKS = `\baws\s+(?:--[\w-]+(?:[= ]+[^-\s]\S*)?\s+)*eks\s+`

// AccessCommand returns the subcommand of the first AWS CLI command in
// text that writes an access entry, an access policy association or the
// authentication mode ("create-access-entry"…), or "".
func AccessCommand(text string) string {
	if m := accessCommand.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// PodAssociationCommand returns the subcommand of the first AWS CLI
// command in text that writes a Pod Identity association, or "".
func PodAssociationCommand(text string) string {
	if m := podAssociationCommand.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// cliToken is a word of a command line: its text without quotes, and
// where that text is in the whole text.
type cliToken struct {
	Value      string
	Start, End int
}

// cliCommand is one command: its subcommand and its words after it.
type cliCommand struct {
	Verb   string
	Tokens []cliToken
	// End is where the command's last word ends.
	End int
}

// readAccessCommands reads the access-entry commands in doc into the
// model: each create or update is an entry request, an association adds
// a policy to the entry of its principal, and --access-config sets the
// mode asked for.
func readAccessCommands(src *analysis.Source, doc *analysis.Document) accessModel {
	var m accessModel
	for _, cmd := range cliCommands(src.Text[:doc.End], doc.Start, accessCommand) {
		flags := cmd.flags()
		if v := firstToken(flags, "--cluster-name", "--name"); v != nil && m.Cluster == "" {
			m.Cluster = v.Value
		}
		if v := firstToken(flags, "--region"); v != nil {
			m.Region = v.Value
		}
		switch cmd.Verb {
		case "create-access-entry", "update-access-entry", "associate-access-policy":
			m.addCommandEntry(src, cmd, flags)
		default:
			if c := shorthandConfig(src, flags["--access-config"]); c != nil {
				m.Config = c
			}
		}
	}
	return m
}

// addCommandEntry adds the entry a command writes, or the policy it
// associates to the entry already read for the same principal.
func (m *accessModel) addCommandEntry(src *analysis.Source, cmd cliCommand, flags map[string][]cliToken) {
	principal := firstToken(flags, "--principal-arn")
	if principal == nil {
		return
	}
	e := accessEntry{Source: "aws-cli-command", Start: principal.Start, End: principal.End}
	at := func(t *cliToken) *analysis.Scalar {
		if t == nil {
			return nil
		}
		s := scalarAt(src, t.Value, t.Start, t.End)
		return &s
	}
	e.PrincipalARN, e.Type, e.Username = at(principal), at(firstToken(flags, "--type")), at(firstToken(flags, "--username"))
	for _, g := range flags["--kubernetes-groups"] {
		e.Groups = append(e.Groups, scalarAt(src, g.Value, g.Start, g.End))
	}
	e.GroupsField, e.UsernameField = cmd.field(src, "--kubernetes-groups"), cmd.field(src, "--username")
	if policy := firstToken(flags, "--policy-arn"); policy != nil {
		pol := accessPolicy{PolicyARN: at(policy), Start: policy.Start, End: policy.End}
		if scope := firstToken(flags, "--access-scope"); scope != nil {
			pol.ScopeType, pol.Namespaces = scopeOf(src, *scope)
		}
		e.Policies = []accessPolicy{pol}
		e.PoliciesField = cmd.field(src, "--policy-arn")
	}
	for i := range m.Entries {
		if old := &m.Entries[i]; old.PrincipalARN.Value == principal.Value && cmd.Verb == "associate-access-policy" {
			old.Policies = append(old.Policies, e.Policies...)
			if old.PoliciesField == nil {
				old.PoliciesField = e.PoliciesField
			}
			return
		}
	}
	m.Entries = append(m.Entries, e)
}

// cliCommands finds the commands that command matches (its first group
// the subcommand) in text[from:] and splits each into words.
func cliCommands(text string, from int, command *prefilter.Regexp) []cliCommand {
	var out []cliCommand
	for pos := from; pos < len(text); {
		loc := command.FindStringSubmatchIndex(text[pos:])
		if loc == nil {
			break
		}
		cmd := cliCommand{Verb: text[pos+loc[2] : pos+loc[3]]}
		cmd.Tokens, cmd.End = shellWords(text, pos+loc[1])
		out = append(out, cmd)
		pos = max(cmd.End, pos+loc[1])
	}
	return out
}

// shellWords splits a command line from start into words, following
// quotes and line continuations, and returns them with where the line
// ends.
func shellWords(text string, start int) ([]cliToken, int) {
	var words []cliToken
	i := start
	for i < len(text) {
		c := text[i]
		switch {
		case c == '\n':
			return words, i
		case (c == '\\' || c == '`' || c == '^') && continuesLine(text, i+1):
			i = strings.IndexByte(text[i:], '\n') + i + 1
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#' && (i == start || text[i-1] == ' '):
			return words, i // a comment
		default:
			w, next := shellWord(text, i)
			words = append(words, w)
			i = next
		}
	}
	return words, i
}

// continuesLine reports whether only spaces stand between i and the end
// of the line, so that the character before i continues it.
func continuesLine(text string, i int) bool {
	rest, _, found := strings.Cut(text[i:], "\n")
	return found && strings.TrimSpace(rest) == ""
}

// shellWord reads the word at i: a run of characters up to a space, one
// quoted string whole (its span is inside the quotes), or both joined.
func shellWord(text string, i int) (cliToken, int) {
	var b strings.Builder
	start, end := i, i
	for i < len(text) && !strings.ContainsRune(" \t\r\n", rune(text[i])) {
		if q := text[i]; q == '"' || q == '\'' {
			close := strings.IndexByte(text[i+1:], q)
			if close < 0 {
				close = len(text) - i - 1
			}
			if b.Len() == 0 {
				start = i + 1
			}
			b.WriteString(text[i+1 : i+1+close])
			i += close + 2
			end = min(i-1, len(text))
			continue
		}
		b.WriteByte(text[i])
		i++
		end = i
	}
	return cliToken{Value: b.String(), Start: start, End: end}, min(i, len(text))
}

// flags returns the command's options with their values: every word up
// to the next option (lists such as --kubernetes-groups a b take
// several), or the part after "=".
func (cmd cliCommand) flags() map[string][]cliToken {
	flags := map[string][]cliToken{}
	name := ""
	for _, t := range cmd.Tokens {
		if strings.HasPrefix(t.Value, "--") {
			var value string
			var hasValue bool
			name, value, hasValue = strings.Cut(t.Value, "=")
			flags[name] = nil
			if hasValue {
				offset := len(name) + 1
				flags[name] = append(flags[name], cliToken{Value: value, Start: t.Start + offset, End: t.End})
			}
			continue
		}
		if name != "" {
			flags[name] = append(flags[name], t)
		}
	}
	return flags
}

// field returns where an option is written, with the edit that removes it
// and its values, or nil.
func (cmd cliCommand) field(src *analysis.Source, name string) *accessField {
	for i, t := range cmd.Tokens {
		if t.Value != name && !strings.HasPrefix(t.Value, name+"=") {
			continue
		}
		end := t.End
		for _, v := range cmd.Tokens[i+1:] {
			if strings.HasPrefix(v.Value, "--") {
				break
			}
			end = v.End
		}
		if end < len(src.Text) && (src.Text[end] == '"' || src.Text[end] == '\'') {
			end++
		}
		return &accessField{Start: t.Start, End: t.End, Remove: removeOption(src, t.Start, end)}
	}
	return nil
}

// removeOption returns the edit that removes an option written at
// [start, end), with the space before it; an option on a line of its own
// takes its line, or the continuation that led to it when it ends the
// command.
func removeOption(src *analysis.Source, start, end int) *analysis.Edit {
	line, last := src.LineOf(start), src.LineOf(end)
	lineStart := src.LineStart(line)
	if strings.TrimSpace(src.Text[lineStart:start]) == "" && line > 1 {
		if rest := strings.TrimSpace(src.Text[end:src.LineEnd(last)]); rest == "\\" || rest == "`" || rest == "^" {
			e := analysis.Delete(lineStart, src.LineStart(last+1))
			return &e
		}
		prev := strings.TrimRight(src.Line(line-1), " \t")
		if strings.HasSuffix(prev, "\\") || strings.HasSuffix(prev, "`") || strings.HasSuffix(prev, "^") {
			cut := strings.TrimRight(prev[:len(prev)-1], " \t")
			e := analysis.Delete(src.LineStart(line-1)+len(cut), end)
			return &e
		}
	}
	for start > 0 && (src.Text[start-1] == ' ' || src.Text[start-1] == '\t') {
		start--
	}
	e := analysis.Delete(start, end)
	return &e
}

// firstToken returns the first value of the first of names given, or nil.
func firstToken(flags map[string][]cliToken, names ...string) *cliToken {
	for _, n := range names {
		if v := flags[n]; len(v) > 0 {
			return &v[0]
		}
	}
	return nil
}

// shorthandConfig reads --access-config, in shorthand
// (authenticationMode=API,bootstrapClusterCreatorAdminPermissions=false)
// or JSON.
func shorthandConfig(src *analysis.Source, values []cliToken) *accessConfig {
	if len(values) == 0 {
		return nil
	}
	fields := cliStruct(src, values[0])
	c := &accessConfig{Mode: first(fields["authenticationMode"]), BootstrapAdmin: first(fields["bootstrapClusterCreatorAdminPermissions"]), Desired: true}
	if c.Mode == nil && c.BootstrapAdmin == nil {
		return nil
	}
	return c
}

// scopeOf reads --access-scope: its type and namespaces.
func scopeOf(src *analysis.Source, t cliToken) (*analysis.Scalar, []analysis.Scalar) {
	fields := cliStruct(src, t)
	return first(fields["type"]), fields["namespaces"]
}

// first returns the first of values, or nil.
func first(values []analysis.Scalar) *analysis.Scalar {
	if len(values) == 0 {
		return nil
	}
	return &values[0]
}

// cliStruct reads a structure argument, in shorthand (k=v,k=v, where a
// list goes on with bare values: namespaces=a,b) or JSON, into the
// scalar values of each field. A word with quotes inside it gives
// nothing, since its values' places in the text are not known.
func cliStruct(src *analysis.Source, t cliToken) map[string][]analysis.Scalar {
	fields := map[string][]analysis.Scalar{}
	if t.End-t.Start != len(t.Value) {
		return fields
	}
	put := func(key, value string, start int) {
		fields[key] = append(fields[key], scalarAt(src, value, start, start+len(value)))
	}
	if strings.HasPrefix(t.Value, "{") {
		gjson.Parse(t.Value).ForEach(func(k, v gjson.Result) bool {
			items := []gjson.Result{v}
			if v.IsArray() {
				items = v.Array()
			}
			for _, item := range items {
				switch item.Type {
				case gjson.String:
					if len(item.Raw) == len(item.Str)+2 { // no escapes: the value is where it is written
						put(k.String(), item.Str, t.Start+item.Index+1)
					}
				case gjson.True, gjson.False:
					put(k.String(), item.Raw, t.Start+item.Index)
				}
			}
			return true
		})
		return fields
	}
	key, pos := "", t.Start
	for _, part := range strings.Split(t.Value, ",") {
		if k, v, ok := strings.Cut(part, "="); ok {
			key = k
			put(key, v, pos+len(k)+1)
		} else if key != "" {
			put(key, part, pos)
		}
		pos += len(part) + 1
	}
	return fields
}
