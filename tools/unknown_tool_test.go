package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// A tools/call for a tool the server does not offer is refused with a
// message that says what to call instead.
func TestUnknownToolOverMCPSuggests(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		tool string
		want []string
	}{
		{"typo", Options{Toolsets: []string{AllToolsets}}, "clusters_lst", []string{"clusters_lst", "did you mean clusters_list?"}},
		{"not selected", Options{Tools: []string{"clusters_list"}}, "secrets_put_secret", []string{"does not offer it", "--toolsets"}},
		{"typo of an unselected tool", Options{Tools: []string{"clusters_list"}}, "secrets_put_secet", []string{"did you mean secrets_put_secret?", "not offered"}},
		{"behind discovery", Options{Toolsets: []string{AllToolsets}, Mode: ModeDiscovery}, "clusters_list", []string{InvokeToolName}},
		{"nothing near", Options{Toolsets: []string{AllToolsets}}, "zzzzzzzz", []string{"not found", "tools/list"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu := emulator.New(emulator.Options{})
			t.Cleanup(func() { emu.Close() })
			mc := inProcessSession(t, emu, tc.opts)
			req := mcp.CallToolRequest{}
			req.Params.Name = tc.tool
			req.Params.Arguments = json.RawMessage(`{}`)
			res, err := mc.CallTool(context.Background(), req)
			if err == nil {
				t.Fatalf("no error for an unknown tool: %+v", res)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// A tool the server offers is not caught by the unknown-tool check.
func TestKnownToolPassesUnknownToolCheck(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	t.Cleanup(func() { emu.Close() })
	mc := inProcessSession(t, emu, Options{Tools: []string{"clusters_list"}})
	req := mcp.CallToolRequest{}
	req.Params.Name = "clusters_list"
	req.Params.Arguments = json.RawMessage(`{}`)
	res, err := mc.CallTool(context.Background(), req)
	if err != nil || res.IsError {
		t.Fatalf("clusters_list: %v %+v", err, res)
	}
}
