package client

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
)

// configFile is a parsed .databrickscfg: INI sections of key = value lines.
type configFile struct {
	path     string
	sections []*iniSection
}

type iniSection struct {
	name string
	// keys lists the section's keys (lower-cased) in first-seen order;
	// values holds the last value given for each.
	keys   []string
	values map[string]iniEntry
}

type iniEntry struct {
	value string
	line  int
}

// readConfigFile reads and parses the profile file at path. An error for a
// missing file wraps fs.ErrNotExist.
func readConfigFile(path string) (*configFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	return parseConfigFile(path, data)
}

// parseConfigFile parses the INI dialect the Databricks tools write:
// [section] headers, key = value (or key: value) lines, whole-line comments
// starting with ; or #, and blank lines. A ; or # preceded by white space
// starts a trailing comment, so secrets may contain those characters.
// Keys before the first header belong to DEFAULT; a repeated key keeps its
// last value. Errors name the file and line but never quote the line,
// which may hold a secret.
func parseConfigFile(path string, data []byte) (*configFile, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	f := &configFile{path: path}
	var cur *iniSection
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("%s line %d: section header has no closing ]", path, n)
			}
			if rest := strings.TrimSpace(line[end+1:]); rest != "" && rest[0] != ';' && rest[0] != '#' {
				return nil, fmt.Errorf("%s line %d: unexpected text after section header", path, n)
			}
			name := strings.TrimSpace(line[1:end])
			if name == "" {
				return nil, fmt.Errorf("%s line %d: section header has an empty name", path, n)
			}
			cur = f.addSection(name)
			continue
		}
		sep := strings.IndexAny(line, "=:")
		if sep < 0 {
			return nil, fmt.Errorf("%s line %d: expected \"key = value\" or \"[profile]\"", path, n)
		}
		key := strings.ToLower(strings.TrimSpace(line[:sep]))
		if key == "" {
			return nil, fmt.Errorf("%s line %d: missing key before %q", path, n, line[sep])
		}
		if strings.ContainsAny(key, " \t[]") {
			return nil, fmt.Errorf("%s line %d: expected \"key = value\"; keys contain no spaces or brackets", path, n)
		}
		value, ok := iniValue(strings.TrimSpace(line[sep+1:]))
		if !ok {
			return nil, fmt.Errorf("%s line %d: value of %s has an unterminated quote", path, n, key)
		}
		if cur == nil {
			cur = f.addSection("DEFAULT")
		}
		if _, seen := cur.values[key]; !seen {
			cur.keys = append(cur.keys, key)
		}
		cur.values[key] = iniEntry{value: value, line: n}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return f, nil
}

// iniValue strips a trailing comment and matching surrounding quotes.
func iniValue(v string) (string, bool) {
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		end := strings.IndexByte(v[1:], v[0])
		if end < 0 {
			return "", false
		}
		rest := strings.TrimSpace(v[end+2:])
		if rest != "" && rest[0] != ';' && rest[0] != '#' {
			return "", false
		}
		return v[1 : end+1], true
	}
	for i := 1; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimSpace(v[:i]), true
		}
	}
	return v, true
}

func (f *configFile) addSection(name string) *iniSection {
	if s := f.section(name); s != nil {
		return s
	}
	s := &iniSection{name: name, values: make(map[string]iniEntry)}
	f.sections = append(f.sections, s)
	return s
}

// section returns the named section, or nil. Profile names are case-sensitive.
func (f *configFile) section(name string) *iniSection {
	for _, s := range f.sections {
		if s.name == name {
			return s
		}
	}
	return nil
}

// profiles lists the file's profile names in file order.
func (f *configFile) profiles() []string {
	var names []string
	for _, s := range f.sections {
		if s.name != settingsSection {
			names = append(names, s.name)
		}
	}
	return names
}
