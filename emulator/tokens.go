package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"
	"time"
)

// tokenRecord is a personal access token created through the Token API. Only
// the SHA-256 hash of its value is kept, which is also its token_id, as on a
// real workspace; the value itself exists only in the create response.
type tokenRecord struct {
	id       string
	created  time.Time
	expiry   time.Time // zero: never expires
	comment  string
	hasScope bool
	scopes   []string
}

type tokenStore struct {
	byID    map[string]*tokenRecord
	revoked map[string]bool // ids of deleted tokens
}

func newTokenStore() tokenStore {
	return tokenStore{byID: map[string]*tokenRecord{}, revoked: map[string]bool{}}
}

func tokenID(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

// authenticate decides whether a bearer token may call the API. Databricks
// answers a token it does not accept with 403 "Invalid access token.".
func (e *Emulator) authenticate(token string) *apiError {
	denied := errorf(http.StatusForbidden, "PERMISSION_DENIED", "Invalid access token.")
	id := tokenID(token)
	if rec, ok := e.tokens.byID[id]; ok {
		if !rec.expiry.IsZero() && !e.now().Before(rec.expiry) {
			return denied
		}
		return nil
	}
	if e.tokens.revoked[id] {
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

func newTokenValue() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "dapi" + hex.EncodeToString(b[:])
}

func (t *tokenRecord) info() map[string]any {
	out := map[string]any{
		"token_id":      t.id,
		"creation_time": millis(t.created),
		"expiry_time":   int64(-1),
	}
	if !t.expiry.IsZero() {
		out["expiry_time"] = millis(t.expiry)
	}
	if t.comment != "" {
		out["comment"] = t.comment
	}
	if t.hasScope {
		out["scopes"] = append([]string{}, t.scopes...)
	}
	return out
}

func (e *Emulator) tokensCreate(p *params) (any, *apiError) {
	comment, aerr := p.str("comment")
	if aerr != nil {
		return nil, aerr
	}
	lifetime, _, aerr := p.int64("lifetime_seconds")
	if aerr != nil {
		return nil, aerr
	}
	scopes, aerr := p.strs("scopes")
	if aerr != nil {
		return nil, aerr
	}
	now := e.now()
	value := newTokenValue()
	rec := &tokenRecord{
		id:       tokenID(value),
		created:  now,
		comment:  comment,
		hasScope: p.has("scopes"),
		scopes:   scopes,
	}
	if lifetime > 0 {
		rec.expiry = now.Add(time.Duration(lifetime) * time.Second)
	}
	e.tokens.byID[rec.id] = rec
	return map[string]any{"token_value": value, "token_info": rec.info()}, nil
}

func (e *Emulator) tokensList(*params) (any, *apiError) {
	recs := make([]*tokenRecord, 0, len(e.tokens.byID))
	for _, r := range e.tokens.byID {
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool {
		if !recs[i].created.Equal(recs[j].created) {
			return recs[i].created.Before(recs[j].created)
		}
		return recs[i].id < recs[j].id
	})
	if len(recs) == 0 {
		return nil, nil
	}
	infos := make([]any, len(recs))
	for i, r := range recs {
		infos[i] = r.info()
	}
	return map[string]any{"token_infos": infos}, nil
}

func (e *Emulator) tokensDelete(p *params) (any, *apiError) {
	id, aerr := p.requiredStr("token_id")
	if aerr != nil {
		return nil, aerr
	}
	if _, ok := e.tokens.byID[id]; !ok {
		return nil, notFound("Token with id %s does not exist.", id)
	}
	delete(e.tokens.byID, id)
	e.tokens.revoked[id] = true
	return nil, nil
}

// tokensUpdate changes the comment (and scopes) of a token, the only fields
// the API lets a caller update.
func (e *Emulator) tokensUpdate(p *params) (any, *apiError) {
	id, aerr := p.requiredStr("token_id")
	if aerr != nil {
		return nil, aerr
	}
	rec, ok := e.tokens.byID[id]
	if !ok {
		return nil, errorf(http.StatusNotFound, "NOT_FOUND", "Token with id %s does not exist.", id)
	}
	mask, aerr := p.requiredStr("update_mask")
	if aerr != nil {
		return nil, aerr
	}
	tok, present, aerr := p.object("token")
	if aerr != nil {
		return nil, aerr
	}
	if !present {
		return nil, missingField("token")
	}
	sub := &params{body: tok}
	fields := strings.Split(mask, ",")
	if mask == "*" {
		fields = []string{"comment", "scopes"}
	}
	comment, scopes, hasScope := rec.comment, rec.scopes, rec.hasScope
	for _, f := range fields {
		switch f {
		case "comment":
			if comment, aerr = sub.str("comment"); aerr != nil {
				return nil, aerr
			}
		case "scopes":
			if scopes, aerr = sub.strs("scopes"); aerr != nil {
				return nil, aerr
			}
			hasScope = true
		default:
			return nil, invalidParam("Field '%s' of a token cannot be updated; only comment and scopes can.", f)
		}
	}
	rec.comment, rec.scopes, rec.hasScope = comment, scopes, hasScope
	return nil, nil
}
