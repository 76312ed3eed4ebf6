package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestTrimOutputKeepsTheTop(t *testing.T) {
	in := `{"type":"object","properties":{"clusters":{"type":"array","items":{"type":"object","properties":{"cluster_id":{"type":"string"},"spec":{"type":"object","properties":{"deep":{"type":"string"}}}}}},"next":{"type":"string"}}}`
	out, err := TrimOutput(json.RawMessage(in), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"object","properties":{"clusters":{"type":"array","items":{"type":"object","properties":{"cluster_id":{"type":"string"},"spec":{"type":"object"}}}},"next":{"type":"string"}}}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	// The trimmed schema accepts everything the full one does.
	full, _ := NewValidator(json.RawMessage(in))
	trimmed, _ := NewValidator(out)
	for _, v := range []string{`{"clusters":[{"cluster_id":"a","spec":{"deep":"x","more":1}}]}`, `{}`} {
		if len(full.Validate(json.RawMessage(v))) == 0 && len(trimmed.Validate(json.RawMessage(v))) != 0 {
			t.Errorf("%s: valid for the full schema, not for the trimmed one", v)
		}
	}
}

func TestTerseDescriptions(t *testing.T) {
	in := `{"type":"object","properties":{"a":{"type":"object","description":"Top. Kept whole.","properties":{"b":{"type":"string","description":"Deep, e.g. this. Gone."},"c":{"type":"array","items":{"type":"object","properties":{"d":{"type":"string","description":"No period at all"}}}}}}}}`
	out, err := TerseDescriptions(json.RawMessage(in), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"object","properties":{"a":{"type":"object","description":"Top. Kept whole.","properties":{"b":{"type":"string","description":"Deep, e.g. this."},"c":{"type":"array","items":{"type":"object","properties":{"d":{"type":"string","description":"No period at all"}}}}}}}}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestDeleteProperties(t *testing.T) {
	in := `{"type":"object","properties":{"aws_attributes":{"type":"object"},"init_scripts":{"type":"array","items":{"type":"object","properties":{"s3":{"type":"object"},"dbfs":{"type":"object"}},"required":["s3"]}},"name":{"type":"string"}},"required":["name","aws_attributes"]}`
	out, err := DeleteProperties(json.RawMessage(in), [][]string{{"aws_attributes"}, {"init_scripts", "[]", "s3"}, {"nothing", "here"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"object","properties":{"init_scripts":{"type":"array","items":{"type":"object","properties":{"dbfs":{"type":"object"}}}},"name":{"type":"string"}},"required":["name"]}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestCollapseProperties(t *testing.T) {
	in := `{"type":"object","properties":{"aws_attributes":{"type":"object","description":"AWS only.","properties":{"zone_id":{"type":"string"}},"additionalProperties":false},"init_scripts":{"type":"array","items":{"type":"object","properties":{"s3":{"type":"object","properties":{"destination":{"type":"string"}},"required":["destination"]}}}},"log":{"type":"object","properties":{"s3":{"$ref":"#/$defs/S3","description":"To S3."}}}},"$defs":{"S3":{"type":"object","properties":{"destination":{"type":"string"}}}}}`
	out, err := CollapseProperties(json.RawMessage(in), [][]string{{"aws_attributes"}, {"init_scripts", "[]", "s3"}, {"log", "s3"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"object","properties":{"aws_attributes":{"type":"object","description":"AWS only."},"init_scripts":{"type":"array","items":{"type":"object","properties":{"s3":{"type":"object"}}}},"log":{"type":"object","properties":{"s3":{"type":"object","description":"To S3."}}}}}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestTrimFollowsDefs(t *testing.T) {
	in := `{"type":"object","properties":{"a":{"$ref":"#/$defs/Info"},"list":{"type":"array","items":{"type":"object","properties":{"b":{"$ref":"#/$defs/Info"}}}}},"$defs":{"Info":{"type":"object","properties":{"x":{"type":"object","properties":{"deep":{"type":"string"}}}}},"Unused":{"type":"string"}}}`
	out, err := TrimOutput(json.RawMessage(in), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"object","properties":{"a":{"type":"object","properties":{"x":{"type":"object"}}},"list":{"type":"array","items":{"type":"object","properties":{"b":{"type":"object"}}}}}}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	del, err := DeleteProperties(json.RawMessage(`{"type":"object","properties":{"s3":{"$ref":"#/$defs/S3"},"log":{"type":"object","properties":{"s3":{"$ref":"#/$defs/S3"}}}},"$defs":{"S3":{"type":"object"}}}`), [][]string{{"s3"}, {"log", "s3"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(del) != `{"type":"object","properties":{"log":{"type":"object","properties":{}}}}` {
		t.Errorf("unreferenced definitions kept: %s", del)
	}
}

// A path may lead through a recursive type, which sits in $defs: the change
// is made in the definition, once for all its uses.
func TestPathsFollowRefsIntoDefs(t *testing.T) {
	in := `{"type":"object","properties":{"tasks":{"type":"array","items":{"$ref":"#/$defs/Task"}}},"$defs":{` +
		`"Task":{"type":"object","properties":{"new_cluster":{"$ref":"#/$defs/Spec","description":"The cluster spec."},"each":{"type":"object","properties":{"task":{"$ref":"#/$defs/Task"}}}}},` +
		`"Spec":{"type":"object","properties":{"aws":{"type":"object"},"name":{"type":"string"}}}}}`
	out, err := CollapseProperties(json.RawMessage(in), [][]string{{"tasks", "[]", "new_cluster"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"object","properties":{"tasks":{"type":"array","items":{"$ref":"#/$defs/Task"}}},"$defs":{` +
		`"Task":{"type":"object","properties":{"new_cluster":{"type":"object","description":"The cluster spec."},"each":{"type":"object","properties":{"task":{"$ref":"#/$defs/Task"}}}}}}}`
	if string(out) != want {
		t.Errorf("collapse\n got %s\nwant %s", out, want)
	}
	out, err = DeleteProperties(json.RawMessage(in), [][]string{{"tasks", "[]", "each", "task", "new_cluster", "aws"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), `"aws"`) || !strings.Contains(string(out), `"name":{"type":"string"}`) {
		t.Errorf("delete through refs: %s", out)
	}
}

// A collapsed array keeps the type of its items, which portable schemas need.
func TestCollapseArrayKeepsItemType(t *testing.T) {
	in := `{"type":"object","properties":{"libs":{"type":"array","description":"Libraries.","items":{"$ref":"#/$defs/Lib"}},"acl":{"type":"array","items":{"type":"object","properties":{"user":{"type":"string"}}}}},"$defs":{"Lib":{"type":"object","properties":{"jar":{"type":"string"}}}}}`
	out, err := CollapseProperties(json.RawMessage(in), [][]string{{"libs"}, {"acl"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"object","properties":{"libs":{"type":"array","description":"Libraries.","items":{"type":"object"}},"acl":{"type":"array","items":{"type":"object"}}}}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

// Any JSON value refers to itself through its arrays' items: trimming an
// output that holds one ends, keeps the reference and stays portable.
func TestTrimOutputWithAnyJSONValue(t *testing.T) {
	type resp struct {
		Data  json.RawMessage   `json:"data,omitzero" doc:"Data."`
		Items []json.RawMessage `json:"items,omitzero" doc:"Items."`
	}
	out, err := Output(reflect.TypeFor[resp]())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan json.RawMessage, 1)
	go func() {
		trimmed, err := TrimOutput(out, 2)
		if err != nil {
			t.Error(err)
		}
		done <- trimmed
	}()
	select {
	case trimmed := <-done:
		if p := PortabilityProblems(trimmed); len(p) > 0 {
			t.Errorf("trimmed schema %s: %v", trimmed, p)
		}
		v, err := NewValidator(trimmed)
		if err != nil {
			t.Fatal(err)
		}
		if p := v.Validate(json.RawMessage(`{"data":[[1,{"a":null}]],"items":["x",2]}`)); len(p) > 0 {
			t.Errorf("a valid answer is refused: %v", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("TrimOutput does not end on a self-referring definition")
	}
}
