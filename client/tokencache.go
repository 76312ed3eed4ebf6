package client

import (
	"context"
	"errors"
	"sync"
	"time"
)

// accessToken is a bearer token and the moment it stops being accepted.
type accessToken struct {
	value string
	// expiry is zero when the issuer did not say.
	expiry time.Time
}

// tokenFetcher obtains a new token from an identity provider. Its errors
// must not contain the token or any credential used to get it.
type tokenFetcher func(ctx context.Context) (accessToken, error)

const (
	// minTokenValidity is how long a token must still be valid when sent:
	// Databricks rejects tokens that expire within 30 seconds.
	minTokenValidity = 30 * time.Second
	// unknownTokenLifetime is assumed when an issuer gives no expiry.
	unknownTokenLifetime = 10 * time.Minute
	// tokenFetchTimeout bounds one refresh, which runs on behalf of every
	// waiting caller and so cannot use any single caller's deadline.
	tokenFetchTimeout = 2 * time.Minute
)

// tokenCache holds one token and replaces it shortly before it expires.
// However many callers find the token stale at once, one fetch runs and they
// all share its result; a caller whose context ends stops waiting without
// disturbing the others.
type tokenCache struct {
	fetch tokenFetcher
	// lead is how long before expiry the token is replaced.
	lead time.Duration
	// now is the clock, replaceable in tests.
	now func() time.Time

	mu        sync.Mutex
	tok       accessToken
	refreshAt time.Time
	// usableUntil is the last moment tok may be handed out; between
	// refreshAt and usableUntil it still is, while a refresh runs behind.
	usableUntil time.Time
	// quietUntil delays the next background refresh after one failed.
	quietUntil time.Time
	flight     *tokenFlight
	waiting    int
}

// backgroundRetry is how long a failed background refresh waits before the
// next one; callers keep the still-valid token meanwhile.
const backgroundRetry = 10 * time.Second

// tokenFlight is one fetch in progress; done is closed when tok or err is set.
type tokenFlight struct {
	done chan struct{}
	tok  accessToken
	err  error
}

func newTokenCache(lead time.Duration, fetch tokenFetcher) *tokenCache {
	return &tokenCache{fetch: fetch, lead: lead, now: time.Now}
}

// token returns a token valid for a while yet. Once the token is due for
// replacement but still good, callers get it at once while one refresh runs
// behind them; only when it is no longer good do they wait for the refresh.
func (c *tokenCache) token(ctx context.Context) (string, error) {
	c.mu.Lock()
	now := c.now()
	if c.tok.value != "" && now.Before(c.refreshAt) {
		v := c.tok.value
		c.mu.Unlock()
		return v, nil
	}
	if c.tok.value != "" && now.Before(c.usableUntil) {
		if c.flight == nil && !now.Before(c.quietUntil) {
			c.startRefresh(ctx)
		}
		v := c.tok.value
		c.mu.Unlock()
		return v, nil
	}
	f := c.flight
	if f == nil {
		f = c.startRefresh(ctx)
	}
	c.waiting++
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.waiting--
		c.mu.Unlock()
	}()
	select {
	case <-f.done:
		if f.err != nil {
			return "", f.err
		}
		return f.tok.value, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// startRefresh begins a fetch that outlives ctx's cancellation, since it
// serves every caller. c.mu is held.
func (c *tokenCache) startRefresh(ctx context.Context) *tokenFlight {
	f := &tokenFlight{done: make(chan struct{})}
	c.flight = f
	go c.refresh(context.WithoutCancel(ctx), f)
	return f
}

func (c *tokenCache) refresh(ctx context.Context, f *tokenFlight) {
	ctx, cancel := context.WithTimeout(ctx, tokenFetchTimeout)
	defer cancel()
	tok, err := c.fetch(ctx)
	if err == nil && tok.value == "" {
		err = errors.New("the identity provider returned an empty token")
	}
	c.mu.Lock()
	if err == nil {
		c.tok = tok
		c.refreshAt = c.refreshTime(tok)
		c.usableUntil = c.refreshAt
		if !tok.expiry.IsZero() {
			c.usableUntil = tok.expiry.Add(-minTokenValidity)
		}
	} else {
		c.quietUntil = c.now().Add(backgroundRetry)
	}
	f.tok, f.err = tok, err
	c.flight = nil
	c.mu.Unlock()
	close(f.done)
}

// refreshTime is when tok should be replaced: lead before expiry, but for a
// short-lived token no earlier than half its lifetime (so that it is not
// fetched again on every call) and no later than minTokenValidity before
// expiry.
func (c *tokenCache) refreshTime(tok accessToken) time.Time {
	now := c.now()
	if tok.expiry.IsZero() {
		return now.Add(unknownTokenLifetime)
	}
	lead := min(c.lead, max((tok.expiry.Sub(now))/2, minTokenValidity))
	return tok.expiry.Add(-lead)
}

// flightDone reports whether no fetch is running; tests use it.
func (c *tokenCache) flightDone() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flight == nil
}

// waiters counts callers waiting for a fetch; tests use it to line callers
// up behind one refresh.
func (c *tokenCache) waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waiting
}
