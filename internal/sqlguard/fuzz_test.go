package sqlguard

import (
	"errors"
	"testing"
)

// FuzzCheck holds the guard's promises on any input: no panic, offsets inside the
// text, and an allowed text never stays allowed with a second statement around it.
func FuzzCheck(f *testing.F) {
	for _, s := range allowedTexts {
		f.Add(s)
	}
	for _, s := range refusedTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, x string) {
		checkOffset(t, "Check", x, Check(x))
		checkOffset(t, "SecretCall", x, SecretCall(x))
		_ = Kind(x)
		if Check(x) != nil {
			return
		}
		if err := Check(x + "\n; DROP TABLE t"); err == nil {
			t.Errorf("Check(%q + newline + DROP) = nil", x)
		}
		// Without the newline the DROP joins a trailing line comment of x, and
		// then x's tokens are all there is: that is the only way it may pass.
		if err := Check(x + "; DROP TABLE t"); err == nil && !endsInLineComment(x) {
			t.Errorf("Check(%q + DROP) = nil", x)
		}
		if err := Check("DROP TABLE t; " + x); err == nil {
			t.Errorf("Check(DROP + %q) = nil", x)
		}
	})
}

// endsInLineComment reports whether text appended to x is swallowed by a comment.
func endsInLineComment(x string) bool {
	a, _ := lex(x)
	b, _ := lex(x + "; DROP TABLE t")
	return len(a) == len(b)
}

func checkOffset(t *testing.T, fn, x string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("%s(%q) returned %T, want *Refusal", fn, x, err)
	}
	if r.Offset < -1 || r.Offset > len(x) {
		t.Fatalf("%s(%q) offset %d outside [-1, %d]", fn, x, r.Offset, len(x))
	}
	if r.Reason == "" {
		t.Fatalf("%s(%q) has an empty reason", fn, x)
	}
}
