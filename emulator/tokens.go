package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"time"
)

var _ = declareArea((*Emulator).declareTokens)

// declareTokens serves the Token API. Only the SHA-256 hash of a token's
// value is kept, which is also its token_id, as on a real workspace; the
// value itself exists only in the create response. A token's state is its
// expiry (the zero time: never).
func (e *Emulator) declareTokens() {
	e.tokens = e.store("tokens", storeOpts{
		noun:     "token",
		idField:  "token_id",
		fields:   map[string]fieldKind{"comment": fString, "lifetime_seconds": fInt, "scopes": fStrings},
		mutable:  []string{"comment", "scopes"},
		listKey:  "token_infos",
		missing:  errSpec{format: "Token with id %s does not exist."},
		onCreate: e.tokenCreated,
		onDelete: func(o *op) *apiError { e.revoked[o.r.key] = true; return nil },
		view:     tokenInfo,
	})
	e.tokens.create("POST", "/api/2.0/token/create")
	e.tokens.list("GET", "/api/2.0/token/list")
	e.tokens.delete("POST", "/api/2.0/token/delete")
	e.tokens.patch("PATCH", "/api/2.0/token/{token_id}", under("token"),
		missingAs(errSpec{code: "NOT_FOUND"}))
}

// tokenCreated makes the token's value, derives its id, turns its lifetime
// into an expiry and answers the value beside the token_info.
func (e *Emulator) tokenCreated(o *op) *apiError {
	value := newTokenValue()
	now := e.now()
	o.setID(tokenID(value))
	o.r.set("creation_time", millis(now))
	o.r.set("expiry_time", int64(-1))
	var expiry time.Time
	if n, _ := o.r.int("lifetime_seconds"); n > 0 {
		expiry = now.Add(time.Duration(n) * time.Second)
		o.r.set("expiry_time", millis(expiry))
	}
	o.r.drop("lifetime_seconds")
	o.r.state = expiry
	o.reply = map[string]any{"token_value": value, "token_info": tokenInfo(o.r)}
	return nil
}

// tokenInfo is a token as list shows it; an empty comment is left out.
func tokenInfo(r *resource) map[string]any {
	m := r.fields()
	if m["comment"] == "" {
		delete(m, "comment")
	}
	return m
}

func tokenID(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

func newTokenValue() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "dapi" + hex.EncodeToString(b[:])
}

// authenticate decides whether a bearer token may call the API. Databricks
// answers a token it does not accept with 403 "Invalid access token.".
func (e *Emulator) authenticate(token string) *apiError {
	denied := errorf(http.StatusForbidden, "PERMISSION_DENIED", "Invalid access token.")
	id := tokenID(token)
	if r := e.tokens.find(id); r != nil {
		if expiry := r.state.(time.Time); !expiry.IsZero() && !e.now().Before(expiry) {
			return denied
		}
		return nil
	}
	if e.revoked[id] {
		return denied
	}
	if e.opts.Token == "" {
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(e.opts.Token)) == 1 {
		return nil
	}
	return denied
}
