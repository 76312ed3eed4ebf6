package sqlguard

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind tells the checks which tokens can be keywords: only tWord can, a quoted
// identifier or a string never is one whatever its text.
type tokKind uint8

const (
	tWord      tokKind = iota // unquoted identifier, keyword or number
	tQuoted                   // `backtick identifier`, text unescaped
	tString                   // '...', "..." or raw r'...' literal
	tPunct                    // one rune of anything else
	tHintStart                // /*+
	tHintEnd                  // */ closing a hint
)

// token is one lexical unit; comments and whitespace never become tokens, so every
// check sees the statement the way the Databricks parser does.
type token struct {
	kind tokKind
	off  int    // byte offset of the token's first byte in the text
	text string // as written for words and punctuation, unescaped for quoted identifiers
	dq   bool   // a tString that was double-quoted, which ANSI mode reads as an identifier
}

// isPunct avoids comparing the text of strings that happen to hold "(" or ";".
func (t token) isPunct(s string) bool { return t.kind == tPunct && t.text == s }

// isWord matches a keyword in any case.
func (t token) isWord(kw string) bool { return t.kind == tWord && strings.EqualFold(t.text, kw) }

// isWordRune decides where an unquoted identifier ends; letters of any script count,
// so a keyword glued to a non-ASCII letter is part of a name, not a keyword.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// lex splits text into tokens the way Databricks SQL does. It returns the tokens read
// so far together with a *Refusal when the text cannot be split safely: an unterminated
// string, identifier, comment or hint, or a comment whose extent other SQL lexers could
// read differently. Each byte is looked at a bounded number of times.
func lex(text string) ([]token, *Refusal) { return lexWith(text, false) }

// lexWith is lex, also reading $$...$$ and $tag$...$tag$ as string literals when
// dollar is set. Databricks takes dollar-quoted bodies in CREATE FUNCTION; whether it
// does elsewhere is not known here, so callers that care try both readings.
func lexWith(text string, dollar bool) ([]token, *Refusal) {
	var toks []token
	inHint := false
	hintOff := 0
	i := 0
	for i < len(text) {
		c := text[i]
		switch {
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			end := strings.IndexAny(text[i:], "\r\n")
			if end < 0 {
				i = len(text)
				continue
			}
			end += i
			if text[end] == '\n' && text[end-1] == '\\' {
				return toks, refuse(end-1, "the line comment at offset %d ends in a backslash, which continues it onto the next line in Databricks SQL; remove the backslash", i)
			}
			i = end
			continue
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			if i+2 < len(text) && text[i+2] == '+' {
				if inHint {
					return toks, refuse(i, "a hint /*+ cannot start inside another hint (offset %d); close the first hint with */", i)
				}
				toks = append(toks, token{kind: tHintStart, off: i, text: "/*+"})
				inHint, hintOff = true, i
				i += 3
				continue
			}
			end, r := skipBlockComment(text, i)
			if r != nil {
				return toks, r
			}
			i = end
			continue
		case inHint && c == '*' && i+1 < len(text) && text[i+1] == '/':
			toks = append(toks, token{kind: tHintEnd, off: i, text: "*/"})
			inHint = false
			i += 2
			continue
		case c == '\'' || c == '"':
			end, r := skipString(text, i, i, false)
			if r != nil {
				return toks, r
			}
			toks = append(toks, token{kind: tString, off: i, text: text[i:end], dq: c == '"'})
			i = end
			continue
		// A raw-string prefix only counts at the start of a word: in ar'x' the r
		// belongs to the name and 'x' is an ordinary string.
		case (c == 'r' || c == 'R') && i+1 < len(text) && (text[i+1] == '\'' || text[i+1] == '"'):
			end, r := skipString(text, i, i+1, true)
			if r != nil {
				return toks, r
			}
			toks = append(toks, token{kind: tString, off: i, text: text[i:end], dq: text[i+1] == '"'})
			i = end
			continue
		case dollar && c == '$':
			if end, opened := dollarString(text, i); opened {
				if end < 0 {
					return toks, refuse(i, "the dollar-quoted string at offset %d is never closed; end it with the same $tag$", i)
				}
				toks = append(toks, token{kind: tString, off: i, text: text[i:end]})
				i = end
				continue
			}
		case c == '`':
			name, end, r := readBacktick(text, i)
			if r != nil {
				return toks, r
			}
			toks = append(toks, token{kind: tQuoted, off: i, text: name})
			i = end
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			toks = append(toks, token{kind: tPunct, off: i, text: text[i : i+1]})
			i++
		case unicode.IsSpace(r):
			i += size
		case isWordRune(r):
			start := i
			i += size
			for i < len(text) {
				r, size = utf8.DecodeRuneInString(text[i:])
				if !isWordRune(r) {
					break
				}
				i += size
			}
			if strings.HasPrefix(text[i:], "://") {
				return toks, refuse(start, "the path %s:// at offset %d is not quoted, and some SQL lexers read it as one name up to the next space, comment markers included; put it in backticks", text[start:i], start)
			}
			toks = append(toks, token{kind: tWord, off: start, text: text[start:i]})
		default:
			toks = append(toks, token{kind: tPunct, off: i, text: text[i : i+size]})
			i += size
		}
	}
	if inHint {
		return toks, refuse(hintOff, "the hint /*+ at offset %d is never closed; end it with */", hintOff)
	}
	return toks, nil
}

