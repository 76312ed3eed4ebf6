package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// payloadBodies are the bodies of every recorded payload, the API's own
// JSON as structuredContent carries it.
func payloadBodies(t testing.TB) map[string]json.RawMessage {
	t.Helper()
	root := filepath.Join("..", "internal", "fixtures", "testdata", "databricks-payloads")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]json.RawMessage{}
	for _, d := range dirs {
		if d.IsDir() {
			for _, p := range fixtures.Load(t, d.Name()) {
				if len(p.Body) > 0 && p.Body[0] == '{' {
					out[p.File] = p.Body
				}
			}
		}
	}
	if len(out) < 50 {
		t.Fatalf("only %d payload bodies found", len(out))
	}
	return out
}

// TestAppendMessageIsEncodingJSON checks that AppendMessage writes exactly
// the bytes json.Marshal writes, for the results the server sends: every
// recorded API body as a success, results with _meta, errors, other
// content types, structured content given as a value, tool lists of every
// toolset, and messages it leaves to encoding/json.
func TestAppendMessageIsEncodingJSON(t *testing.T) {
	id := mcp.NewRequestId(int64(7))
	msgs := map[string]mcp.JSONRPCMessage{}
	for file, body := range payloadBodies(t) {
		msgs["success "+file] = mcp.NewJSONRPCResultResponse(id, success(body))
		// Indented, with characters encoding/json escapes inside strings.
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		indented, _ := json.MarshalIndent(map[string]any{"x": v, "html": "<a href='x'>&</a>\u2028\u2029"}, "", "  ")
		res := renderedResult(indented, string(indented))
		msgs["indented "+file] = mcp.NewJSONRPCResultResponse(mcp.NewRequestId("s-1"), *res)
	}
	withMeta := success(json.RawMessage(`{"a":1}`))
	withMeta.Meta = mcp.NewMetaFromMap(map[string]any{"dbx-mcp/cut": map[string]any{"bytes": 12, "note": "<cut>"}})
	msgs["meta"] = mcp.NewJSONRPCResultResponse(id, withMeta)
	msgs["error"] = mcp.NewJSONRPCResultResponse(id, errorResult("bad \"x\"\n\t\x01\x7f <b>&</b> \xff\xfe é 東京 \u2028"))
	msgs["value"] = mcp.NewJSONRPCResultResponse(id, &mcp.CallToolResult{
		Content:           []mcp.Content{mcp.NewTextContent("v")},
		StructuredContent: map[string]any{"b": []int{1, 2}, "a": "<&>"},
	})
	msgs["mixed content"] = mcp.NewJSONRPCResultResponse(id, &mcp.CallToolResult{
		Result: mcp.Result{ResultType: "complete"},
		Content: []mcp.Content{
			mcp.NewImageContent("aGVsbG8=", "image/png"),
			mcp.TextContent{Type: "text", Text: "annotated", Annotated: mcp.Annotated{Annotations: &mcp.Annotations{Priority: ptr(0.5)}}},
			mcp.NewResourceLink("dbx://results/1", "r", "whole answer", "application/json"),
		},
	})
	msgs["empty"] = mcp.NewJSONRPCResultResponse(id, &mcp.CallToolResult{})
	msgs["multi round trip"] = mcp.NewJSONRPCResultResponse(id, &mcp.CallToolResult{MultiRoundTripResult: mcp.MultiRoundTripResult{RequestState: "st"}})
	msgs["list of other results"] = mcp.NewJSONRPCResultResponse(id, mcp.ListResourcesResult{})
	msgs["error response"] = mcp.NewJSONRPCError(id, mcp.INVALID_PARAMS, "bad <x>", nil)
	msgs["notification"] = mcp.JSONRPCNotification{JSONRPC: "2.0", Notification: mcp.Notification{Method: "notifications/progress"}}
	for _, toolsets := range [][]string{nil, {"all"}} {
		for _, ro := range []bool{false, true} {
			reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return nil, nil }, Options{Toolsets: toolsets, ReadOnly: ro, Cloud: "azure"})
			if err != nil {
				t.Fatal(err)
			}
			list := mcp.ListToolsResult{}
			for _, tool := range reg.Tools() {
				list.Tools = append(list.Tools, tool.Definition)
			}
			name := "tools " + strings.Join(toolsets, ",")
			if ro {
				name += " read-only"
			}
			msgs[name] = mcp.NewJSONRPCResultResponse(id, &list)
			cursor := list
			cursor.NextCursor = "abc"
			cursor.Tools = cursor.Tools[:2]
			msgs[name+" cursor"] = mcp.NewJSONRPCResultResponse(id, cursor)
		}
	}
	msgs["no tools"] = mcp.NewJSONRPCResultResponse(id, &mcp.ListToolsResult{})
	for name, msg := range msgs {
		want, err := json.Marshal(msg)
		if err != nil {
			t.Fatalf("%s: json.Marshal: %v", name, err)
		}
		got, err := AppendMessage([]byte("prefix"), msg)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got[len("prefix"):], want) || string(got[:len("prefix")]) != "prefix" {
			t.Errorf("%s:\n got %.600s\nwant %.600s", name, got, want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestAppendMessageRefusesInvalidJSON checks that a body that is not JSON
// fails the encoding, as it fails json.Marshal, rather than reaching the
// client as a broken message.
func TestAppendMessageRefusesInvalidJSON(t *testing.T) {
	for _, raw := range []string{`{"a":`, `{"a":1}x`, `{"a":01}`, `{'a':1}`, "{\"a\":\"\x01\"}"} {
		msg := mcp.NewJSONRPCResultResponse(mcp.NewRequestId(int64(1)), &mcp.CallToolResult{RawStructuredContent: json.RawMessage(raw)})
		if _, err := json.Marshal(msg); err == nil {
			t.Fatalf("%q: json.Marshal accepts it; the test is wrong", raw)
		}
		if out, err := AppendMessage(nil, msg); err == nil {
			t.Errorf("%q: encoded as %s", raw, out)
		}
	}
}

// FuzzScanJSON checks scanJSON against encoding/json: valid exactly when
// json.Valid, compact exactly when compacting changes nothing, and
// appendRawJSON the bytes json.Marshal writes for a json.RawMessage.
func FuzzScanJSON(f *testing.F) {
	for _, body := range payloadBodies(f) {
		f.Add([]byte(body))
	}
	for _, s := range []string{``, ` `, `0`, `-0.5e+10`, `01`, `1.`, `.5`, `-`, `1e`, `"\u00e9\ud800"`, `"\x"`, `"a` + "\t" + `"`,
		`[1,]`, `{"a":1,}`, `{"a" : [ true , false , null ] }`, `[[[[[]]]]]`, `{"a":{}}`, `"<&>` + "\u2028" + `"`, `tru`, `nul`, `[1 2]`, `{"a"}`, "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		valid, compact := scanJSON(b)
		if valid != json.Valid(b) {
			t.Fatalf("scanJSON(%q) valid = %v, json.Valid %v", b, valid, !valid)
		}
		if !valid {
			return
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			t.Fatal(err)
		}
		if compact != bytes.Equal(buf.Bytes(), b) {
			t.Fatalf("scanJSON(%q) compact = %v", b, compact)
		}
		want, err := json.Marshal(json.RawMessage(b))
		if err != nil {
			t.Fatal(err)
		}
		// html may be set for a byte that needs nothing (the lead byte of
		// another character than U+2028 or U+2029); unset, nothing needs
		// escaping.
		if _, _, html := scanJSONFlags(b); !html && !bytes.Equal(want, buf.Bytes()) {
			t.Fatalf("scanJSONFlags(%q): html unset, but encoding/json writes %q", b, want)
		}
		got, err := appendRawJSON(nil, b)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("appendRawJSON(%q) = %q, %v; want %q", b, got, err, want)
		}
	})
}

