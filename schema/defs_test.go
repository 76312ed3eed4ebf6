package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
	santhosh "github.com/santhosh-tekuri/jsonschema/v6"
)

// A job-like shape: a task may run a for_each over another task, which
// may do it again, and every task may carry the same cluster spec.
type jobTask struct {
	TaskKey    string          `json:"task_key" doc:"Task key."`
	NewCluster *jobCluster     `json:"new_cluster,omitzero" doc:"Cluster for this task."`
	ForEach    *jobForEachTask `json:"for_each_task,omitzero" doc:"Run task over inputs."`
}

type jobForEachTask struct {
	Inputs string  `json:"inputs" doc:"Inputs."`
	Task   jobTask `json:"task" doc:"The task to repeat."`
}

type jobCluster struct {
	NumWorkers int32  `json:"num_workers" doc:"Workers."`
	Version    string `json:"spark_version" doc:"Version."`
}

type submitJob struct {
	Name       string      `json:"run_name,omitzero" doc:"Run name."`
	Tasks      []jobTask   `json:"tasks" doc:"Tasks."`
	JobCluster *jobCluster `json:"job_cluster,omitzero" doc:"Shared cluster."`
	Notify     *jobNotify  `json:"notify,omitzero" doc:"Who hears of it."`
}

type jobNotify struct {
	OnFailure []string `json:"on_failure,omitzero" doc:"Emails."`
}

func defsOf(t *testing.T, s json.RawMessage) map[string]any {
	t.Helper()
	var m struct {
		Defs map[string]any `json:"$defs"`
	}
	if err := json.Unmarshal(s, &m); err != nil {
		t.Fatal(err)
	}
	return m.Defs
}

// TestRecursiveAndRepeatedTypesInDefs checks that a recursive type (the
// task, through for_each_task) and a repeated one (the cluster, per task
// and shared) sit once in $defs, while a type used once (notify) is
// written in place; and that the result validates as it should, with our
// validator and with a reference implementation.
func TestRecursiveAndRepeatedTypesInDefs(t *testing.T) {
	for _, output := range []bool{false, true} {
		s, err := build(reflect.TypeFor[submitJob](), output, "")
		if err != nil {
			t.Fatal(err)
		}
		defs := defsOf(t, s)
		var names []string
		for k := range defs {
			names = append(names, k)
		}
		if len(defs) != 2 || defs["jobTask"] == nil || defs["jobCluster"] == nil {
			t.Fatalf("output=%v: $defs has %v, want jobTask and jobCluster: %s", output, names, s)
		}
		for _, want := range []string{
			`"tasks":{"items":{"$ref":"#/$defs/jobTask"}`,
			`"job_cluster":{"$ref":"#/$defs/jobCluster"`,
			`"new_cluster":{"$ref":"#/$defs/jobCluster"`,
			`"task":{"$ref":"#/$defs/jobTask"`,
			`"notify":{"properties":{"on_failure"`,
			`"for_each_task":{"properties":{"inputs"`, // used once: inline, though it recurses through jobTask
		} {
			if !strings.Contains(string(s), want) {
				t.Errorf("output=%v: schema lacks %s: %s", output, want, s)
			}
		}
		if problems := PortabilityProblems(s); len(problems) > 0 {
			t.Errorf("output=%v: %v", output, problems)
		}
	}
	s, err := Input(reflect.TypeFor[submitJob]())
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewValidator(s)
	if err != nil {
		t.Fatal(err)
	}
	ref := referenceSchema(t, string(s))
	for _, c := range []struct {
		args string
		want string // "" when valid
	}{
		{`{"tasks":[{"task_key":"a","new_cluster":{"num_workers":1,"spark_version":"x"}}],"job_cluster":{"num_workers":2,"spark_version":"y"}}`, ""},
		{`{"tasks":[{"task_key":"a","for_each_task":{"inputs":"[1,2]","task":{"task_key":"b","for_each_task":{"inputs":"[3]","task":{"task_key":"c"}}}}}]}`, ""},
		{`{"tasks":[{"task_key":"a","for_each_task":{"inputs":"[1]","task":{"task_key":"b","for_each_task":{"inputs":"[3]","task":{"taskkey":"c"}}}}}]}`,
			"tasks[0].for_each_task.task.for_each_task.task.task_key: required property is missing (a string)"},
		{`{"tasks":[{"task_key":"a","for_each_task":{"inputs":"[1]","task":{"task_key":"b","new_cluster":{"num_workers":"1","spark_version":"x"}}}}]}`,
			`tasks[0].for_each_task.task.new_cluster.num_workers: expected an integer, got string "1"`},
	} {
		p := v.Validate(json.RawMessage(c.args))
		if (c.want == "") != (len(p) == 0) || (c.want != "" && !strings.Contains(p[0].String(), c.want)) {
			t.Errorf("%s: problems %v, want %q", c.args, p, c.want)
		}
		inst, _ := santhosh.UnmarshalJSON(strings.NewReader(c.args))
		if refOK := ref.Validate(inst) == nil; refOK != (c.want == "") {
			t.Errorf("%s: the reference validator accepts it: %v", c.args, refOK)
		}
	}
}

