package client

import (
	"encoding/json"
	"testing"
	"time"
)

type waitRunReq struct {
	RunID int64                      `json:"run_id"`
	Extra map[string]json.RawMessage `json:"-"`
}

// A run that reaches a final life cycle state has ended, but with a
// failed result state the wait has failed: Poll says so, with the result.
func TestWaitResultMarksAFinishedFailureFailed(t *testing.T) {
	get := &Endpoint[waitRunReq, Empty]{Service: "test", Name: "get_run", Method: "GET", Path: "/api/2.2/test/runs/get", Access: Read}
	w := &Wait{Get: get, IDFields: []string{"run_id"}, State: "state.life_cycle_state", Message: "state.state_message",
		Noun: "run", Until: []string{"TERMINATED"}, Result: "state.result_state", Failed: []string{"FAILED", "TIMEDOUT"}}
	for _, tc := range []struct {
		body            string
		reached, failed bool
		result          string
	}{
		{`{"state":{"life_cycle_state":"TERMINATED","result_state":"FAILED","state_message":"boom"}}`, true, true, "FAILED"},
		{`{"state":{"life_cycle_state":"TERMINATED","result_state":"SUCCESS"}}`, true, false, "SUCCESS"},
		// A result already known while the run is not final does not end the wait.
		{`{"state":{"life_cycle_state":"RUNNING","result_state":"FAILED"}}`, false, false, "FAILED"},
	} {
		rec := newRecorder(t, reply(200, tc.body))
		c := newTestClient(t, rec.URL, nil)
		st, err := w.Poll(t.Context(), c, json.RawMessage(`{"run_id":7}`), time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.Reached != tc.reached || st.Failed != tc.failed || st.Result != tc.result {
			t.Errorf("%s: reached %v failed %v result %q", tc.body, st.Reached, st.Failed, st.Result)
		}
		if tc.failed && w.Describe("7", st) != "run 7 is TERMINATED (FAILED): boom" {
			t.Errorf("Describe = %q", w.Describe("7", st))
		}
	}
}
