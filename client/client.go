package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Version is this module's version, sent in the User-Agent.
var Version = "0.1.0-dev"

const (
	defaultRetryTimeout = 5 * time.Minute
	defaultHTTPTimeout  = 60 * time.Second
	// maxTransportRetries bounds how often a call is repeated after a
	// network failure (as opposed to a retryable HTTP answer), so that an
	// unreachable host fails in seconds rather than after the whole budget.
	maxTransportRetries = 2
	// maxResponseBytes guards against an endless body.
	maxResponseBytes = 512 << 20
	// defaultBackoffBase and defaultBackoffCap shape the exponential wait
	// between retries when the server gives no Retry-After.
	defaultBackoffBase = 250 * time.Millisecond
	defaultBackoffCap  = 10 * time.Second
)

// Client talks to one Databricks workspace. It is safe for concurrent use;
// create one and share it.
type Client struct {
	cfg          Config
	base         *url.URL
	hc           *http.Client
	creds        Credentials
	userAgent    string
	limiter      *rateLimiter
	retryTimeout time.Duration
	log          *slog.Logger
	requests     atomic.Int64
	// backoffBase and backoffCap bound the wait between retries; tests
	// shrink them so that retry paths run in milliseconds.
	backoffBase time.Duration
	backoffCap  time.Duration
	// cloud is the cloud a host of unknown domain runs on (WithCloud).
	cloud string
}

// Option adjusts a Client at construction.
type Option func(*Client)

// WithLogger sends the client's debug and warning lines to l instead of
// slog.Default(). Lines never contain credentials.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// WithCloud says which cloud ("aws", "azure", "gcp") the workspace runs on
// when its host name does not tell (a proxy, a custom domain, the
// emulator).
func WithCloud(cloud string) Option { return func(c *Client) { c.cloud = cloud } }

// WithCredentials uses creds instead of the auth method the configuration
// would select, for programs that bring their own.
func WithCredentials(creds Credentials) Option { return func(c *Client) { c.creds = creds } }

// New builds a client for cfg, which is normally the result of LoadConfig.
// It checks the host and picks the auth method but does not contact the
// workspace.
func New(cfg *Config, opts ...Option) (*Client, error) {
	if cfg == nil {
		return nil, errors.New("client: nil config")
	}
	base, err := NormalizeHost(cfg.Host)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: *cfg, base: base, log: slog.Default(), backoffBase: defaultBackoffBase, backoffCap: defaultBackoffCap}
	c.cfg.Host = base.String()
	for _, o := range opts {
		o(c)
	}
	tr, err := newTransport(&c.cfg)
	if err != nil {
		return nil, err
	}
	timeout := cfg.HTTPTimeout
	if timeout <= 0 {
		timeout = defaultHTTPTimeout
	}
	c.hc = &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: sameHostRedirects(base)}
	if c.creds == nil {
		if c.creds, err = newCredentials(&c.cfg, c.hc); err != nil {
			return nil, err
		}
	}
	c.retryTimeout = cfg.RetryTimeout
	if c.retryTimeout <= 0 {
		c.retryTimeout = defaultRetryTimeout
	}
	c.limiter = newRateLimiter(cfg.RateLimit)
	c.userAgent = fmt.Sprintf("dbx-mcp/%s go/%s os/%s auth/%s", uaToken(Version),
		uaToken(strings.TrimPrefix(runtime.Version(), "go")), uaToken(runtime.GOOS), uaToken(c.creds.AuthType()))
	return c, nil
}

// uaToken keeps one User-Agent product token free of the spaces and
// separators a development Go version ("devel go1.27-abc +0000") carries.
func uaToken(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "unknown"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(".-_+~", r):
			return r
		}
		return '_'
	}, s)
}

// sameHostRedirects refuses to follow a redirect off the workspace host, so
// the Authorization header never reaches another server.
func sameHostRedirects(base *url.URL) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if !strings.EqualFold(req.URL.Host, base.Host) || req.URL.Scheme != base.Scheme {
			return &redirectError{target: req.URL.Scheme + "://" + req.URL.Host}
		}
		return nil
	}
}

// redirectError is a redirect the client refused to follow. Repeating the
// request would only be redirected again, so it is never retried.
type redirectError struct{ target string }

func (e *redirectError) Error() string {
	return "refusing redirect to " + e.target + ": not the workspace host"
}

// Host is the normalized workspace URL requests go to.
func (c *Client) Host() string { return c.base.String() }

// WarehouseID is the configured default SQL warehouse (Config.WarehouseID),
// "" when none was configured.
func (c *Client) WarehouseID() string { return c.cfg.WarehouseID }