// FuzzAppendJSONString checks appendJSONString against json.Marshal.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\/\b\f\n\r\t\x00\x1f\x7f", "<script>&amp;</script>", "é東京🙂", "\u2028\u2029", "\xff\xe2\x80", "a\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

// BenchmarkAppendMessage times encoding one clusters_list answer (the
// recorded 14-cluster list body, as text and structuredContent) both ways;
// the ratio of the two ns/op is what AppendMessage saves per call.
func BenchmarkAppendMessage(b *testing.B) {
	body, err := fs.ReadFile(os.DirFS(filepath.Join("..", "internal", "fixtures", "testdata", "databricks-payloads", "clusters")), "list.response.1.json")
	if err != nil {
		b.Skip("no clusters list payload: ", err)
	}
	var p fixtures.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		b.Fatal(err)
	}
	msg := mcp.NewJSONRPCResultResponse(mcp.NewRequestId(int64(1)), success(p.Body))
	b.Run("AppendMessage", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = AppendMessage(buf[:0], msg)
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("encoding/json", func(b *testing.B) {
		var n int
		for b.Loop() {
			out, _ := json.Marshal(msg)
			n = len(out)
		}
		b.SetBytes(int64(n))
	})
}

// FuzzRequestHead checks RequestHead against decoding the message: when it
// answers, json.Unmarshal succeeds with the same id bytes and method.
func FuzzRequestHead(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":[1,{"b":"}"}]}}}`,
		`{"method":"ping","id":"a b"}`, ` { "id" : 7 , "method" : "m" } `, `{"id":1,"id":2,"method":"m"}`,
		`{"m\u0065thod":"x","id":1}`, `{"Method":"x","ID":2}`, `{"method":"\xa5"}`, `{"method":"a\"b","id":1}`, `{"method":3,"id":1}`, `{"id":null}`, `[1]`, `"x"`,
		`{"params":[[],{},"",0,true,null],"method":"m"}`, `{"id":-1.5e3,"method":""}`, `{}`, `{"a":1`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		id, method, ok := RequestHead(line)
		if !ok {
			return
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("RequestHead(%q) answered, json.Unmarshal: %v", line, err)
		}
		if !bytes.Equal(id, m.ID) || method != m.Method {
			t.Fatalf("RequestHead(%q) = %s, %q; json.Unmarshal gives %s, %q", line, id, method, m.ID, m.Method)
		}
	})
}

