package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Error kinds that errors.Is reports for an *APIError. They group the many
// Databricks error codes into the handful of situations a caller handles
// differently.
var (
	ErrNotFound          = errors.New("not found")
	ErrAlreadyExists     = errors.New("already exists")
	ErrInvalidParameter  = errors.New("invalid parameter")
	ErrInvalidState      = errors.New("invalid state")
	ErrPermissionDenied  = errors.New("permission denied")
	ErrUnauthenticated   = errors.New("unauthenticated")
	ErrRateLimited       = errors.New("rate limited")
	ErrUnavailable       = errors.New("temporarily unavailable")
	ErrDeadline          = errors.New("deadline exceeded")
	ErrBadRequest        = errors.New("bad request")
	ErrConflict          = errors.New("conflict")
	ErrInternal          = errors.New("internal error")
	ErrNotImplemented    = errors.New("not implemented")
	ErrRequestCancelled  = errors.New("request cancelled")
	ErrResourceExhausted = errors.New("resource exhausted")
)

// APIError is a failed Databricks API call: the HTTP status and whatever the
// response body said about it, whichever of Databricks' error shapes it used.
type APIError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int `json:"status_code"`
	// ErrorCode is Databricks' symbolic code, such as RESOURCE_DOES_NOT_EXIST.
	// It is empty when the body carried none.
	ErrorCode string `json:"error_code,omitempty"`
	// Message is the human-readable explanation from the body.
	Message string `json:"message"`
	// Details are the google.rpc detail objects of the body, as sent.
	Details []json.RawMessage `json:"details,omitempty"`
	// RequestID identifies the request for Databricks support, from a
	// RequestInfo detail or the x-request-id response header.
	RequestID string `json:"request_id,omitempty"`
	// Method and Path name the call that failed (the path has no query string).
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	// RetryAfter is the raw Retry-After header value, when the server sent one.
	RetryAfter string `json:"retry_after,omitempty"`

	kinds []error
}

// Error renders the status, code and message on one line.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.ErrorCode != "" {
		b.WriteString(" " + e.ErrorCode)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	return b.String()
}

// Is reports whether target is one of the kinds the error belongs to.
func (e *APIError) Is(target error) bool {
	for _, k := range e.kinds {
		if k == target {
			return true
		}
	}
	return false
}

// Kind names the most specific kind of the error, such as "not_found", or
// "" when none applies.
func (e *APIError) Kind() string {
	if len(e.kinds) == 0 {
		return ""
	}
	return kindNames[e.kinds[0]]
}

var kindNames = map[error]string{
	ErrNotFound:          "not_found",
	ErrAlreadyExists:     "already_exists",
	ErrInvalidParameter:  "invalid_parameter",
	ErrInvalidState:      "invalid_state",
	ErrPermissionDenied:  "permission_denied",
	ErrUnauthenticated:   "unauthenticated",
	ErrRateLimited:       "rate_limited",
	ErrUnavailable:       "unavailable",
	ErrDeadline:          "deadline",
	ErrBadRequest:        "bad_request",
	ErrConflict:          "conflict",
	ErrInternal:          "internal",
	ErrNotImplemented:    "not_implemented",
	ErrRequestCancelled:  "cancelled",
	ErrResourceExhausted: "resource_exhausted",
}

// codeKinds maps Databricks error codes to kinds, most specific first.
var codeKinds = map[string][]error{
	"RESOURCE_DOES_NOT_EXIST": {ErrNotFound},
	"NOT_FOUND":               {ErrNotFound},
	"RESOURCE_ALREADY_EXISTS": {ErrAlreadyExists, ErrConflict},
	"ALREADY_EXISTS":          {ErrAlreadyExists, ErrConflict},
	"INVALID_PARAMETER_VALUE": {ErrInvalidParameter, ErrBadRequest},
	"MALFORMED_REQUEST":       {ErrInvalidParameter, ErrBadRequest},
	"BAD_REQUEST":             {ErrBadRequest},
	"INVALID_STATE":           {ErrInvalidState, ErrBadRequest},
	"PERMISSION_DENIED":       {ErrPermissionDenied},
	"UNAUTHENTICATED":         {ErrUnauthenticated},
	"REQUEST_LIMIT_EXCEEDED":  {ErrRateLimited},
	"TOO_MANY_REQUESTS":       {ErrRateLimited},
	"RESOURCE_EXHAUSTED":      {ErrResourceExhausted, ErrRateLimited},
	"TEMPORARILY_UNAVAILABLE": {ErrUnavailable},
	"DEADLINE_EXCEEDED":       {ErrDeadline},
	"ABORTED":                 {ErrConflict},
	"RESOURCE_CONFLICT":       {ErrConflict},
	"INTERNAL_ERROR":          {ErrInternal},
	"UNKNOWN":                 {ErrInternal},
	"DATA_LOSS":               {ErrInternal},
	"NOT_IMPLEMENTED":         {ErrNotImplemented},
	"CANCELLED":               {ErrRequestCancelled},
}

