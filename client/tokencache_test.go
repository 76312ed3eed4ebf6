package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock for token caches.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// waitForWaiters blocks until n callers wait on c's refresh.
func waitForWaiters(t *testing.T, c *tokenCache, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for c.waiters() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d callers are waiting for the refresh", c.waiters(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestTokenCacheRefreshesBeforeExpiry(t *testing.T) {
	clock := newFakeClock()
	var fetches atomic.Int32
	c := newTokenCache(4*time.Minute, func(context.Context) (accessToken, error) {
		n := fetches.Add(1)
		return accessToken{value: fmt.Sprintf("t%d", n), expiry: clock.now().Add(time.Hour)}, nil
	})
	c.now = clock.now
	ctx := context.Background()
	get := func() string {
		t.Helper()
		v, err := c.token(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := get(); v != "t1" {
		t.Fatalf("first token %q", v)
	}
	clock.advance(55 * time.Minute)
	if v := get(); v != "t1" || fetches.Load() != 1 {
		t.Fatalf("5 minutes before expiry: token %q after %d fetches, want the cached t1", v, fetches.Load())
	}
	clock.advance(time.Minute + time.Second) // now 3m59s before expiry
	if v := get(); v != "t1" {
		t.Fatalf("inside the lead time: token %q, want the still-valid t1 at once", v)
	}
	waitFor(t, "the background refresh", func() bool { return fetches.Load() == 2 && c.flightDone() })
	if v := get(); v != "t2" || fetches.Load() != 2 {
		t.Fatalf("after the background refresh: token %q after %d fetches, want t2 after 2", v, fetches.Load())
	}
}

// TestTokenCacheKeepsValidTokenWhenRefreshFails: a failing refresh inside
// the lead time does not fail calls while the old token is still good, and
// is not retried on every call; once the old token is no longer good, the
// failure reaches the caller.
func TestTokenCacheKeepsValidTokenWhenRefreshFails(t *testing.T) {
	clock := newFakeClock()
	var fetches atomic.Int32
	c := newTokenCache(4*time.Minute, func(context.Context) (accessToken, error) {
		if fetches.Add(1) == 1 {
			return accessToken{value: "t1", expiry: clock.now().Add(time.Hour)}, nil
		}
		return accessToken{}, errors.New("identity provider down")
	})
	c.now = clock.now
	ctx := context.Background()
	if v, err := c.token(ctx); err != nil || v != "t1" {
		t.Fatalf("first token %q, %v", v, err)
	}
	clock.advance(57 * time.Minute)
	for range 5 {
		if v, err := c.token(ctx); err != nil || v != "t1" {
			t.Fatalf("inside the lead time with a failing refresh: %q, %v; want t1", v, err)
		}
		waitFor(t, "the refresh attempt", c.flightDone)
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2: a failed background refresh must not be retried on every call", n)
	}
	clock.advance(3 * time.Minute) // 30 s before expiry: no longer usable
	if _, err := c.token(ctx); err == nil || err.Error() != "identity provider down" {
		t.Errorf("past the usable time: err %v, want the refresh failure", err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestTokenCacheRefreshTime(t *testing.T) {
	clock := newFakeClock()
	c := newTokenCache(4*time.Minute, nil)
	c.now = clock.now
	for _, tt := range []struct {
		lifetime, wantLead time.Duration
	}{
		{time.Hour, 4 * time.Minute},
		{10 * time.Minute, 4 * time.Minute},
		{4 * time.Minute, 2 * time.Minute},   // half the lifetime
		{45 * time.Second, minTokenValidity}, // never closer to expiry than 30 s
		{-time.Minute, minTokenValidity},     // already expired: refresh next time
		{0, -1},                              // unknown expiry
	} {
		tok := accessToken{value: "x"}
		if tt.lifetime != 0 {
			tok.expiry = clock.now().Add(tt.lifetime)
		}
		got := c.refreshTime(tok)
		want := tok.expiry.Add(-tt.wantLead)
		if tt.lifetime == 0 {
			want = clock.now().Add(unknownTokenLifetime)
		}
		if !got.Equal(want) {
			t.Errorf("lifetime %v: refresh at now%+v, want now%+v", tt.lifetime, got.Sub(clock.now()), want.Sub(clock.now()))
		}
	}
}

func TestTokenCacheDoesNotCacheErrors(t *testing.T) {
	var fetches atomic.Int32
	c := newTokenCache(time.Minute, func(context.Context) (accessToken, error) {
		if fetches.Add(1) == 1 {
			return accessToken{}, errors.New("identity provider down")
		}
		return accessToken{value: "ok", expiry: time.Now().Add(time.Hour)}, nil
	})
	if _, err := c.token(context.Background()); err == nil || err.Error() != "identity provider down" {
		t.Fatalf("first call: %v", err)
	}
	if v, err := c.token(context.Background()); err != nil || v != "ok" {
		t.Fatalf("second call: %q, %v", v, err)
	}
	empty := newTokenCache(time.Minute, func(context.Context) (accessToken, error) { return accessToken{}, nil })
	if _, err := empty.token(context.Background()); err == nil {
		t.Fatal("an empty token was accepted")
	}
}

// TestTokenCacheSingleFlight lines 100 callers up behind an expired token
// and checks that they share one fetch.
func TestTokenCacheSingleFlight(t *testing.T) {
	clock := newFakeClock()
	release := make(chan struct{})
	var fetches atomic.Int32
	c := newTokenCache(time.Minute, func(ctx context.Context) (accessToken, error) {
		n := fetches.Add(1)
		if n > 1 {
			<-release
		}
		return accessToken{value: fmt.Sprintf("t%d", n), expiry: clock.now().Add(time.Hour)}, nil
	})
	c.now = clock.now
	if _, err := c.token(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock.advance(2 * time.Hour)

	const callers = 100
	var wg sync.WaitGroup
	results := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { results[i], errs[i] = c.token(context.Background()) })
	}
	waitForWaiters(t, c, callers)
	close(release)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || results[i] != "t2" {
			t.Fatalf("caller %d: %q, %v", i, results[i], errs[i])
		}
	}
	if n := fetches.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2 (one initial, one refresh)", n)
	}
}

// TestTokenCacheWaitersRespectContext checks that a caller whose context
// ends stops waiting, and that the end of the context of the caller that
// started the refresh does not fail it for the others.
func TestTokenCacheWaitersRespectContext(t *testing.T) {
	release := make(chan struct{})
	var fetchCtxErr atomic.Value
	c := newTokenCache(time.Minute, func(ctx context.Context) (accessToken, error) {
		<-release
		fetchCtxErr.Store(fmt.Sprint(ctx.Err()))
		return accessToken{value: "shared", expiry: time.Now().Add(time.Hour)}, nil
	})

	first, cancelFirst := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := c.token(first)
		firstErr <- err
	}()
	waitForWaiters(t, c, 1)

	second := make(chan string, 1)
	go func() {
		v, _ := c.token(context.Background())
		second <- v
	}()
	waitForWaiters(t, c, 2)

	cancelFirst()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v, want context.Canceled", err)
	}
	close(release)
	if v := <-second; v != "shared" {
		t.Fatalf("other caller got %q", v)
	}
	if got := fetchCtxErr.Load(); got != "<nil>" {
		t.Fatalf("the fetch ran with a cancelled context: %v", got)
	}
}
