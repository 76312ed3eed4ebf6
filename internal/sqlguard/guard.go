// Package sqlguard decides whether a Databricks SQL text may run when dbx-mcp is
// read-only. It tokenizes the text as Databricks SQL does and looks at the statement's
// structure, because a prefix match is fooled by comments, strings, a second statement
// after a semicolon or a WITH clause in front of an INSERT.
//
// The guard errs towards refusing: a text it cannot be sure about is refused with a
// reason that tells the model what to change.
package sqlguard

import (
	"strings"
)

// Refusal is the error Check and SecretCall return, so a caller can hand the model
// a reason and point at the spot in its text.
type Refusal struct {
	// Reason is one sentence naming the offending word or construct and what to do.
	Reason string
	// Offset is the byte offset in the checked text of the offending token, or -1
	// when the refusal concerns the text as a whole.
	Offset int
}

// Error returns Reason, so a Refusal reads well wherever an error is printed.
func (r *Refusal) Error() string { return r.Reason }

// allowedKinds is named in refusals so the model knows what it may send instead.
const allowedKinds = "only SELECT, WITH, VALUES, TABLE, FROM, SHOW, DESCRIBE, EXPLAIN and LIST statements run in read-only mode"

// changingWords are the statement keywords that change state. Inside an allowed
// statement they can only be names, so a bare one is refused rather than guessed at.
var changingWords = map[string]bool{
	"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true, "DROP": true,
	"CREATE": true, "ALTER": true, "TRUNCATE": true, "GRANT": true, "REVOKE": true,
	"COPY": true, "OPTIMIZE": true, "VACUUM": true, "REFRESH": true, "CACHE": true,
	"UNCACHE": true, "MSCK": true, "RESTORE": true, "CALL": true, "EXECUTE": true,
}

// sideEffectFunctions reach outside Databricks (HTTP, the JVM), so a query calling
// them is not read-only whatever else it does.
var sideEffectFunctions = map[string]bool{
	"http_request": true, "reflect": true, "java_method": true, "try_reflect": true,
}

// secretFunctions return secret values.
var secretFunctions = map[string]bool{"secret": true, "try_secret": true}

// queryWords start a query, the only thing allowed after a WITH clause, inside leading
// parentheses and after DESCRIBE QUERY.
var queryWords = map[string]bool{"SELECT": true, "WITH": true, "VALUES": true, "TABLE": true, "FROM": true}

// explainModes are the optional words between EXPLAIN and its statement.
var explainModes = map[string]bool{"EXTENDED": true, "CODEGEN": true, "COST": true, "FORMATTED": true, "LOGICAL": true}

// Check reports whether text is exactly one statement that cannot change anything.
// It returns nil for a read-only statement and a *Refusal otherwise.
func Check(text string) error {
	toks, r := lex(text)
	if r != nil {
		return r
	}
	for _, t := range toks {
		if t.isPunct("$") {
			return refuse(t.off, "the $ at offset %d can open a $$-quoted string or a ${...} substitution, which would change what counts as code; put it inside a '...' string or a backtick name", t.off)
		}
	}
	stmt, r := oneStatement(toks)
	if r != nil {
		return r
	}
	match, unmatched := matchParens(stmt)
	if unmatched >= 0 {
		t := stmt[unmatched]
		return refuse(t.off, "the parenthesis %s at offset %d has no partner; balance the parentheses", t.text, t.off)
	}
	if r := checkForm(stmt, match); r != nil {
		return r
	}
	if r := checkWords(stmt, match); r != nil {
		return r
	}
	return nil
}

