package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Wait says how to wait for the object an operation acted on to settle:
// which operation reads it, where its state is, and which states end the
// wait. It fits any resource: clusters (state), job runs
// (state.life_cycle_state), warehouses, pipelines (status.state), ...
type Wait struct {
	// Get reads the object; its arguments are IDFields.
	Get Operation
	// IDFields name the object's id(s), taken from the operation's answer
	// where present, else from its arguments.
	IDFields []string
	// State is the dotted JSON path of the state in Get's answer ("state",
	// "state.life_cycle_state").
	State string
	// Message is the dotted path of a human explanation of the state, if
	// the object has one ("state_message", "state.state_message").
	Message string
	// Noun names the object in messages ("cluster").
	Noun string
	// Until are the states that end the wait successfully.
	Until []string
	// FailOn are the states in which the wait has failed.
	FailOn []string
	// Result is the dotted path of the outcome an object reports once it
	// reached a state of Until ("state.result_state" of a job run), if it
	// has one; Failed are the outcomes that make such an end a failure all
	// the same (a run that finished FAILED, TIMEDOUT or CANCELED).
	Result string
	Failed []string
	// Parts, when the object is made of parts with states of their own (a
	// run's tasks), is the array member holding them; PartName and
	// PartState are the dotted paths of a part's name and state within it.
	// Describe then lists them ("tasks: ingest TERMINATED, report RUNNING").
	Parts, PartName, PartState string
}

// WaitStatus is where a wait stands.
type WaitStatus struct {
	// State, Message and Result (see Wait.Result) are read from the object.
	State, Message, Result string
	// Object is the last answer of Get.
	Object json.RawMessage
	// Reached is set when State is one of Until; Failed when one of
	// FailOn, or when Reached with a Result among Wait.Failed; neither, when
	// the time ran out first.
	Reached, Failed bool
}

// PollIntervals are the successive waits between reads of a Wait, the last
// repeated. Tests may shorten them.
var PollIntervals = []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 3 * time.Second, 5 * time.Second}

// IDs picks the object's ids from an operation's answer and arguments, as
// the JSON arguments of Get; ok is false when one is missing.
func (w *Wait) IDs(answer, args json.RawMessage) (json.RawMessage, bool) {
	ids := map[string]json.RawMessage{}
	for _, f := range w.IDFields {
		v := member(answer, f)
		if _, ok := scalarText(v); !ok {
			v = member(args, f)
		}
		if s, ok := scalarText(v); !ok || s == "" {
			return nil, false
		}
		ids[f] = v
	}
	b, err := json.Marshal(ids)
	return b, err == nil
}

// Poll reads the object named by ids (see IDs) until it reaches a state of
// Until or FailOn, or until deadline. progress, if not nil, is told each
// state on the way. An error is a failed read or the end of ctx.
func (w *Wait) Poll(ctx context.Context, c *Client, ids json.RawMessage, deadline time.Time, progress func(WaitStatus)) (WaitStatus, error) {
	for i := 0; ; i++ {
		cur, err := w.Get.Invoke(ctx, c, ids)
		if err != nil {
			return WaitStatus{}, err
		}
		st := WaitStatus{Object: cur, State: stringAt(cur, w.State), Message: stringAt(cur, w.Message), Result: stringAt(cur, w.Result)}
		st.Reached = slices.Contains(w.Until, st.State)
		st.Failed = slices.Contains(w.FailOn, st.State) || st.Reached && slices.Contains(w.Failed, st.Result)
		if st.Reached || st.Failed || !time.Now().Before(deadline) {
			return st, nil
		}
		if progress != nil {
			progress(st)
		}
		d := PollIntervals[min(i, len(PollIntervals)-1)]
		if left := time.Until(deadline); d > left {
			d = left
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return st, ctx.Err()
		case <-t.C:
		}
	}
}

// Describe says in words what the status is, naming the object by id.
func (w *Wait) Describe(id string, st WaitStatus) string {
	s := fmt.Sprintf("%s %s is %s", w.Noun, id, st.State)
	if st.Result != "" {
		s += " (" + st.Result + ")"
	}
	if st.Message != "" {
		s += ": " + st.Message
	}
	if parts := w.describeParts(st.Object); parts != "" {
		s += "; " + w.Parts + ": " + parts
	}
	return s
}

// describeParts names each part of obj with its state.
func (w *Wait) describeParts(obj json.RawMessage) string {
	if w.Parts == "" || w.PartState == "" {
		return ""
	}
	var parts []json.RawMessage
	if json.Unmarshal(member(obj, w.Parts), &parts) != nil {
		return ""
	}
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		name := stringAt(p, w.PartName)
		if name == "" {
			name = "?"
		}
		out = append(out, name+" "+stringAt(p, w.PartState))
	}
	return strings.Join(out, ", ")
}

// member reads a top-level member of a JSON object.
func member(obj json.RawMessage, name string) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return nil
	}
	return m[name]
}

// stringAt reads the string at a dotted path of a JSON object.
func stringAt(obj json.RawMessage, path string) string {
	if path == "" {
		return ""
	}
	cur := obj
	for part := range strings.SplitSeq(path, ".") {
		cur = member(cur, part)
		if len(bytes.TrimSpace(cur)) == 0 {
			return ""
		}
	}
	s, _ := scalarText(cur)
	return s
}
