package client

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseConfigFile(t *testing.T) {
	const src = "\ufeff" + `key0 = before any header
; comment
# comment
  [ first ]   ; trailing comment
host = https://h.example.com  # trailing comment
token = dapi#not-a-comment;either
quoted = "  spaced ; value  "
single = 'x # y'
colon: value with = sign
EMPTY =
dup = one

[second]
a=1
[first]
dup = two
`
	f, err := parseConfigFile("cfg", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.profiles(), []string{"DEFAULT", "first", "second"}; !reflect.DeepEqual(got, want) {
		t.Errorf("profiles = %v, want %v", got, want)
	}
	first := f.section("first")
	want := map[string]string{
		"host":   "https://h.example.com",
		"token":  "dapi#not-a-comment;either",
		"quoted": "  spaced ; value  ",
		"single": "x # y",
		"colon":  "value with = sign",
		"empty":  "",
		"dup":    "two",
	}
	got := map[string]string{}
	for k, e := range first.values {
		got[k] = e.value
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("values:\n got %q\nwant %q", got, want)
	}
	if wantKeys := []string{"host", "token", "quoted", "single", "colon", "empty", "dup"}; !reflect.DeepEqual(first.keys, wantKeys) {
		t.Errorf("keys = %v, want %v", first.keys, wantKeys)
	}
	if e := first.values["dup"]; e.line != 16 {
		t.Errorf("dup is on line %d, want 16", e.line)
	}
	if v := f.section("DEFAULT").values["key0"].value; v != "before any header" {
		t.Errorf("key0 = %q", v)
	}
	if f.section("First") != nil {
		t.Error("profile names must be case-sensitive")
	}
}

func TestParseConfigFileErrors(t *testing.T) {
	const secret = "dapi0123456789abcdef"
	for _, tt := range []struct {
		src  string
		line string
		want string
	}{
		{"[a]\n" + secret + "\n", "line 2", "key = value"},
		{"[a]\nx = 1\n[]\n", "line 3", "empty name"},
		{"[a] b\n", "line 1", "after section header"},
		{"[a\n", "line 1", "no closing ]"},
		{"\n\n= " + secret + "\n", "line 3", "missing key"},
		{"[a]\nmy token = " + secret + "\n", "line 2", "no spaces"},
		{"[a]\ntoken = \"" + secret + "\n", "line 2", "unterminated quote"},
		{"[a]\ntoken = \"" + secret + "\" junk\n", "line 2", "unterminated quote"},
	} {
		_, err := parseConfigFile("/home/u/.databrickscfg", []byte(tt.src))
		if err == nil {
			t.Errorf("%q: no error", tt.src)
			continue
		}
		msg := err.Error()
		for _, w := range []string{"/home/u/.databrickscfg " + tt.line + ":", tt.want} {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: error %q does not contain %q", tt.src, msg, w)
			}
		}
		if strings.Contains(msg, secret) {
			t.Errorf("error %q quotes the line's secret", msg)
		}
	}
}
