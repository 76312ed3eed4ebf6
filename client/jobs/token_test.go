package jobs

import (
	"encoding/json"
	"regexp"
	"testing"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestAddIdempotencyToken(t *testing.T) {
	out, err := addIdempotencyToken(json.RawMessage(`{"job_id":9007199254740993}`))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	var tok string
	_ = json.Unmarshal(m["idempotency_token"], &tok)
	if !uuidV4.MatchString(tok) || string(m["job_id"]) != "9007199254740993" {
		t.Errorf("got %s", out)
	}
	again, _ := addIdempotencyToken(json.RawMessage(`{"job_id":1}`))
	if string(again) == string(out) {
		t.Error("two calls share a token")
	}
	given := json.RawMessage(`{"idempotency_token":"mine","job_id":1}`)
	if kept, err := addIdempotencyToken(given); err != nil || string(kept) != string(given) {
		t.Errorf("a given token was replaced: %s %v", kept, err)
	}
	if empty, _ := addIdempotencyToken(json.RawMessage(`{"idempotency_token":""}`)); string(empty) == `{"idempotency_token":""}` {
		t.Error("an empty token was kept")
	}
	if none, err := addIdempotencyToken(nil); err != nil || len(none) < 30 {
		t.Errorf("no arguments: %s %v", none, err)
	}
	if _, err := addIdempotencyToken(json.RawMessage(`[1]`)); err == nil {
		t.Error("an array was accepted")
	}
}

// jobs_run_now and jobs_submit prepare their arguments; nothing else does.
func TestRunRequestsArePrepared(t *testing.T) {
	if JobsRunNow.Prepare == nil || JobsSubmit.Prepare == nil || !JobsRunNow.Idempotent || !JobsSubmit.Idempotent {
		t.Error("run_now and submit must add a token and be declared Idempotent")
	}
	if JobsRepairRun.Prepare != nil || JobsRepairRun.Idempotent {
		t.Error("repair_run takes no token: each call is another repair")
	}
}
