package client

import (
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// forwardProxy is an HTTP forward proxy for http:// targets. With a user
// set it demands matching Basic proxy credentials.
type forwardProxy struct {
	srv *httptest.Server

	mu   sync.Mutex
	seen []string
	auth []string
}

func newForwardProxy(t *testing.T, user, pass string) *forwardProxy {
	t.Helper()
	p := &forwardProxy{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.seen = append(p.seen, r.RequestURI)
		p.auth = append(p.auth, r.Header.Get("Proxy-Authorization"))
		p.mu.Unlock()
		if r.Method == http.MethodConnect || !r.URL.IsAbs() {
			http.Error(w, "this proxy forwards absolute http:// requests only", http.StatusMethodNotAllowed)
			return
		}
		if user != "" {
			want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
			if r.Header.Get("Proxy-Authorization") != want {
				w.Header().Set("Proxy-Authenticate", `Basic realm="test"`)
				http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
				return
			}
		}
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.Header.Del("Proxy-Authorization")
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *forwardProxy) targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

func TestTransportExplicitProxy(t *testing.T) {
	ws := newAuthWorkspace(t)
	proxy := newForwardProxy(t, "proxy-user", "p@ss:word")
	proxyURL := strings.Replace(proxy.srv.URL, "http://", "http://proxy-user:p%40ss%3Aword@", 1)
	c := newAuthClient(t, Config{Host: ws.srv.URL, Token: "tok", Proxy: proxyURL})
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	if got := proxy.targets(); len(got) != 1 || got[0] != ws.srv.URL+"/api/2.0/clusters/list" {
		t.Fatalf("proxy saw %q, want the loopback workspace request", got)
	}
	if got := ws.last(t).Get("Authorization"); got != "Bearer tok" {
		t.Errorf("workspace got Authorization %q through the proxy", got)
	}

	// Without credentials the proxy refuses, and the error says so without
	// revealing anything.
	bare := newAuthClient(t, Config{Host: ws.srv.URL, Token: "tok", Proxy: proxy.srv.URL})
	err := listClusters(bare)
	if err == nil || !strings.Contains(err.Error(), "407") {
		t.Fatalf("got %v, want a 407 from the proxy", err)
	}
}

func TestTransportProxyURLErrors(t *testing.T) {
	const password = "hunter2-proxy-password"
	for _, tt := range []struct{ proxy, want string }{
		{"http://user:" + password + "@proxy:notaport", "not valid"},
		{"http://user:" + password + "@proxy:99999", "invalid port"},
		{"gopher://user:" + password + "@proxy:70", "unsupported scheme"},
		{"http://user:" + password + "@/path", "no host"},
		{"http://user:" + password + "/x@proxy:1:2", "not valid"},
	} {
		_, err := New(&Config{Host: "https://h.azuredatabricks.net", Token: "t", Proxy: tt.proxy})
		if err == nil {
			t.Errorf("%s: accepted", tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "proxy") {
			t.Errorf("error %q does not mention %q", err, tt.want)
		}
		if strings.Contains(err.Error(), password) {
			t.Errorf("error %q reveals the proxy password", err)
		}
	}
	// A bare host:port is an http proxy.
	u, err := parseProxyURL("proxy.corp:3128")
	if err != nil || u.String() != "http://proxy.corp:3128" {
		t.Errorf("bare host:port parsed as %v, %v", u, err)
	}
}

func TestTransportProxyFromEnvironmentByDefault(t *testing.T) {
	tr, err := newTransport(&Config{})
	if err != nil {
		t.Fatal(err)
	}
	// The environment proxy never applies to loopback; an explicit one does.
	req := httptest.NewRequest("GET", "http://127.0.0.1:1/api", nil)
	if u, err := tr.Proxy(req); u != nil || err != nil {
		t.Errorf("environment proxy for loopback: %v, %v", u, err)
	}
	tr, err = newTransport(&Config{Proxy: "http://p:1"})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := tr.Proxy(req); err != nil || u == nil || u.Host != "p:1" {
		t.Errorf("explicit proxy for loopback: %v, %v", u, err)
	}
}

func TestTransportCACertFile(t *testing.T) {
	ws := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	}))
	ws.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes the test makes fail on purpose
	ws.StartTLS()
	defer ws.Close()
	// httptest's certificate names 127.0.0.1; https to loopback needs no
	// exception in NormalizeHost.
	host := ws.URL

	untrusted := newAuthClient(t, Config{Host: host, Token: "t"})
	if err := listClusters(untrusted); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without the CA bundle: %v, want a certificate error", err)
	}

	trusted := newAuthClient(t, Config{Host: host, Token: "t", CACertFile: writeCA(t, ws)})
	if err := listClusters(trusted); err != nil {
		t.Fatalf("with the CA bundle: %v", err)
	}

	insecure := newAuthClient(t, Config{Host: host, Token: "t", InsecureSkipVerify: true})
	if err := listClusters(insecure); err != nil {
		t.Fatalf("with InsecureSkipVerify: %v", err)
	}

	missing := filepath.Join(t.TempDir(), "missing.pem")
	if _, err := New(&Config{Host: host, Token: "t", CACertFile: missing}); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing CA file: %v", err)
	}
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(&Config{Host: host, Token: "t", CACertFile: notPEM}); err == nil || !strings.Contains(err.Error(), notPEM) || !strings.Contains(err.Error(), "no PEM") {
		t.Errorf("CA file without certificates: %v", err)
	}
}