// SecretCall reports whether text calls a function that returns secret material
// (secret or try_secret, in any case, at any depth, also qualified as
// system.builtin.secret); the tool refuses those in every mode unless the user allowed
// secret values. It also refuses what could hide such a call from a reader of the
// text: EXECUTE IMMEDIATE, a function named by IDENTIFIER(...), or a text that cannot
// be tokenized.
func SecretCall(text string) error {
	toks, r := lex(text)
	if r != nil {
		return &Refusal{Reason: "the text cannot be checked for calls of secret(): " + r.Reason, Offset: r.Offset}
	}
	if r := secretIn(toks); r != nil {
		return r
	}
	if !strings.Contains(text, "$") {
		return nil
	}
	// A dollar-quoted reading can turn a '...' literal into code; a secret call
	// either reading sees is refused.
	toks, r = lexWith(text, true)
	if r != nil {
		return &Refusal{Reason: "the text cannot be checked for calls of secret(): " + r.Reason, Offset: r.Offset}
	}
	if r := secretIn(toks); r != nil {
		return r
	}
	return nil
}

// secretIn is SecretCall on one reading of the text.
func secretIn(toks []token) *Refusal {
	match, _ := matchParens(toks)
	for i, t := range toks {
		if name, ok := callName(toks, i); ok && secretFunctions[name] {
			return refuse(t.off, "the function %s at offset %d returns a secret value, which this server hands out only when the user allowed secret values", name, t.off)
		}
		if t.isWord("EXECUTE") && i+1 < len(toks) && toks[i+1].isWord("IMMEDIATE") {
			return refuse(t.off, "EXECUTE IMMEDIATE at offset %d runs SQL built at run time, which cannot be checked for calls of secret(); write the statement out", t.off)
		}
		if identifierCall(toks, match, i) {
			return refuse(t.off, "the function named by IDENTIFIER(...) at offset %d cannot be checked for calls of secret(); name the function directly", t.off)
		}
	}
	return nil
}

// Kind is the statement's leading keyword as Databricks would classify it (SELECT,
// WITH, SHOW, DESCRIBE, EXPLAIN, VALUES, INSERT, CREATE, ...), upper case, after
// leading comments and parentheses; DESC reads as DESCRIBE. It is "" for an empty
// text and for one that does not start with a word.
func Kind(text string) string {
	toks, _ := lex(text)
	for _, t := range toks {
		if t.isPunct("(") {
			continue
		}
		if !isKeyword(t) {
			return ""
		}
		kw := strings.ToUpper(t.text)
		if kw == "DESC" {
			kw = "DESCRIBE"
		}
		return kw
	}
	return ""
}

// isKeyword tells a word that can open a statement from a number.
func isKeyword(t token) bool {
	return t.kind == tWord && (t.text[0] < '0' || t.text[0] > '9')
}

// oneStatement returns the tokens before the first semicolon, refusing an empty text
// and anything but further semicolons after it.
func oneStatement(toks []token) ([]token, *Refusal) {
	end := len(toks)
	for i, t := range toks {
		if t.isPunct(";") {
			end = i
			break
		}
	}
	for _, t := range toks[end:] {
		if !t.isPunct(";") {
			return nil, refuse(t.off, "the text holds more than one statement (%q at offset %d follows a semicolon); send one statement per call", t.text, t.off)
		}
	}
	if end == 0 {
		return nil, &Refusal{Reason: "the text holds no statement, only whitespace, comments or semicolons; send one SQL statement", Offset: -1}
	}
	return toks[:end], nil
}

// matchParens pairs parentheses without recursion, so deep nesting costs only memory.
// match[i] is the index of the partner of a parenthesis at i and -1 elsewhere;
// unmatched is the index of the first parenthesis without a partner, or -1.
func matchParens(toks []token) (match []int, unmatched int) {
	match = make([]int, len(toks))
	var open []int
	unmatched = -1
	for i, t := range toks {
		match[i] = -1
		switch {
		case t.isPunct("("):
			open = append(open, i)
		case t.isPunct(")"):
			if len(open) == 0 {
				if unmatched < 0 {
					unmatched = i
				}
				continue
			}
			o := open[len(open)-1]
			open = open[:len(open)-1]
			match[o], match[i] = i, o
		}
	}
	if len(open) > 0 && (unmatched < 0 || open[0] < unmatched) {
		unmatched = open[0]
	}
	return match, unmatched
}