var statusKinds = map[int]error{
	http.StatusBadRequest:          ErrBadRequest,
	http.StatusUnauthorized:        ErrUnauthenticated,
	http.StatusForbidden:           ErrPermissionDenied,
	http.StatusNotFound:            ErrNotFound,
	http.StatusConflict:            ErrConflict,
	http.StatusTooManyRequests:     ErrRateLimited,
	499:                            ErrRequestCancelled,
	http.StatusInternalServerError: ErrInternal,
	http.StatusNotImplemented:      ErrNotImplemented,
	http.StatusServiceUnavailable:  ErrUnavailable,
	http.StatusGatewayTimeout:      ErrDeadline,
}

// missingOverrides are the GET operations that answer an unknown id with 400
// INVALID_PARAMETER_VALUE instead of 404; for them that answer means not
// found. The paths are prefixes, as in the official SDK, so that
// jobs/runs/get-output is covered along with jobs/runs/get. Like the other
// expressions that read errors, they are compiled on the first error, not
// at package initialisation.
var missingOverrides = sync.OnceValue(func() []missingOverride {
	return []missingOverride{
		{regexp.MustCompile(`^/api/2\.\d/clusters/get`), regexp.MustCompile(`(?i)cluster .* does not exist`)},
		{regexp.MustCompile(`^/api/2\.\d/jobs/get`), regexp.MustCompile(`(?i)job .* does not exist`)},
		{regexp.MustCompile(`^/api/2\.\d/jobs/runs/get`), regexp.MustCompile(`(?i)(run .* does not exist|run: .* in job: .* doesn't exist)`)},
	}
})

type missingOverride struct {
	path    *regexp.Regexp
	message *regexp.Regexp
}

// rejectedMessages are failures Databricks reports with an ordinary status
// that go away when the call is repeated a little later, and that mean the
// call was turned away before it did anything.
var rejectedMessages = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`com\.databricks\.backend\.manager\.util\.UnknownWorkerEnvironmentException`),
		regexp.MustCompile(`does not have any associated worker environments`),
		regexp.MustCompile(`There is no worker environment with id`),
		regexp.MustCompile(`Unknown worker environment`),
		regexp.MustCompile(`ClusterNotReadyException`),
		regexp.MustCompile(`worker env .* not found`),
	}
})

// timeoutMessages are transient failures after which the call may still
// have been carried out: only a call that is safe to repeat is retried.
var timeoutMessages = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`Timed out after `),
		regexp.MustCompile(`deadline exceeded`),
	}
})

// retryable reports whether repeating the call may succeed without risk of
// applying it twice. Rate limits (429, REQUEST_LIMIT_EXCEEDED,
// RESOURCE_EXHAUSTED), 503 or TEMPORARILY_UNAVAILABLE, and the known
// worker-environment failures mean the call was refused, so any call may be
// repeated; a timeout is repeated only when safeToRepeat is set.
func (e *APIError) retryable(safeToRepeat bool) bool {
	if e.Is(ErrRateLimited) || e.Is(ErrUnavailable) {
		return true
	}
	for _, re := range rejectedMessages() {
		if re.MatchString(e.Message) {
			return true
		}
	}
	if safeToRepeat {
		for _, re := range timeoutMessages() {
			if re.MatchString(e.Message) {
				return true
			}
		}
	}
	return false
}

