package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// emulatorAddrEnv names a running emulator for `call --emulator`.
const emulatorAddrEnv = "DBX_MCP_EMULATOR_ADDR"

// emulatorRecord is what a running `dbx-mcp emulator` writes to
// emulatorRecordPath, so that `call --emulator` processes find it and share
// its state instead of each starting an empty workspace.
type emulatorRecord struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
	// Token is the one bearer token the emulator accepts, when started
	// with --token; the file is then readable by its owner only.
	Token string `json:"token,omitempty"`
	Cloud string `json:"cloud,omitempty"`
}

// emulatorRecordPath is the record's place in the user's cache directory.
func emulatorRecordPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory: %w", err)
	}
	return filepath.Join(dir, "dbx-mcp", "emulator.json"), nil
}

// writeEmulatorRecord records rec and returns the function that removes
// the record again, unless another emulator has replaced it meanwhile.
func writeEmulatorRecord(rec emulatorRecord) (func(), error) {
	path, err := emulatorRecordPath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	tmp := path + fmt.Sprintf(".%d", os.Getpid())
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return func() {
		if cur, err := readEmulatorRecord(path); err == nil && cur.PID == rec.PID && cur.URL == rec.URL {
			os.Remove(path)
		}
	}, nil
}

func readEmulatorRecord(path string) (emulatorRecord, error) {
	var rec emulatorRecord
	b, err := os.ReadFile(path)
	if err != nil {
		return rec, err
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		return rec, fmt.Errorf("%s: %w", path, err)
	}
	return rec, nil
}

// findEmulator picks the running emulator `call --emulator` uses: the
// address given by flag, else by $DBX_MCP_EMULATOR_ADDR, else the one a
// running `dbx-mcp emulator` recorded. A named address that does not
// answer is an error; a stale record is ignored. nil means none runs.
func findEmulator(flagAddr string) (*emulatorRecord, error) {
	for _, named := range []struct{ addr, source string }{{flagAddr, "--emulator-addr"}, {os.Getenv(emulatorAddrEnv), emulatorAddrEnv}} {
		if named.addr == "" {
			continue
		}
		u, err := emulatorURL(named.addr)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", named.source, named.addr, err)
		}
		if !listening(u) {
			return nil, fmt.Errorf("%s %q: no emulator answers there; start one with 'dbx-mcp emulator --addr %s'", named.source, named.addr, u.Host)
		}
		return &emulatorRecord{URL: u.String()}, nil
	}
	path, err := emulatorRecordPath()
	if err != nil {
		return nil, nil
	}
	rec, err := readEmulatorRecord(path)
	if err != nil {
		return nil, nil
	}
	u, err := emulatorURL(rec.URL)
	if err != nil || !listening(u) {
		return nil, nil
	}
	return &rec, nil
}

// emulatorURL accepts host:port or an http:// URL on loopback.
func emulatorURL(addr string) (*url.URL, error) {
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" || u.Port() == "" {
		return nil, errors.New("want host:port or http://host:port")
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// listening reports whether something accepts connections at u.
func listening(u *url.URL) bool {
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
