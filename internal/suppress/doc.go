// Package suppress silences findings a team has reviewed, as CI linters
// let teams do: directives in the analysed files, a config file, the
// CLI's --skip and a baseline. Nothing is lost: Policy.Filter returns
// every finding it removes with what silenced it and why, and every
// mistake in a directive or the config file is reported with its line.
//
// # Directives
//
// A comment in an analysed file silences the rules it names:
//
//	# eksdoctor:ignore RULE[,RULE…] [reason]
//	# eksdoctor:ignore-file RULE[,RULE…] [reason]
//
// Comments start with # in YAML and with # or // elsewhere (Terraform,
// pasted text, JSON with comments). Rule IDs are family letters and three
// digits (AUTH002, RBAC023, ERR001), separated by commas; the rest of the
// comment is the reason, kept with each finding it silences. `*` is
// refused: name each rule, so that a rule added later is not silenced
// unseen. A malformed directive, an ID that is not a rule and a directive
// with no line after it are reported, never ignored.
//
// On its own line, eksdoctor:ignore covers the next line that holds code
// and the item or block that starts there:
//
//   - when that line opens brackets, every line to the one that closes
//     them: a Terraform block (resource "x" "y" { to its }), a JSON
//     object or array, a YAML flow collection; brackets in strings and
//     comments do not count;
//   - else the lines after it indented deeper: a YAML mapping entry with
//     its value, a list item (- rolearn: … with its username and groups,
//     not the next item), and for a key with nothing after its colon, the
//     list items that follow at the key's own indentation.
//
// After code, eksdoctor:ignore covers its own line only.
// eksdoctor:ignore-file, anywhere, covers the whole file. A finding is
// covered when the line it starts on is. For example:
//
//	mapRoles: |
//	  # eksdoctor:ignore AUTH002 CI deployer, reviewed in SEC-1142
//	  - rolearn: arn:aws:iam::111122223333:role/github-actions-deployer
//	    username: github-actions
//	    groups:
//	      - system:masters
//
// JSON has no comments and eksdoctor does not read JSON holding them: for
// JSON files, use the config file or a baseline.
//
// # Config file
//
// .eksdoctor.yaml is looked for in the current directory and each one
// above it, up to the repository's root (the first directory holding
// .git) or the filesystem's root (see Find):
//
//	failOn: high              # the CLI's --fail-on when not given
//	skip: [AUTH021]           # rules silenced in every file
//	exclude:                  # files not analysed
//	  - vendor/**
//	  - "**/*.md"
//	paths:                    # rules silenced in some files
//	  - path: clusters/legacy/**
//	    skip: [AUTH002, RBAC022]
//
// An unknown field, an unknown rule, a malformed glob or a failOn that is
// not a severity is an error naming the file and line. Globs are
// slash-separated and relative to the config file's directory, and
// anchored there: "*.tf" matches main.tf, not modules/iam/main.tf.
// Each segment matches as in path.Match; "**" matches any number of
// directories, none included ("**/*.tf" matches both); a glob matching a
// directory matches the files in it ("vendor" is "vendor/**").
//
// # Baseline
//
// A baseline records the findings a team accepts as they are today, so
// that CI fails on new ones only. It is JSON:
//
//	{
//	  "version": 1,
//	  "findings": [
//	    {
//	      "rule": "AUTH002",
//	      "file": "clusters/prod/aws-auth.yaml",
//	      "fingerprint": "5f0c…",
//	      "line": 17,
//	      "message": "… is mapped to system:masters: …"
//	    }
//	  ]
//	}
//
// A file is named relative to the config file's directory (as given
// without a config file). The fingerprint alone decides what an entry
// matches: a hash of the rule, the file's name, the finding's source
// lines trimmed of blanks, and its rank among the findings of that file
// with the same three. Adding or removing lines elsewhere keeps a finding
// baselined; changing its own lines makes it new; of two equal findings,
// a third added after them is the new one. Line and message are for
// people reading the file. Entries that match nothing in the files
// analysed are stale (Baseline.Stale), to prune by writing the baseline
// again.
package suppress