var (
	htmlPre     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<pre>(.*?)</pre>`) })
	htmlTitle   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title>(.*?)</title>`) })
	codeMessage = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Z][A-Z_]+): (.*)$`) })
)

// maxMessageBytes bounds a message taken from a body that is not a
// Databricks error object (a proxy's page, a stack trace), so that an error
// stays readable for a person or a model.
const maxMessageBytes = 2048

// parseAPIError reads a failed response's body in any of the shapes
// Databricks uses: {error_code, message, details}, the legacy {error}, SCIM's
// {detail, status, scimType}, "CODE: message" text, an HTML error page, or
// nothing at all.
func parseAPIError(method, path string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path}
	if header != nil {
		e.RetryAfter = header.Get("Retry-After")
		e.RequestID = header.Get("X-Request-Id")
	}
	trimmed := strings.TrimSpace(string(body))
	var env struct {
		ErrorCode        json.RawMessage `json:"error_code"`
		Message          json.RawMessage `json:"message"`
		Error            json.RawMessage `json:"error"`
		ErrorDescription json.RawMessage `json:"error_description"`
		Details          json.RawMessage `json:"details"`
		Detail           json.RawMessage `json:"detail"`
		Status           json.RawMessage `json:"status"`
		ScimType         json.RawMessage `json:"scimType"`
	}
	switch {
	case trimmed == "":
		e.Message = http.StatusText(status)
	case trimmed[0] == '{' && json.Unmarshal([]byte(trimmed), &env) == nil:
		e.ErrorCode = scalarString(env.ErrorCode)
		e.Message = scalarString(env.Message)
		if e.Message == "" {
			// The legacy API 1.2 shape, and OAuth's {error, error_description}.
			e.Message = scalarString(env.Error)
			if d := scalarString(env.ErrorDescription); d != "" && e.Message != "" {
				e.Message += ": " + d
			} else if d != "" {
				e.Message = d
			}
		}
		if detail := scalarString(env.Detail); e.Message == "" && detail != "" {
			if detail == "null" {
				detail = "SCIM API internal error"
			}
			e.Message = strings.TrimSpace(scalarString(env.ScimType) + " " + detail)
			if s := scalarString(env.Status); e.ErrorCode == "" && s != "" {
				e.ErrorCode = "SCIM_" + s
			}
		}
		// Details of an unexpected shape are dropped rather than costing
		// the code and message.
		if json.Unmarshal(env.Details, &e.Details) != nil {
			e.Details = nil
		}
		for _, d := range e.Details {
			var ri struct {
				Type      string `json:"@type"`
				RequestID string `json:"request_id"`
			}
			if json.Unmarshal(d, &ri) == nil && strings.HasSuffix(ri.Type, "google.rpc.RequestInfo") && ri.RequestID != "" {
				e.RequestID = ri.RequestID
			}
		}
		if e.Message == "" {
			if trimmed == "{}" {
				e.Message = http.StatusText(status)
			} else {
				e.Message = truncate(trimmed)
			}
		}
	case htmlPre().MatchString(trimmed):
		e.Message = truncate(strings.Trim(htmlUnescape(htmlPre().FindStringSubmatch(trimmed)[1]), " ."))
	case strings.HasPrefix(trimmed, "<"):
		if m := htmlTitle().FindStringSubmatch(trimmed); m != nil && strings.TrimSpace(m[1]) != "" {
			e.Message = truncate(strings.TrimSpace(htmlUnescape(m[1])))
		} else {
			e.Message = http.StatusText(status)
		}
	case codeMessage().MatchString(trimmed):
		m := codeMessage().FindStringSubmatch(trimmed)
		e.ErrorCode, e.Message = m[1], truncate(m[2])
	default:
		e.Message = truncate(trimmed)
	}
	e.kinds = kindsFor(e)
	return e
}

// truncate shortens s to maxMessageBytes without splitting a UTF-8 sequence.
func truncate(s string) string {
	if len(s) <= maxMessageBytes {
		return s
	}
	cut := maxMessageBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… (truncated)"
}

// isPrivateLinkRedirect reports whether a response came from the login page
// a Private Link workspace redirects to when the caller's network may not
// reach it; the page answers 200 with HTML, which is no API answer.
func isPrivateLinkRedirect(u *url.URL) bool {
	return u != nil && u.EscapedPath() == "/login.html" && strings.Contains(u.RawQuery, "error=private-link-validation-error")
}

// privateLinkError explains a Private Link redirect as a permission error.
func privateLinkError(method, path, host string) *APIError {
	e := &APIError{
		StatusCode: http.StatusForbidden,
		ErrorCode:  "PRIVATE_LINK_VALIDATION_ERROR",
		Message: "the workspace " + host + " has Private Link enabled and cannot be reached from this network; " +
			"connect through the workspace's private endpoint (VPN or peered network) or ask an administrator to allow this network",
		Method: method,
		Path:   path,
	}
	e.kinds = kindsFor(e)
	return e
}

func kindsFor(e *APIError) []error {
	var kinds []error
	if e.Method == http.MethodGet && e.StatusCode == http.StatusBadRequest && e.ErrorCode == "INVALID_PARAMETER_VALUE" {
		for _, o := range missingOverrides() {
			if o.path.MatchString(e.Path) && o.message.MatchString(e.Message) {
				kinds = append(kinds, ErrNotFound)
			}
		}
	}
	kinds = append(kinds, codeKinds[e.ErrorCode]...)
	if k, ok := statusKinds[e.StatusCode]; ok {
		kinds = append(kinds, k)
	}
	// De-duplicate, keeping the first (most specific) position.
	out := kinds[:0]
	seen := map[error]bool{}
	for _, k := range kinds {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// scalarString renders a JSON string or number as text; anything else is "".
func scalarString(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if _, err := strconv.ParseFloat(n.String(), 64); err == nil {
			return n.String()
		}
	}
	return ""
}

var htmlEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&")

func htmlUnescape(s string) string { return htmlEntities.Replace(s) }