// AuthType names the auth method in use, such as "pat".
func (c *Client) AuthType() string { return c.creds.AuthType() }

// UserAgent is the User-Agent header the client sends.
func (c *Client) UserAgent() string { return c.userAgent }

// HTTPClient is the client's http.Client (shared transport, proxy and TLS
// settings), for auth methods that call an identity provider.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// Requests counts the HTTP requests this client has sent, retries included.
func (c *Client) Requests() int64 { return c.requests.Load() }

// Request is one REST call for Do.
type Request struct {
	// Method is the HTTP method, such as GET or POST.
	Method string
	// Path is the URL path under the workspace host, starting with /api/.
	Path string
	// Query is the query string, if any.
	Query url.Values
	// Body is the request body; nil sends none. It is JSON unless
	// ContentType says otherwise.
	Body []byte
	// BodyFrom, used when Body is nil, opens a body too large to hold in
	// memory (a local file). It is called once per attempt, and for a
	// redirect, so that every attempt sends the body from its start; the
	// client closes what it returns.
	BodyFrom func() (io.ReadCloser, error)
	// BodyLength is the length of what BodyFrom opens, sent as
	// Content-Length; -1 means unknown (a chunked body). 0 is checked: a
	// body that is not empty after all goes out chunked, not dropped.
	BodyLength int64
	// ContentType is the body's media type; "" means application/json.
	ContentType string
	// Header holds extra request headers an operation declares (such as the
	// Files API's Content-Type for raw uploads). Authorization, Host,
	// User-Agent and Content-Length are the client's own and cannot be set
	// here.
	Header http.Header
	// Idempotent declares that sending the request twice has the effect of
	// sending it once, so it may be repeated after a failure in which it may
	// already have been applied (a dropped connection, a server-side
	// timeout). GET and HEAD always are; a body carrying a non-empty
	// top-level idempotency_token is too.
	Idempotent bool
}

// Do sends r, retrying as the retry policy allows, and returns the body of
// a successful (2xx) response. A failure the workspace reported is an
// *APIError (also inside the error chain when retries gave up or ctx ended).
func (c *Client) Do(ctx context.Context, r *Request) ([]byte, error) {
	resp, err := c.DoResponse(ctx, r)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Response is a successful answer: its body and headers.
type Response struct {
	Body   []byte
	Header http.Header
}

// DoResponse is Do for operations whose answer is also in its headers
// (raw downloads that give the length, type and modification time there).
func (c *Client) DoResponse(ctx context.Context, r *Request) (*Response, error) {
	if r == nil {
		return nil, errors.New("nil request")
	}
	norm := *r
	norm.Method = strings.ToUpper(strings.TrimSpace(r.Method))
	if norm.Method == "" {
		norm.Method = http.MethodGet
	}
	r = &norm
	var header http.Header
	var body []byte
	err := c.retry(ctx, r, func(u *url.URL, safeToRepeat bool) (http.Header, error) {
		var err error
		body, header, err = c.attempt(ctx, r, u, safeToRepeat)
		return header, err
	})
	if err != nil {
		return nil, err
	}
	return &Response{Body: body, Header: header}, nil
}

// retry runs try, one attempt at r each, until one succeeds or the retry
// policy says to stop. try returns the headers of the answer it got, if
// any, for their Retry-After.
func (c *Client) retry(ctx context.Context, r *Request, try func(u *url.URL, safeToRepeat bool) (http.Header, error)) error {
	u, err := c.requestURL(r)
	if err != nil {
		return err
	}
	safeToRepeat := r.Idempotent || r.Method == http.MethodGet || r.Method == http.MethodHead || hasIdempotencyToken(r.Body)
	deadline := time.Now().Add(c.retryTimeout)
	transportFailures := 0
	for attempt := 1; ; attempt++ {
		if err := c.limiter.wait(ctx); err != nil {
			return err
		}
		header, err := try(u, safeToRepeat)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctxError(ctx, err)
		}
		var wait time.Duration
		var apiErr *APIError
		var netErr *transportError
		switch {
		case errors.As(err, &apiErr) && apiErr.retryable(safeToRepeat):
			// A Retry-After of 0 or a date in the past would make a
			// busy loop against a struggling server; back off instead.
			wait = retryAfter(header, time.Now())
			if wait <= 0 {
				wait = c.backoff(attempt)
			}
		case errors.As(err, &netErr) && netErr.retryable && transportFailures < maxTransportRetries:
			transportFailures++
			wait = c.backoff(attempt)
		default:
			return err
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("gave up after %d attempts (retry budget %s): %w", attempt, c.retryTimeout, err)
		}
		if ctxDeadline, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(ctxDeadline) {
			// Waiting would only end in the caller's deadline; answer now
			// with the failure that a retry could not have fixed in time.
			return fmt.Errorf("gave up after %d attempts (the next try, in %s, is past the call's deadline): %w", attempt, wait.Round(time.Millisecond), err)
		}
		c.log.DebugContext(ctx, "retrying databricks request", "method", r.Method, "path", u.Path, "attempt", attempt, "wait", wait, "reason", err.Error())
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctxError(ctx, err)
		case <-t.C:
		}
	}
}

