package tools

import "testing"

func TestCheckAPIPath(t *testing.T) {
	ok := []string{
		"/api/2.1/clusters/list",
		"/api/2.0/workspace/get-status",
		"/api/2.0/fs/files/Volumes/main/default/v/my%20file.txt",
		"/api/2.1/unity-catalog/tables/main.default.t",
	}
	bad := []string{
		"", "api/2.0/clusters/list", "/2.0/clusters/list", "/apis/x",
		"https://evil.example/api/2.0/clusters/list",
		"//evil.example/api/2.0/x",
		"/api/2.0/../../admin",
		"/api/2.0/clusters/..",
		"/api/2.0/..;/x",
		"/api/2.0/.;/x",
		"/api/./2.0",
		"/api/2.0/%2e%2e/x",
		"/api/2.0/%2E%2E/x",
		"/api/2.0/a%2fb",
		"/api/2.0/a%5cb",
		"/api/2.0/%252e%252e/x",
		"/api/2.0/a\\b",
		"/api/2.0/list?x=1",
		"/api/2.0/list#frag",
		"/api//2.0/list",
		"/api/2.0/a%0ab",
		"/api/2.0/a\nb",
		"/api/2.0/a%zz",
		"/api/2.0/a%2",
		"/api/2.0/caf\u00e9",
	}
	for _, p := range ok {
		if err := CheckAPIPath(p); err != nil {
			t.Errorf("CheckAPIPath(%q) = %v, want ok", p, err)
		}
	}
	for _, p := range bad {
		if err := CheckAPIPath(p); err == nil {
			t.Errorf("CheckAPIPath(%q) accepted a path it must refuse", p)
		}
	}
}
