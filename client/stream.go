package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"
)

// maxErrorBodyBytes bounds what DoStream reads of a failed answer: an
// error body is a small JSON object, and a misbehaving proxy must not make
// a stream call hold a large one.
const maxErrorBodyBytes = 1 << 20

// StreamResponse is a successful answer whose body is read as it arrives.
// The caller must close Body.
type StreamResponse struct {
	Body   io.ReadCloser
	Header http.Header
	// ContentLength is the body's length, -1 when the server did not say.
	ContentLength int64
}

// errHeaderTimeout ends an attempt whose answer did not start in time.
var errHeaderTimeout = errors.New("no answer within the HTTP timeout after the request was sent")

// DoStream is Do for answers too large to hold in memory (file
// downloads), and the call for requests whose body streams from
// Request.BodyFrom. It returns once a successful answer has started; its
// body is then the caller's to read and close. Retries, auth and errors
// are those of Do, with retries only before a successful answer starts: a
// failure while reading Body is the caller's to handle.
//
// The HTTP timeout bounds the wait for the answer to start once the
// request was sent, not the transfer either way, which only ctx bounds: a
// large file may take longer than any fixed timeout.
func (c *Client) DoStream(ctx context.Context, r *Request) (*StreamResponse, error) {
	if r == nil {
		return nil, errors.New("nil request")
	}
	norm := *r
	norm.Method = strings.ToUpper(strings.TrimSpace(r.Method))
	if norm.Method == "" {
		norm.Method = http.MethodGet
	}
	r = &norm
	hc := *c.hc
	hc.Timeout = 0
	var out *StreamResponse
	err := c.retry(ctx, r, func(u *url.URL, safeToRepeat bool) (http.Header, error) {
		var header http.Header
		var err error
		out, header, err = c.streamAttempt(ctx, &hc, r, u, safeToRepeat)
		return header, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// streamAttempt is one attempt of DoStream. On success the answer's body
// stays open, owned by the returned response; the attempt's context lives
// until it is closed.
func (c *Client) streamAttempt(ctx context.Context, hc *http.Client, r *Request, u *url.URL, safeToRepeat bool) (*StreamResponse, http.Header, error) {
	actx, cancel := context.WithCancelCause(ctx)
	timeout := c.hc.Timeout
	var mu sync.Mutex
	var timer *time.Timer
	started := false
	trace := &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) {
			mu.Lock()
			defer mu.Unlock()
			if timeout > 0 && !started && timer == nil {
				timer = time.AfterFunc(timeout, func() { cancel(errHeaderTimeout) })
			}
		},
		GotFirstResponseByte: func() {
			mu.Lock()
			defer mu.Unlock()
			started = true
			if timer != nil {
				timer.Stop()
			}
		},
	}
	start := time.Now()
	resp, err := c.send(httptrace.WithClientTrace(actx, trace), hc, r, u, safeToRepeat)
	if err != nil {
		cause := context.Cause(actx)
		cancel(nil)
		if errors.Is(cause, errHeaderTimeout) && ctx.Err() == nil {
			// The caller's context is fine, so this is our timeout: say so,
			// as the plain client's deadline would.
			return nil, nil, &transportError{err: fmt.Errorf("%s %s: %w", r.Method, u.Path, cause), retryable: safeToRepeat}
		}
		return nil, nil, err
	}
	c.log.Debug("databricks stream", "method", r.Method, "path", u.Path, "status", resp.StatusCode, "duration", time.Since(start))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err := answerError(r, u, resp, nil); err != nil {
			resp.Body.Close()
			cancel(nil)
			return nil, resp.Header, err
		}
		return &StreamResponse{Body: &streamBody{ReadCloser: resp.Body, cancel: cancel}, Header: resp.Header, ContentLength: resp.ContentLength}, resp.Header, nil
	}
	defer cancel(nil)
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
	if err != nil {
		return nil, nil, &transportError{err: fmt.Errorf("%s %s: reading response: %w", r.Method, u.Path, scrubURLError(err)), retryable: safeToRepeat}
	}
	return nil, resp.Header, answerError(r, u, resp, data)
}

// streamBody ends the attempt's context when the caller closes the body.
type streamBody struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
	once   sync.Once
}

func (b *streamBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(func() { b.cancel(nil) })
	return err
}