// FuzzToolNameOf checks toolNameOf against decoding the message as the
// unknown-tool hook did.
func FuzzToolNameOf(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","arguments":{"name":"x"}}}`,
		`{"method":"tools/call","params":{"arguments":{}}}`, `{"method":"tools/call","params":null}`, `{"method":"tools/call","params":{"Name":"a"}}`,
		`{"method":"tools/call","params":{"name":"a","name":"b"}}`, `{"method":"tools/list"}`, `{"method":"tools/call","params":{"name":7}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		name, ok := toolNameOf(line)
		if !ok {
			return
		}
		var m struct {
			Method string `json:"method"`
			Params struct {
				Name *string `json:"name"`
			} `json:"params"`
		}
		err := json.Unmarshal(line, &m)
		want := (*string)(nil)
		if err == nil && m.Method == string(mcp.MethodToolsCall) {
			want = m.Params.Name
		}
		if (name == nil) != (want == nil) || (name != nil && *name != *want) {
			t.Fatalf("toolNameOf(%q) = %v; decoding gives %v (%v)", line, nameOrNil(name), nameOrNil(want), err)
		}
	})
}

func nameOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// TestAppendRequestID checks the shortcut for ids against json.Marshal.
func TestAppendRequestID(t *testing.T) {
	for _, v := range []any{nil, "a", "<é\u2028>", int64(-7), 0, 7, float64(7), float64(-3), 1.5, 1e15, 1e21, math.Copysign(0, -1), 123456789012345.0} {
		id := mcp.NewRequestId(v)
		want, err := json.Marshal(id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := AppendRequestID(nil, id)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("AppendRequestID(%#v) = %s, %v; want %s", v, got, err, want)
		}
	}
}

// TestAppendAnswerFallsBackToAnError: an answer that cannot be encoded is
// replaced by an internal error with the request's id, so the client still
// gets an answer.
func TestAppendAnswerFallsBackToAnError(t *testing.T) {
	msg := mcp.NewJSONRPCResultResponse(mcp.NewRequestId("r-9"), &mcp.CallToolResult{RawStructuredContent: json.RawMessage(`{"a":`)})
	out := AppendAnswer([]byte("x"), msg, slog.New(slog.DiscardHandler))
	var m struct {
		ID    string `json:"id"`
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if string(out[:1]) != "x" || json.Unmarshal(out[1:], &m) != nil || m.ID != "r-9" || m.Error.Code != mcp.INTERNAL_ERROR || !strings.Contains(m.Error.Message, "could not be encoded") {
		t.Errorf("AppendAnswer = %s", out)
	}
	good := mcp.NewJSONRPCResultResponse(mcp.NewRequestId(int64(1)), success(json.RawMessage(`{"a":1}`)))
	want, _ := json.Marshal(good)
	if got := AppendAnswer(nil, good, slog.New(slog.DiscardHandler)); !bytes.Equal(got, want) {
		t.Errorf("AppendAnswer(valid) = %s, want %s", got, want)
	}
}
