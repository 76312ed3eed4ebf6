// Package sqlguard decides whether a SQL statement may run when dbx-mcp is
// read-only. This placeholder fails closed until the parser lands: every
// statement is refused in read-only mode, and any call that looks like
// secret() is refused.
package sqlguard

import "regexp"

// Refusal says why a statement may not run.
type Refusal struct {
	Reason string
	Offset int
}

func (r *Refusal) Error() string { return r.Reason }

// Check refuses every statement until the parser lands.
func Check(string) error {
	return &Refusal{Reason: "statements cannot be checked yet in this build, so none run in read-only mode.", Offset: -1}
}

var secretCall = regexp.MustCompile(`(?i)secret\s*\(`)

// SecretCall refuses a text that may call secret() or try_secret().
func SecretCall(text string) error {
	if loc := secretCall.FindStringIndex(text); loc != nil {
		return &Refusal{Reason: "the statement calls secret(), which returns secret values.", Offset: loc[0]}
	}
	return nil
}