// requestURL resolves r's path and query against the workspace host. Dot
// segments are refused: a server that resolves them would route the call
// to an API other than the one that was declared or allowed.
func (c *Client) requestURL(r *Request) (*url.URL, error) {
	if !strings.HasPrefix(r.Path, "/") {
		return nil, fmt.Errorf("request path %q must start with /", r.Path)
	}
	if strings.ContainsAny(r.Path, "?#") {
		return nil, fmt.Errorf("request path %q must not contain a query or fragment; pass query parameters in Query", r.Path)
	}
	u := *c.base
	u.Path = r.Path
	if strings.Contains(r.Path, "%") {
		// The caller escaped path segments itself; keep its encoding.
		p, err := url.PathUnescape(r.Path)
		if err != nil {
			return nil, fmt.Errorf("request path %q: %w", r.Path, err)
		}
		u.Path, u.RawPath = p, r.Path
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, fmt.Errorf("request path %q must not contain . or .. segments", r.Path)
		}
	}
	if len(r.Query) > 0 {
		u.RawQuery = r.Query.Encode()
	}
	return &u, nil
}

// transportError is a failure to get any HTTP answer.
type transportError struct {
	err error
	// retryable is set when repeating the request cannot apply it twice:
	// it never reached the server, or it is safe to repeat anyway.
	retryable bool
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

func (c *Client) attempt(ctx context.Context, r *Request, u *url.URL, safeToRepeat bool) ([]byte, http.Header, error) {
	start := time.Now()
	resp, err := c.send(ctx, c.hc, r, u, safeToRepeat)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := readBody(resp)
	if err != nil {
		return nil, nil, &transportError{err: fmt.Errorf("%s %s: reading response: %w", r.Method, u.Path, scrubURLError(err)), retryable: safeToRepeat}
	}
	if len(data) > maxResponseBytes {
		return nil, nil, fmt.Errorf("%s %s: response body exceeds %d bytes", r.Method, u.Path, maxResponseBytes)
	}
	if c.log.Enabled(ctx, slog.LevelDebug) {
		c.log.DebugContext(ctx, "databricks request", "method", r.Method, "path", u.Path, "status", resp.StatusCode, "duration", time.Since(start))
	}
	if err := answerError(r, u, resp, data); err != nil {
		return nil, resp.Header, err
	}
	return data, resp.Header, nil
}

// readBody reads an answer's body, at most maxResponseBytes+1 of it. A
// body of announced length is read into one buffer of that size, rather
// than into one grown and copied as it fills.
func readBody(resp *http.Response) ([]byte, error) {
	limited := io.LimitReader(resp.Body, maxResponseBytes+1)
	// The answer to a HEAD announces the length of a body it does not carry.
	if n := resp.ContentLength; n > 0 && n <= maxResponseBytes && (resp.Request == nil || resp.Request.Method != http.MethodHead) {
		data := make([]byte, n, n+1)
		if k, err := io.ReadFull(limited, data); err != nil {
			return data[:k], err
		}
		// Whatever follows the announced length (nothing, from a server
		// that keeps its word) is read as before.
		var one [1]byte
		if k, _ := limited.Read(one[:]); k == 0 {
			return data, nil
		}
		rest, err := io.ReadAll(limited)
		return append(append(data, one[0]), rest...), err
	}
	// A body of unknown length (chunked, as most JSON answers over 2 KB
	// are) is read into a pooled buffer in large reads, then copied out
	// once at its size: io.ReadAll grows its buffer from 512 bytes, copying
	// it each time, and reads in as small pieces.
	bp := bodyBuffers.Get().(*[]byte)
	buf := (*bp)[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := limited.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	data := bytes.Clone(buf)
	if cap(buf) <= maxPooledBody {
		*bp = buf[:0]
		bodyBuffers.Put(bp)
	}
	return data, nil
}

// bodyBuffers hold the bodies of unknown length being read; one over
// maxPooledBody is not kept.
var bodyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

const maxPooledBody = 1 << 20

// answerError is the failure an answer means: nil for a 2xx from the
// workspace itself, else the *APIError its status and body (data) say.
func answerError(r *Request, u *url.URL, resp *http.Response, data []byte) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if resp.Request != nil && isPrivateLinkRedirect(resp.Request.URL) {
			return privateLinkError(r.Method, u.Path, resp.Request.URL.Host)
		}
		return nil
	}
	return parseAPIError(r.Method, u.Path, resp.StatusCode, resp.Header, data)
}

