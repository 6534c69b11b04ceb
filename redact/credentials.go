package redact

import "strings"

// Passwords, tokens and keys in assignments, URLs, connection strings and
// HTTP headers.

// passwordFormat replaces a password byte for byte.
var passwordFormat = fillFormat

var credentialPatterns = []*pattern{
	{
		kind:     "password",
		keywords: []string{"://"},
		find:     findURLPassword,
		format:   passwordFormat,
		matches: []string{
			"DATABASE_URL=postgres://app:«Tr0ub4dor&3»@db.internal:5432/app",
			"mongodb+srv://svc-orders:«hX9#kq2LmZ»@cluster0.ab1cd.mongodb.net/orders?retryWrites=true",
			"redis://:«s3cr3tRedisPass»@redis-master:6379/0",
			"https://deploy:«p@ss:word»@git.internal.example.org/repo.git",
		},
		decoys: []string{
			"https://oidc.eks.us-west-2.amazonaws.com/id/1234",
			"postgres://app:${DB_PASSWORD}@db:5432/app",
			"http://localhost:8080/healthz",
			"https://user@github.com/org/repo",
			"mysql://root:<password>@localhost/db",
		},
	},
	{
		kind:     "password",
		keywords: []string{"pass", "pwd"},
		fold:     true,
		find:     findAssignment,
		format:   passwordFormat,
		matches: []string{
			"DB_PASSWORD=«hunter2!»",
			"  password: «Sup3r-Secret-Pa55»",
			`{"password": "«c0rrect horse»"}`,
			"Server=tcp:sql.internal,1433;Database=orders;User ID=app;Password=«Xk8#2mQp»;Encrypt=True",
			"jdbc:mysql://db:3306/app?user=app&password=«N0tSoS3cret»&useSSL=true",
			"spring.datasource.password=«JdbcPa55w0rd»",
			"mysql --user=root --password=«r00tPa55» app",
			`<password>«xml-pa55-1»</password>`,
			`\"password\":\"«in-json-string»\"`,
		},
		decoys: []string{
			"password: ${DB_PASSWORD}", "password: changeme", "passwordSecretRef: db-creds", `"password": ""`,
			"PASSWORD_FILE=/run/secrets/db", "bypass: true", "password: {{ .Values.db.password }}",
			"password_min_length = 14", "  passwordPolicy:",
		},
	},
	{
		kind:     "password",
		keywords: []string{"User name,Password,"},
		find:     findConsoleCSVPassword,
		format:   passwordFormat,
		matches: []string{
			"User name,Password,Access key ID,Secret access key,Console login link\nci-bot,«k7#Qz!m2Lp»,AKIAIOSFODNN7EXAMPLE,x,https://x\n",
		},
		decoys: []string{"User name,Password,Access key ID\nci-bot,,AKIAIOSFODNN7EXAMPLE\n"},
	},
	{
		kind:     "secret",
		keywords: []string{`"random_password"`},
		find:     findRandomPassword,
		format:   fillFormat,
		matches:  []string{`"type": "random_password", "name": "db", "instances": [{"attributes": {"length": 24, "result": "«Zx2kQ9vLmPq3rT7u»"}}]`},
		decoys:   []string{`"type": "random_password", "name": "db"}, {"type": "random_id", "attributes": {"result": "abc"}}`},
	},
	{
		kind:     "kubeconfig-token",
		keywords: []string{"token"},
		find:     findKubeconfigToken,
		format:   fillFormat,
		matches: []string{
			"    token: «sha256~Zx2kQ9vLmPq3rT7uW1yB5nC8dF0gH4jK6sA2eR9tY1u»",
			"    token: «3f9a1c2b7d8e4f60a1b2c3d4e5f60718»",
		},
		decoys: []string{"    token: ${TOKEN}", "  tokenFile: /var/run/secrets/token", "    token: \"\""},
	},
	{
		kind:     "secret",
		keywords: []string{"secret", "token", "key"},
		fold:     true,
		find:     findAssignment,
		format:   fillFormat,
		matches: []string{
			"JWT_SECRET=«9vJ2kLq8ZpX4mN7bR1tW»",
			"SECRET_KEY_BASE=«a8f5f167f44f4964e6c998dee827110c»",
			`"client_secret": "«Yh3~Kq8.Zp2-Lm9_Xw4Rt7Bn»"`,
			"export GITHUB_TOKEN=«hX9kq2LmZp4vB7nR1tW5»",
			"api_key = \"«AbC123xYz789QwE456»\"",
			"refresh-token: «1//0gYxT4kQ9vLmPq3rT7uW»",
			"DefaultEndpointsProtocol=https;AccountName=store1;AccountKey=«q8Zp2Lm9Xw4Rt7BnYh3Kq8Zp2Lm9Xw4Rt7Bn==»;EndpointSuffix=core.windows.net",
		},
		decoys: []string{
			"secretName: app-tls", "  secretKeyRef:", "kind: Secret", "SECRET_NAME=prod/db", "tokenTTL: 3600",
			"automountServiceAccountToken: false", "key: app.kubernetes.io/name", "secret: my-secret-name",
			`"Action": "secretsmanager:GetSecretValue"`, "api_key = var.api_key", "token_endpoint: https://idp/token",
			"primary_key = aws_kms_key.this.arn", "KeyName: ops-keypair", "credentials: aws-creds",
		},
	},
	{
		kind:     "password",
		keywords: []string{"name", `variable "`},
		find:     findNamedValue,
		format:   passwordFormat,
		matches: []string{
			"        - name: DB_PASSWORD\n          value: «hunter2-prod»\n",
			`{"name": "SMTP_PASS", "value": "«Zx2kQ9vLmPq3rT7uW1yB»"}`,
			"variable \"db_password\" {\n  type    = string\n  default = \"«Tf-Def4ult-Pw»\"\n}\n",
			"  set_sensitive {\n    name  = \"adminPassword\"\n    value = \"«Gr4fana!Adm1n»\"\n  }\n",
		},
		decoys: []string{
			"- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password\n",
			"- name: DB_HOST\n  value: orders-db\n", "- name: API_TOKEN\n  value: ${API_TOKEN}\n",
		},
	},
	{
		kind:     "ecr-password",
		keywords: []string{"eyJwYXlsb2FkIjoi"},
		find:     findBase64Blob(100),
		format:   fillFormat,
		matches:  []string{"docker login -u AWS -p «eyJwYXlsb2FkIjoiQ2lBb3pXcDJrUTl2TG1QcTNyVDd1VzF5QjVuQzhkRjBnSDRqSzZzQTJlUjl0WTF1STNvUDVhUzdkRjlnSDJqSzRsWjZ4QzgiLCJ2ZXJzaW9uIjoiMiJ9» 210987654321.dkr.ecr"},
		decoys:   []string{"eyJwYXlsb2FkIjoi is how it starts"},
	},
	{
		kind:     "bearer-token",
		keywords: []string{"bearer "},
		fold:     true,
		find:     findBearer,
		format:   prefixFormat(knownPrefix(), separators),
		matches: []string{
			`curl -H "Authorization: Bearer «a1B2c3D4e5F6g7H8i9J0kLmN»" https://api`,
			"authorization: bearer «sha256~pQ9vLmZx2kT7uW1yB5nC8dF0»",
		},
		decoys: []string{"Authorization: Bearer $TOKEN", "the bearer token expired", "Bearer <token>"},
	},
	{
		kind:     "basic-auth",
		keywords: []string{"basic "},
		fold:     true,
		find:     findBasicAuth,
		format:   fillFormat,
		matches:  []string{`-H "Authorization: Basic «ZGVwbG95OnMzY3IzdFBhc3M=»"`},
		decoys:   []string{"a basic setup", "Authorization: Basic $CREDS"},
	},
	{
		kind:     "docker-auth",
		keywords: []string{`"auth"`, `\"auth\"`},
		fold:     true,
		find:     findDockerAuth,
		format:   fillFormat,
		matches:  []string{`{"auths":{"123.dkr.ecr":{"auth":"«QVdTOmV5SnBZWGxzYjJGa0lqb2lVbXg=»"}}}`},
		decoys:   []string{`"auth": ""`, `"auth": {"type": "oidc"}`},
	},
}