// checkForm walks the chain of statements one inside the other (EXPLAIN, DESCRIBE
// QUERY, WITH) in a loop rather than by recursion, and refuses any statement kind
// that is not read-only.
func checkForm(stmt []token, match []int) *Refusal {
	i := 0
	queryOnly := false
	where := ""
	for {
		j := i
		for j < len(stmt) && stmt[j].isPunct("(") {
			j++
		}
		if j >= len(stmt) {
			off := -1
			if len(stmt) > 0 {
				off = stmt[len(stmt)-1].off
			}
			return &Refusal{Reason: "the statement ends where a query or statement is expected" + where + "; complete it", Offset: off}
		}
		t := stmt[j]
		if !isKeyword(t) {
			return refuse(t.off, "the statement must start with a keyword such as SELECT, not %q at offset %d%s", t.text, t.off, where)
		}
		kw := strings.ToUpper(t.text)
		if (queryOnly || j > i) && !queryWords[kw] {
			return refuse(t.off, "%s at offset %d is not allowed%s: only a query (SELECT, VALUES, TABLE, FROM or WITH) may stand there in read-only mode", kindName(stmt, j), t.off, whereOr(where, " there"))
		}
		switch kw {
		case "SELECT", "VALUES", "TABLE", "FROM", "SHOW", "LIST":
			return nil
		case "WITH":
			k, r := skipWith(stmt, match, j)
			if r != nil {
				return r
			}
			i, queryOnly, where = k, true, " after a WITH clause"
		case "DESCRIBE", "DESC":
			k := j + 1
			switch {
			case k < len(stmt) && stmt[k].isWord("QUERY"):
				i, queryOnly, where = k+1, true, " in DESCRIBE QUERY"
			case k < len(stmt) && (stmt[k].isPunct("(") || stmt[k].kind == tWord && queryWords[strings.ToUpper(stmt[k].text)] && !stmt[k].isWord("TABLE")):
				i, queryOnly, where = k, true, " in DESCRIBE QUERY"
			default:
				return nil
			}
		case "EXPLAIN":
			k := j + 1
			if k < len(stmt) && stmt[k].kind == tWord && explainModes[strings.ToUpper(stmt[k].text)] {
				k++
			}
			i, queryOnly, where = k, false, " under EXPLAIN"
		default:
			return refuse(t.off, "%s statements (offset %d) are not allowed%s in read-only mode; %s", kindName(stmt, j), t.off, where, allowedKinds)
		}
	}
}

// whereOr lets a refusal read naturally whether or not it sits inside another statement.
func whereOr(where, fallback string) string {
	if where == "" {
		return fallback
	}
	return where
}

// kindName names the statement starting at stmt[j] as Databricks documents it, with
// the second word where the first alone is not the statement's name.
func kindName(stmt []token, j int) string {
	kw := strings.ToUpper(stmt[j].text)
	if j+1 < len(stmt) {
		next := strings.ToUpper(stmt[j+1].text)
		switch {
		case kw == "COPY" && next == "INTO", kw == "EXECUTE" && next == "IMMEDIATE":
			return kw + " " + next
		}
	}
	return kw
}

// skipWith returns the index of the statement that follows the WITH clause whose
// keyword is at stmt[j]: WITH [RECURSIVE] name [(columns)] [AS] (query) [, ...].
func skipWith(stmt []token, match []int, j int) (int, *Refusal) {
	k := j + 1
	if k < len(stmt) && stmt[k].isWord("RECURSIVE") {
		k++
	}
	for {
		if k >= len(stmt) || stmt[k].kind != tWord && stmt[k].kind != tQuoted {
			return 0, refuseAt(stmt, k, "a WITH clause needs a name for each query")
		}
		k++
		// A parenthesised group followed by AS or another group is a column list;
		// alone it is the query itself (WITH x (SELECT 1) SELECT ...).
		if k < len(stmt) && stmt[k].isPunct("(") {
			if after := match[k] + 1; after < len(stmt) && (stmt[after].isWord("AS") || stmt[after].isPunct("(")) {
				k = after
			}
		}
		if k < len(stmt) && stmt[k].isWord("AS") {
			k++
		}
		if k >= len(stmt) || !stmt[k].isPunct("(") {
			return 0, refuseAt(stmt, k, "a WITH clause needs a parenthesised query after each name")
		}
		k = match[k] + 1
		if k < len(stmt) && stmt[k].isPunct(",") {
			k++
			continue
		}
		return k, nil
	}
}

