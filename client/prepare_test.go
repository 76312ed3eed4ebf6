package client

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// stampToken is a Prepare hook as an API area would write one: it adds a
// member when the caller gave none.
func stampToken(args json.RawMessage) (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(args) > 0 {
		if err := json.Unmarshal(args, &m); err != nil {
			return nil, err
		}
	}
	if _, ok := m["idempotency_token"]; !ok {
		m["idempotency_token"] = json.RawMessage(`"stamped"`)
	}
	return json.Marshal(m)
}

var preparedEP = &Endpoint[routeBody, Empty]{
	Service: "test", Name: "prepared", Method: "POST", Path: "/api/2.0/test/prepared",
	Access: Write, Prepare: stampToken,
}

func TestEndpointPrepareRewritesArgumentsBeforeRouting(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	if _, err := preparedEP.Call(t.Context(), c, &routeBody{Name: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := preparedEP.Invoke(t.Context(), c, json.RawMessage(`{"name":"b","idempotency_token":"mine"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := preparedEP.Invoke(t.Context(), c, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"idempotency_token":"stamped","name":"a"}`,
		`{"idempotency_token":"mine","name":"b"}`,
		`{"idempotency_token":"stamped"}`,
	}
	got := rec.requests()
	if len(got) != len(want) {
		t.Fatalf("%d requests, want %d", len(got), len(want))
	}
	for i, r := range got {
		if string(r.Body) != want[i] {
			t.Errorf("request %d body %s, want %s", i, r.Body, want[i])
		}
	}
}

// A request whose Prepare added an idempotency_token is safe to repeat even
// when the endpoint is not declared Idempotent, and the repeat carries the
// same token: Prepare runs once per call, not once per attempt.
func TestEndpointPrepareRunsOncePerCall(t *testing.T) {
	rec := newRecorder(t, hangUp(t), reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	if _, err := preparedEP.Invoke(t.Context(), c, json.RawMessage(`{"name":"x"}`)); err != nil {
		t.Fatal(err)
	}
	got := rec.requests()
	if len(got) != 2 || string(got[0].Body) != string(got[1].Body) || !strings.Contains(string(got[1].Body), `"stamped"`) {
		t.Fatalf("requests %+v", got)
	}
}

func TestEndpointPrepareErrorSendsNothing(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	bad := errors.New("refused")
	ep := &Endpoint[routeBody, Empty]{
		Service: "test", Name: "prepare_fails", Method: "POST", Path: "/api/2.0/test/prepare-fails", Access: Write,
		Prepare: func(json.RawMessage) (json.RawMessage, error) { return nil, bad },
	}
	if _, err := ep.Invoke(t.Context(), c, json.RawMessage(`{"name":"x"}`)); !errors.Is(err, bad) || !strings.Contains(err.Error(), "test_prepare_fails") {
		t.Errorf("error %v, want the hook's, naming the operation", err)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