// findURLPassword finds the password in scheme://user:password@host.
func findURLPassword(h *hit) {
	s := h.text
	i := h.at + 3
	end := runEndNot(s, i, min(h.hi, i+512), urlAuthorityEnd)
	at := strings.LastIndexByte(s[i:end], '@')
	if at < 0 {
		return
	}
	at += i
	colon := strings.IndexByte(s[i:at], ':')
	if colon < 0 {
		return
	}
	start := i + colon + 1
	if v := s[start:at]; !isPlaceholder(v) {
		h.emit(start, at)
	}
}

// padding is base64 padding.
var padding = newClass("=")

// urlAuthorityEnd are the bytes that end a URL's authority.
var urlAuthorityEnd = newClass(" \t\r\n/?\"'`<>\\")

// passwordKeys and secretKeys are the endings of normalised keys (see
// normalizeKey) whose values are passwords and other secrets.
var (
	passwordKeys = []string{"password", "passwd", "pwd", "passphrase", "pass"}
	secretKeys   = []string{
		"secret", "secretkey", "secretkeybase", "token", "apikey", "privatekey", "accesskey", "signingkey",
		"encryptionkey", "masterkey", "authkey", "accountkey", "sharedaccesskey", "clientkey",
	}
)

// findAssignment finds the value of a key that ends in a password or
// secret word. Passwords are redacted whatever they look like; other
// secrets only when they look generated.
func findAssignment(h *hit) {
	ks, ke := keyAround(h, h.at)
	h.skipTo(ke)
	password, secret := secretClass(h.text[ks:ke])
	if !password && !secret {
		return
	}
	if v, ok := valueAfter(h, ks, ke); ok && isSecretValue(h.text[v.start:v.end], password) {
		h.emit(v.start, v.end)
	}
}

