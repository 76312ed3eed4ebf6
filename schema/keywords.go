package schema

import (
	"encoding/base64"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// enforced are the JSON Schema (2020-12) keywords the validator checks.
// NewValidator refuses a schema with any keyword that is neither here nor
// in annotations: a keyword a client reads as a rule but the server skips
// would let through arguments the schema promises to stop.
var enforced = map[string]bool{
	"$ref": true, "$defs": true,
	"type": true, "enum": true, "const": true,
	"properties": true, "required": true, "additionalProperties": true,
	"minProperties": true, "maxProperties": true,
	"items": true, "minItems": true, "maxItems": true, "uniqueItems": true,
	"anyOf": true, "oneOf": true, "allOf": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true, "multipleOf": true,
	"minLength": true, "maxLength": true, "pattern": true,
	"format":          true, // the values in formats only
	"contentEncoding": true, // base64 only
}

// annotations are keywords that carry information but no rule. writeOnly
// also makes problem messages leave the value out.
var annotations = map[string]bool{
	"$schema": true, "$comment": true,
	"title": true, "description": true, "default": true, "examples": true,
	"deprecated": true, "readOnly": true, "writeOnly": true,
	"contentMediaType": true,
}

// A format is one value of the format keyword the validator enforces, on
// values of one JSON type (other values pass, as JSON Schema says).
type format struct {
	// number: the format applies to numbers; else to strings.
	number bool
	// valid checks the value's text.
	valid func(string) bool
	// want says what a valid value looks like, for messages.
	want string
}

// formats are the formats the validator enforces. Any other format makes
// NewValidator fail and PortabilityProblems report it.
var formats = map[string]format{
	"date-time": {valid: isDateTime, want: `a date-time as RFC 3339 writes it, e.g. "2024-05-01T12:30:00Z"`},
	"date":      {valid: isDate, want: `a date as RFC 3339 writes it, e.g. "2024-05-01"`},
	"email":     {valid: isEmail, want: `an email address, e.g. "someone@example.com"`},
	"uri":       {valid: isURI, want: `an absolute URI with a scheme, e.g. "https://example.com/x"`},
	"uuid":      {valid: isUUID, want: `a UUID, e.g. "123e4567-e89b-12d3-a456-426614174000"`},
	"ipv4":      {valid: isIPv4, want: `an IPv4 address, e.g. "10.0.0.1"`},
	"ipv6":      {valid: isIPv6, want: `an IPv6 address, e.g. "fd00::1"`},
	"int32":     {number: true, valid: isInt32, want: "an integer from -2147483648 to 2147483647"},
	"int64":     {number: true, valid: isInt64, want: "an integer from -9223372036854775808 to 9223372036854775807"},
}

// isDateTime accepts RFC 3339 date-times; the letters T and Z may be lower
// case, as RFC 3339 allows. Leap seconds (:60) are refused, as Go's time
// package refuses them.
func isDateTime(s string) bool {
	if len(s) < len("2006-01-02T15:04:05Z") || (s[10] != 'T' && s[10] != 't') {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
	return err == nil
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

// isEmail accepts a bare address (no display name, no angle brackets).
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// isURI accepts absolute URIs: a scheme, and none of the characters RFC
// 3986 leaves out (space, quotes, angle brackets and the like).
func isURI(s string) bool {
	if strings.ContainsAny(s, " \t\r\n\"<>\\^`{|}") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != ""
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func isIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

func isIPv6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && a.Zone() == ""
}

func isInt32(s string) bool {
	_, err := strconv.ParseInt(s, 10, 32)
	return err == nil
}

func isInt64(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// isBase64 accepts standard base64 with padding, the encoding Databricks
// uses for file contents.
func isBase64(s string) bool {
	_, err := base64.StdEncoding.DecodeString(s)
	return err == nil
}
