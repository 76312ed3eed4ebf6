package emulator

import (
	"fmt"
	"strings"
)

// tokKind is what a token of Databricks SQL is; the rewriter needs only
// to tell words, quoted names, strings, numbers and markers apart so that
// nothing inside a string or comment is ever taken for a name.
type tokKind int

const (
	tkWord   tokKind = iota // a keyword or plain identifier
	tkQuoted                // a `backquoted` identifier; text is the name
	tkString                // a '...' or "..." string; text is the value
	tkNumber                // a numeric literal as written
	tkParam                 // a :name marker; text is the name
	tkOp                    // punctuation and operators
)

type sqlTok struct {
	kind  tokKind
	text  string
	pos   int  // byte offset in the statement
	end   int  // offset after the token
	space bool // whitespace or a comment came before it
}

// is reports whether the token is the unquoted keyword or symbol kw.
func (t sqlTok) is(kw string) bool {
	return (t.kind == tkWord || t.kind == tkOp) && strings.EqualFold(t.text, kw)
}

// isName reports whether the token can be an identifier.
func (t sqlTok) isName() bool { return t.kind == tkWord || t.kind == tkQuoted }

// sqlLex splits a statement into tokens, dropping whitespace and comments.
func sqlLex(s string) ([]sqlTok, *sqlError) {
	var out []sqlTok
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
			space = true
			continue
		case strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			i += j
			space = true
			continue
		case strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return nil, syntaxError("end of input")
			}
			i += j + 4
			space = true
			continue
		}
		t := sqlTok{pos: i, space: space}
		space = false
		switch {
		case c == '\'' || c == '"':
			v, n, ok := lexString(s[i:], c)
			if !ok {
				return nil, syntaxError("end of input")
			}
			t.kind, t.text, i = tkString, v, i+n
		case c == '`':
			j := i + 1
			var b strings.Builder
			for {
				k := strings.IndexByte(s[j:], '`')
				if k < 0 {
					return nil, syntaxError("end of input")
				}
				b.WriteString(s[j : j+k])
				j += k + 1
				if j < len(s) && s[j] == '`' {
					b.WriteByte('`')
					j++
					continue
				}
				break
			}
			t.kind, t.text, i = tkQuoted, b.String(), j
		case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j < len(s) && s[j] == '.' {
				j++
				for j < len(s) && isDigit(s[j]) {
					j++
				}
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && isDigit(s[k]) {
					for k < len(s) && isDigit(s[k]) {
						k++
					}
					j = k
				}
			}
			if j < len(s) && strings.IndexByte("lLsSyYdD", s[j]) >= 0 && (j+1 == len(s) || !isWordByte(s[j+1])) {
				j++
			}
			if j < len(s) && isWordByte(s[j]) {
				return nil, syntaxError("'" + s[i:j+1] + "'")
			}
			t.kind, t.text, i = tkNumber, s[i:j], j
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			t.kind, t.text, i = tkWord, s[i:j], j
		case c == ':' && i+1 < len(s) && isWordByte(s[i+1]) && !isDigit(s[i+1]):
			j := i + 1
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			t.kind, t.text, i = tkParam, s[i+1:j], j
		default:
			n := 1
			for _, op := range []string{"<=>", "::", "<=", ">=", "<>", "!=", "==", "||"} {
				if strings.HasPrefix(s[i:], op) {
					n = len(op)
					break
				}
			}
			t.kind, t.text, i = tkOp, s[i:i+n], i+n
		}
		t.end = i
		out = append(out, t)
	}
	return out, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte accepts letters, digits, _ and any byte of a non-ASCII
// character, as Databricks accepts Unicode letters in plain identifiers.
func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// lexString reads a string literal opening s with quote q and returns its
// value and length. Databricks undoes backslash escapes and a doubled quote.
func lexString(s string, q byte) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			default:
				b.WriteByte(s[i])
			}
		case c == q && i+1 < len(s) && s[i+1] == q:
			b.WriteByte(q)
			i++
		case c == q:
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// sqliteString quotes v as a SQLite string literal.
func sqliteString(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

// sqliteIdent quotes v as a SQLite identifier.
func sqliteIdent(v string) string { return `"` + strings.ReplaceAll(v, `"`, `""`) + `"` }

// near names a token as PARSE_SYNTAX_ERROR does.
func near(toks []sqlTok, i int) string {
	if i >= len(toks) {
		return "end of input"
	}
	t := toks[i]
	switch t.kind {
	case tkString:
		return "'" + t.text + "'"
	case tkQuoted:
		return "'`" + t.text + "`'"
	case tkParam:
		return "':" + t.text + "'"
	}
	return fmt.Sprintf("'%s'", t.text)
}