// secretClass says whether a key names a password (any value is one), a
// secret (only random-looking values are) or neither.
func secretClass(key string) (password, secret bool) {
	end := len(key)
	for end > 0 && (digits[key[end-1]] || separators[key[end-1]]) {
		end--
	}
	if end < len(key) && end > 0 && lower(key[end-1]) == 'v' {
		end-- // ses_smtp_password_v4
	}
	var buf [64]byte
	k := normalizeKey(buf[:0], key[max(0, end-32):end])
	password = hasAnySuffix(k, passwordKeys)
	return password, !password && hasAnySuffix(k, secretKeys)
}

// isSecretValue reports whether val, the value of a key of the given
// class, is a secret to redact.
func isSecretValue(val string, password bool) bool {
	return !strings.HasPrefix(val, "-----BEGIN") && !isPlaceholder(val) && (password && len(val) >= 4 || !password && looksRandom(val))
}

// findNamedValue finds the value of a name/value pair whose name says it
// is a secret: a container's environment variable, a Helm
// set_sensitive block, a parameter list, the default of a Terraform
// variable.
func findNamedValue(h *hit) {
	s := h.text
	var name value
	valueKey := "value"
	if h.kw == "name" {
		if h.at > h.lo && (keyChars[s[h.at-1]] || s[h.at-1] == '-') || wordAfter(s, h.at+4) {
			return
		}
		var ok bool
		if name, ok = valueAfter(h, h.at, h.at+4); !ok {
			return
		}
	} else {
		end := closingQuote(s, h.at+len(h.kw)-1, h.hi)
		if end < 0 {
			return
		}
		name, valueKey = value{start: h.at + len(h.kw), end: end}, "default"
	}
	password, secret := secretClass(s[name.start:name.end])
	if !password && !secret {
		return
	}
	rest := s[name.end:min(h.hi, name.end+300)]
	i := strings.Index(rest, valueKey)
	if i < 0 || strings.Contains(rest[:i], "name") || strings.Contains(rest[:i], "}") {
		return
	}
	ks := name.end + i
	if keyChars[s[ks-1]] || s[ks-1] == '-' {
		return
	}
	v, ok := valueAfter(h, ks, ks+len(valueKey))
	if ok && isSecretValue(s[v.start:v.end], password) {
		kind := "password"
		if !password {
			kind = "secret"
		}
		h.emitAs(v.start, v.end, kind, passwordFormat)
	}
}

// findKubeconfigToken finds the value of a YAML "token:" key, a
// kubeconfig user's bearer token, whatever it looks like.
func findKubeconfigToken(h *hit) {
	s := h.text
	if !atLineStart(s, h.at, h.lo) || !strings.HasPrefix(s[h.at:h.hi], "token:") {
		return
	}
	v, ok := valueAfter(h, h.at, h.at+len("token"))
	if ok && v.end-v.start >= 8 && !isPlaceholder(s[v.start:v.end]) {
		h.emit(v.start, v.end)
	}
}
