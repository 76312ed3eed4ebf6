package client

import (
	"strings"
	"testing"
)

func TestNormalizeHost(t *testing.T) {
	ok := map[string]string{
		"adb-1.2.azuredatabricks.net":               "https://adb-1.2.azuredatabricks.net",
		" https://ADB-1.2.azuredatabricks.net/ ":    "https://adb-1.2.azuredatabricks.net",
		"https://adb-1.2.azuredatabricks.net/?o=12": "https://adb-1.2.azuredatabricks.net",
		"HTTPS://host.example:8443/some/path":       "https://host.example:8443",
		"http://127.0.0.1:8080":                     "http://127.0.0.1:8080",
		"http://localhost:9":                        "http://localhost:9",
		"http://[::1]:9":                            "http://[::1]:9",
	}
	for in, want := range ok {
		u, err := NormalizeHost(in)
		if err != nil {
			t.Errorf("NormalizeHost(%q): %v", in, err)
			continue
		}
		if u.String() != want {
			t.Errorf("NormalizeHost(%q) = %s, want %s", in, u, want)
		}
	}
	bad := []string{
		"", "   ", "https://", "ftp://host", "http://example.com", "http://10.0.0.1",
		"http://app.localhost:8080", "https://user:pw@host", "https://host:bad port",
	}
	for _, in := range bad {
		if u, err := NormalizeHost(in); err == nil {
			t.Errorf("NormalizeHost(%q) = %s, want an error", in, u)
		}
	}
}

func TestNormalizeHostHidesCredentials(t *testing.T) {
	for _, in := range []string{
		"https://dapiSECRET:@adb-1.azuredatabricks.net",
		"https://token:dapiSECRET@adb-1.azuredatabricks.net/x",
		"dapiSECRET@adb-1.azuredatabricks.net",
		"https://dapiSECRET@bad host",
		"http://u:dapiSECRET@[::1",
	} {
		_, err := NormalizeHost(in)
		if err == nil {
			t.Errorf("%q: no error", in)
			continue
		}
		if strings.Contains(err.Error(), "dapiSECRET") {
			t.Errorf("%q: error repeats the credential: %v", in, err)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "127.0.0.1": true, "127.9.9.9": true, "::1": true, "[::1]": true,
		"app.localhost": false, "localhost.example.com": false, "10.0.0.1": false, "example.com": false, "": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestNormalizeHostNeverEchoesCredentials(t *testing.T) {
	for _, h := range []string{
		"https://dapiSECRET123@",
		"http://dapiSECRET123@example.com",
		"ftp://dapiSECRET123@example.com",
		"http://user:dapiSECRET123@example.com",
	} {
		_, err := NormalizeHost(h)
		if err == nil {
			t.Errorf("%q accepted", h)
			continue
		}
		if strings.Contains(err.Error(), "SECRET123") {
			t.Errorf("%q: error echoes the credential: %v", h, err)
		}
	}
}
