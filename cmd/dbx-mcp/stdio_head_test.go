package main

import (
	"bytes"
	"testing"
)

// TestHeadOf checks that reading only a message's head finds what decoding
// it whole finds, in every shape a line may take.
func TestHeadOf(t *testing.T) {
	for _, tc := range []struct {
		line                string
		ok                  bool
		id, method, errJSON string
	}{
		{line: `{"jsonrpc":"2.0","id":7,"result":{"tools":[{"name":"a"}]}}`, ok: true, id: `7`},
		{line: `{"jsonrpc":"2.0","id":"x","result":{}}`, ok: true, id: `"x"`},
		{line: `{"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"context canceled"}}`, ok: true, id: `3`, errJSON: `{"code":-32603,"message":"context canceled"}`},
		{line: `{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info"}}`, ok: true, method: "notifications/message"},
		{line: `{"jsonrpc":"2.0","id":9,"method":"sampling/createMessage","params":{}}`, ok: true, id: `9`, method: "sampling/createMessage"},
		{line: `{"result":{"a":1},"id":4,"jsonrpc":"2.0"}`, ok: true, id: `4`},
		{line: `{"jsonrpc":"2.0","id":5,"error":null,"result":{}}`, ok: true, id: `5`, errJSON: `null`},
		{line: `{"jsonrpc":"2.0","id":5,"method":12}`},
		{line: `[1,2]`},
		{line: `not json`},
		{line: `{"jsonrpc":"2.0","id":6,`},
	} {
		h := headOf([]byte(tc.line))
		if h.ok != tc.ok || string(h.ID) != tc.id || h.Method != tc.method || string(h.Error) != tc.errJSON {
			t.Errorf("headOf(%s) = %+v (id %s, error %s), want ok %v id %q method %q error %q", tc.line, h, h.ID, h.Error, tc.ok, tc.id, tc.method, tc.errJSON)
		}
		whole := decodeHead([]byte(tc.line))
		if whole.ok != h.ok || !bytes.Equal(whole.ID, h.ID) || whole.Method != h.Method || !bytes.Equal(whole.Error, h.Error) {
			t.Errorf("headOf(%s) = %+v, decoding it whole gives %+v", tc.line, h, whole)
		}
	}
}