// refuseAt refuses at stmt[k], or at the end of the statement when k is past it.
func refuseAt(stmt []token, k int, reason string) *Refusal {
	if k < len(stmt) {
		return refuse(stmt[k].off, "%s, but offset %d holds %q", reason, stmt[k].off, stmt[k].text)
	}
	return &Refusal{Reason: reason + ", but the statement ends first", Offset: stmt[len(stmt)-1].off}
}

// checkWords is the defence in depth inside an allowed statement: state-changing
// keywords that are not unambiguously names, calls of functions with side effects,
// functions named at run time and script transforms.
func checkWords(stmt []token, match []int) *Refusal {
	for i, t := range stmt {
		if name, ok := callName(stmt, i); ok && sideEffectFunctions[name] {
			return refuse(t.off, "the function %s at offset %d has side effects outside Databricks and is not allowed in read-only mode", name, t.off)
		}
		if identifierCall(stmt, match, i) {
			return refuse(t.off, "a function named by IDENTIFIER(...) at offset %d is not allowed in read-only mode; name the function directly", t.off)
		}
		if t.kind != tWord {
			continue
		}
		kw := strings.ToUpper(t.text)
		next := token{}
		if i+1 < len(stmt) {
			next = stmt[i+1]
		}
		if kw == "USING" && next.kind == tString {
			return refuse(t.off, "USING %s at offset %d runs an external script (TRANSFORM ... USING), which is not allowed in read-only mode", next.text, t.off)
		}
		changing := changingWords[kw] ||
			kw == "REPLACE" && (next.isWord("TABLE") || next.isWord("VIEW") || next.isWord("FUNCTION"))
		if !changing || isName(stmt, i) {
			continue
		}
		return refuse(t.off, "the word %s at offset %d can change state and is not allowed in read-only mode; if it is a column or table name, quote it with backticks (`%s`)", kw, t.off, t.text)
	}
	return nil
}

// isName reports whether the keyword at stmt[i] can only be a name: a part of a
// qualified name, an alias after AS, or the object of SHOW CREATE TABLE and SHOW GRANT.
func isName(stmt []token, i int) bool {
	if i > 0 && (stmt[i-1].isPunct(".") || stmt[i-1].isWord("AS")) {
		return true
	}
	if i > 0 && stmt[i-1].isWord("SHOW") && (stmt[i].isWord("CREATE") || stmt[i].isWord("GRANT")) {
		return true
	}
	return i+1 < len(stmt) && stmt[i+1].isPunct(".")
}

// callName returns the lower-case name of the function called at toks[i], the last
// part of a qualified name, when toks[i] is a name followed by "(". Backtick and
// double-quoted names count: both can name a function.
func callName(toks []token, i int) (string, bool) {
	if i+1 >= len(toks) || !toks[i+1].isPunct("(") {
		return "", false
	}
	t := toks[i]
	switch {
	case t.kind == tWord, t.kind == tQuoted:
		return strings.ToLower(t.text), true
	case t.kind == tString && t.dq && len(t.text) >= 2:
		return strings.ToLower(t.text[1 : len(t.text)-1]), true
	}
	return "", false
}

// identifierCall reports whether toks[i] starts IDENTIFIER(expr)(args), a call of a
// function whose name is computed, which no check on names can see through.
func identifierCall(toks []token, match []int, i int) bool {
	if !toks[i].isWord("IDENTIFIER") || i+1 >= len(toks) || !toks[i+1].isPunct("(") {
		return false
	}
	end := match[i+1]
	return end >= 0 && end+1 < len(toks) && toks[end+1].isPunct("(")
}