// skipBlockComment returns the offset just past the comment opened at start. Comments
// nest in Databricks SQL. A /*+ inside a comment is refused: Spark's lexer does not
// count it as a nested opening while a reader expecting nesting would, and a text
// whose comments two lexers could end in different places cannot be judged.
func skipBlockComment(text string, start int) (int, *Refusal) {
	depth := 1
	i := start + 2
	for i+1 < len(text) {
		switch {
		case text[i] == '*' && text[i+1] == '/':
			depth--
			i += 2
			if depth == 0 {
				return i, nil
			}
		case text[i] == '/' && text[i+1] == '*':
			if i+2 < len(text) && text[i+2] == '+' {
				return 0, refuse(i, "a hint marker /*+ inside the comment that starts at offset %d is ambiguous; remove the + or the comment", start)
			}
			depth++
			i += 2
		default:
			i++
		}
	}
	return 0, refuse(start, "the comment /* at offset %d is never closed; end it with */ (comments nest, so every /* inside needs its own */)", start)
}

// skipString returns the offset just past the literal whose opening quote is at
// quote. Backslash escapes any byte, a doubled quote stands for itself, and a raw
// literal ends at the first matching quote whatever precedes it. A backslash before
// the literal's own quote is refused: it is the one escape whose absence (Spark's
// legacy escaping, or ANSI mode reading "..." as an identifier) moves the end of the
// literal, and with it what counts as code.
func skipString(text string, start, quote int, raw bool) (int, *Refusal) {
	q := text[quote]
	i := quote + 1
	for i < len(text) {
		switch c := text[i]; {
		case c == '\\' && !raw:
			if i+1 < len(text) && text[i+1] == q {
				return 0, refuse(i, "the escaped quote \\%c at offset %d would end the string where backslash escapes are off (legacy escaping, double-quoted identifiers); write %c%c for a quote inside a string", q, i, q, q)
			}
			i += 2
		case c == q:
			if !raw && i+1 < len(text) && text[i+1] == q {
				i += 2
				continue
			}
			return i + 1, nil
		default:
			i++
		}
	}
	return 0, refuse(start, "the string literal at offset %d is never closed; end it with %c (a backslash escapes the next character)", start, q)
}

// readBacktick returns the unescaped name of the identifier quoted at start, where a
// doubled backtick stands for one backtick.
func readBacktick(text string, start int) (string, int, *Refusal) {
	var b strings.Builder
	i := start + 1
	for i < len(text) {
		j := strings.IndexByte(text[i:], '`')
		if j < 0 {
			break
		}
		b.WriteString(text[i : i+j])
		i += j + 1
		if i < len(text) && text[i] == '`' {
			b.WriteByte('`')
			i++
			continue
		}
		return b.String(), i, nil
	}
	return "", 0, refuse(start, "the quoted identifier at offset %d is never closed; end it with ` (write `` for a backtick inside it)", start)
}

// refuse builds a Refusal whose reason is formatted like fmt.Sprintf.
func refuse(off int, format string, args ...any) *Refusal {
	return &Refusal{Reason: fmt.Sprintf(format, args...), Offset: off}
}

// dollarString returns the offset just past the dollar-quoted literal opened at start
// (-1 when it is never closed), or false when start opens none. Giving up at the first
// unclosed one keeps lexing linear: no later $ searches the rest of the text again.
func dollarString(text string, start int) (int, bool) {
	j := start + 1
	for j < len(text) && (text[j] == '_' || text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z' || text[j] >= '0' && text[j] <= '9') {
		j++
	}
	if j >= len(text) || text[j] != '$' {
		return 0, false
	}
	delim := text[start : j+1]
	end := strings.Index(text[j+1:], delim)
	if end < 0 {
		return -1, true
	}
	return j + 1 + end + len(delim), true
}