// send makes one HTTP exchange for r through hc, authorized for the
// workspace, and returns the answer with its body unread. A failure to get
// any answer is a *transportError.
func (c *Client) send(ctx context.Context, hc *http.Client, r *Request, u *url.URL, safeToRepeat bool) (*http.Response, error) {
	var body io.Reader
	hasBody := r.Body != nil || r.BodyFrom != nil
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	} else if r.BodyFrom != nil {
		rc, err := r.BodyFrom()
		if err != nil {
			return nil, fmt.Errorf("%s %s: opening the request body: %w", r.Method, u.Path, err)
		}
		body = rc
	}
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), r.Method, u.String(), body)
	if err != nil {
		if rc, ok := body.(io.Closer); ok {
			rc.Close()
		}
		return nil, err
	}
	if r.Body == nil && r.BodyFrom != nil {
		req.ContentLength = r.BodyLength
		req.GetBody = r.BodyFrom
		if r.BodyLength == 0 {
			// A length of 0 may be one left unset: look for a first byte,
			// so that an empty body goes out as Content-Length: 0 and a
			// body that is not empty goes out whole, chunked.
			var first [1]byte
			n, err := io.ReadFull(req.Body, first[:])
			switch {
			case n == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
				req.Body.Close()
				req.Body = http.NoBody
			case err != nil:
				req.Body.Close()
				return nil, fmt.Errorf("%s %s: reading the request body: %w", r.Method, u.Path, err)
			default:
				req.ContentLength = -1
				req.Body = struct {
					io.Reader
					io.Closer
				}{io.MultiReader(bytes.NewReader(first[:n]), req.Body), req.Body}
			}
		}
	}
	for k, vs := range r.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Host", "User-Agent", "Content-Length", "Proxy-Authorization", "Cookie":
			continue
		}
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", c.userAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if hasBody {
		ct := r.ContentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if err := c.creds.Authorize(ctx, req); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%s auth: %w", c.creds.AuthType(), err)
	}
	c.requests.Add(1)
	resp, err := hc.Do(req)
	if err != nil {
		err = scrubURLError(err)
		var dnsErr *net.DNSError
		var redirErr *redirectError
		var certErr *tls.CertificateVerificationError
		permanent := errors.As(err, &dnsErr) || errors.As(err, &redirErr) || errors.As(err, &certErr)
		retryable := !permanent && (safeToRepeat || !wrote.Load())
		c.log.Debug("databricks request failed", "method", r.Method, "path", u.Path, "error", err.Error(), "sent", wrote.Load())
		return nil, &transportError{err: fmt.Errorf("%s %s: %w", r.Method, u.Path, err), retryable: retryable}
	}
	return resp, nil
}

// scrubURLError drops the query string from a *url.Error's URL so that
// nothing sent as a parameter ends up in a message.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			u.User = nil
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}

// ctxError reports that ctx ended, keeping the last failure in the chain so
// that errors.As still finds an *APIError.
func ctxError(ctx context.Context, last error) error {
	return fmt.Errorf("%w (last failure: %w)", ctx.Err(), last)
}

// hasIdempotencyToken reports whether a JSON body carries a non-empty
// top-level idempotency_token, which makes repeating it harmless.
func hasIdempotencyToken(body []byte) bool {
	if !bytes.Contains(body, []byte(`"idempotency_token"`)) {
		return false
	}
	var v struct {
		Token string `json:"idempotency_token"`
	}
	return json.Unmarshal(body, &v) == nil && v.Token != ""
}

// retryAfter reads a Retry-After header given in seconds or as an HTTP date;
// it returns -1 when there is none or it cannot be read.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return -1
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return -1
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
		return 0
	}
	return -1
}

// backoff is the wait before attempt+1: exponential from backoffBase,
// capped at backoffCap, with jitter (half to all of it) so that many clients
// do not retry in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffBase << min(max(attempt-1, 0), 16)
	if d > c.backoffCap || d < 0 {
		d = c.backoffCap
	}
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d/2+1)
}