type linked struct {
	Value int64   `json:"value" doc:"Value."`
	Next  *linked `json:"next,omitzero" doc:"The next one."`
}

// TestRecursiveRoot checks a type that contains itself: the root stays an
// object with properties, as MCP needs, and its definition is in $defs for
// the references.
func TestRecursiveRoot(t *testing.T) {
	s, err := Input(reflect.TypeFor[linked]())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"$defs":{"linked":{"properties":{"value":{"type":"integer","description":"Value."},"next":{"$ref":"#/$defs/linked","description":"The next one."}},"additionalProperties":false,"type":"object","required":["value"]}},` +
		`"properties":{"value":{"type":"integer","description":"Value."},"next":{"$ref":"#/$defs/linked","description":"The next one."}},"additionalProperties":false,"type":"object","required":["value"]}`
	if string(s) != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
	v, err := NewValidator(s)
	if err != nil {
		t.Fatal(err)
	}
	if p := v.Validate(json.RawMessage(`{"value":1,"next":{"value":2,"next":{"value":"3"}}}`)); len(p) != 1 || p[0].Path != "next.next.value" {
		t.Errorf("problems = %v", p)
	}
}

// TestSingleUseTypesInline checks that a schema without repeated or
// recursive types is exactly what the reflector writes with every type
// inlined, as schemas were before $defs.
func TestSingleUseTypesInline(t *testing.T) {
	type once struct {
		Notify *jobNotify  `json:"notify,omitzero" doc:"Who hears of it."`
		C      *jobCluster `json:"c" doc:"A cluster."`
		Color  *color      `json:"color,omitzero" doc:"A color."`
		Tags   []string    `json:"tags,omitzero" doc:"Tags."`
	}
	for _, output := range []bool{false, true} {
		got, err := build(reflect.TypeFor[once](), output, "")
		if err != nil {
			t.Fatal(err)
		}
		r := &jsonschema.Reflector{Anonymous: true, DoNotReference: true, ExpandedStruct: true,
			AllowAdditionalProperties: output, Mapper: mapper, LookupComment: docTag}
		old := r.ReflectFromType(reflect.TypeFor[once]())
		old.Version = ""
		if output {
			walk(old, relax)
			walk(old, func(n *jsonschema.Schema) { n.Description = "" })
		}
		want, _ := json.Marshal(old)
		if string(got) != string(want) {
			t.Errorf("output=%v:\ngot  %s\nwant %s", output, got, want)
		}
	}
}

// sameName returns two distinct types that are both named "leaf".
func sameName() (reflect.Type, reflect.Type) {
	a := func() reflect.Type {
		type leaf struct {
			A string `json:"a" doc:"A."`
		}
		return reflect.TypeFor[leaf]()
	}()
	b := func() reflect.Type {
		type leaf struct {
			B int64 `json:"b" doc:"B."`
		}
		return reflect.TypeFor[leaf]()
	}()
	return a, b
}

// TestDefinitionNamesUnique checks that two types of one name get two
// definitions, and every reference resolves to the right one.
func TestDefinitionNamesUnique(t *testing.T) {
	a, b := sameName()
	typ := reflect.StructOf([]reflect.StructField{
		{Name: "A1", Type: a, Tag: `json:"a1" doc:"A1."`},
		{Name: "A2", Type: a, Tag: `json:"a2" doc:"A2."`},
		{Name: "B1", Type: b, Tag: `json:"b1" doc:"B1."`},
		{Name: "B2", Type: b, Tag: `json:"b2" doc:"B2."`},
	})
	s, err := Input(typ)
	if err != nil {
		t.Fatal(err)
	}
	if defs := defsOf(t, s); len(defs) != 2 {
		t.Fatalf("want 2 definitions: %s", s)
	}
	v, err := NewValidator(s)
	if err != nil {
		t.Fatal(err)
	}
	if p := v.Validate(json.RawMessage(`{"a1":{"a":"x"},"a2":{"a":"y"},"b1":{"b":1},"b2":{"b":2}}`)); len(p) != 0 {
		t.Errorf("%s: %v", s, p)
	}
	if p := v.Validate(json.RawMessage(`{"a1":{"b":1},"a2":{"a":"y"},"b1":{"b":1},"b2":{"a":"x"}}`)); len(p) != 4 {
		t.Errorf("%s: %v", s, p)
	}
}

func TestDefName(t *testing.T) {
	for in, want := range map[string]string{
		"ClusterSpec": "ClusterSpec",
		"Page[github.com/dbx-mcp/dbx-mcp/client.Cluster]":    "Page_client.Cluster",
		"Pair[github.com/a/b.X,map[string]github.com/c/d.Y]": "Pair_b.X_map_string_d.Y",
		"List[*github.com/dbx-mcp/dbx-mcp/client/jobs.Task]": "List_jobs.Task",
		"Wrap[struct { A string \"json:\\\"a\\\"\" }]":       "Wrap_struct_A_string_json_a",
		"Generic[github.com/x/y.Z[github.com/x/w.V]]":        "Generic_y.Z_w.V",
	} {
		if got := defName(in); got != want {
			t.Errorf("defName(%q) = %q, want %q", in, got, want)
		}
	}
}
