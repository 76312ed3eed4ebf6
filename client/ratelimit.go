package client

import (
	"context"
	"math"
	"sync"
	"time"
)

// rateLimiter spaces requests evenly at a fixed rate, with a burst of one.
// A nil limiter lets everything through.
type rateLimiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

// maxLimiterInterval keeps a tiny configured rate from overflowing the
// interval into a negative duration, which would switch the limit off.
const maxLimiterInterval = time.Hour

func newRateLimiter(perSecond float64) *rateLimiter {
	if !(perSecond > 0) || math.IsInf(perSecond, 1) {
		return nil
	}
	iv := float64(time.Second) / perSecond
	if iv > float64(maxLimiterInterval) {
		iv = float64(maxLimiterInterval)
	}
	if iv < 1 {
		return nil
	}
	return &rateLimiter{interval: time.Duration(iv)}
}

// reserve claims the next send slot at or after now and returns it.
func (l *rateLimiter) reserve(now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	slot := l.next
	if slot.Before(now) {
		slot = now
	}
	l.next = slot.Add(l.interval)
	return slot
}

// wait blocks until the caller may send, or ctx ends.
func (l *rateLimiter) wait(ctx context.Context) error {
	if l == nil {
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d := time.Until(l.reserve(time.Now()))
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
