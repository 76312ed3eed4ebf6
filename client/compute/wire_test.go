package compute

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/clienttest"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// A spark_context_id above 2^53 must arrive exactly as the server sent it:
// through Call into the struct, through Invoke as raw bytes, and back out
// through the struct's encoding.
func TestSparkContextIDPrecision(t *testing.T) {
	const big = "9007199254740993" // 2^53 + 1: float64 would make it ...992
	const max = "9223372036854775807"
	for _, id := range []string{big, max, "5631707659504820000"} {
		srv, c := clienttest.Stub(t, `{"cluster_id":"0101-abc","spark_context_id":`+id+`,"state":"RUNNING"}`)
		got, err := ClustersGet.Call(context.Background(), c, &GetClusterRequest{ClusterID: "0101-abc"})
		if err != nil {
			t.Fatal(err)
		}
		if srv.Method != http.MethodGet || srv.Path != "/api/2.1/clusters/get" || srv.Query.Get("cluster_id") != "0101-abc" || len(srv.Body) != 0 {
			t.Errorf("sent %s %s ?%s body %q", srv.Method, srv.Path, srv.Query.Encode(), srv.Body)
		}
		if got.SparkContextID == nil {
			t.Fatal("spark_context_id lost")
		}
		if s := jsonInt(*got.SparkContextID); s != id {
			t.Errorf("Call: spark_context_id = %s, want %s", s, id)
		}
		out, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), `"spark_context_id":`+id) {
			t.Errorf("re-encoded %s lacks spark_context_id %s", out, id)
		}
		raw, err := ClustersGet.Invoke(context.Background(), c, json.RawMessage(`{"cluster_id":"0101-abc"}`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), `"spark_context_id":`+id) {
			t.Errorf("Invoke returned %s, lacks %s", raw, id)
		}
	}
}

func jsonInt(v int64) string { b, _ := json.Marshal(v); return string(b) }

// Large int64s in a request body (event times, legacy offsets) go out as
// the exact literals.
func TestEventsRequestInt64OnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"events":[{"cluster_id":"c1","timestamp":9007199254740993,"type":"RUNNING","details":{"current_num_workers":2}}],"next_page_token":"t2"}`)
	resp, err := ClustersEvents.Call(context.Background(), c, &GetEventsRequest{
		ClusterID:  "c1",
		StartTime:  client.Ptr(int64(9007199254740993)),
		EventTypes: []EventType{"RUNNING", "TERMINATING"},
		Order:      client.Ptr(GetEventsOrderAsc),
		PageSize:   client.Ptr(0),
	})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Method != http.MethodPost || srv.Path != "/api/2.1/clusters/events" || len(srv.Query) != 0 {
		t.Errorf("sent %s %s ?%s", srv.Method, srv.Path, srv.Query.Encode())
	}
	want := `{"cluster_id":"c1","event_types":["RUNNING","TERMINATING"],"order":"ASC","page_size":0,"start_time":9007199254740993}`
	if string(srv.Body) != want {
		t.Errorf("body\n got %s\nwant %s", srv.Body, want)
	}
	if len(resp.Events) != 1 || resp.Events[0].Timestamp == nil || *resp.Events[0].Timestamp != 9007199254740993 ||
		resp.NextPageToken == nil || *resp.NextPageToken != "t2" {
		t.Errorf("decoded %+v", resp)
	}
}

// A boolean Spark setting is sent as a boolean, num_workers 0 is sent (a
// single-node cluster), and unset fields are left out.
func TestCreateClusterOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"cluster_id":"0101-new"}`)
	resp, err := ClustersCreate.Call(context.Background(), c, &CreateClusterRequest{
		SparkVersion: "15.4.x-scala2.12",
		ClusterSettings: ClusterSettings{
			NodeTypeID: client.Ptr("Standard_DS3_v2"),
			NumWorkers: client.Ptr(0),
			SparkConf:  map[string]ConfValue{"spark.speculation": ConfBool(true), "spark.master": ConfString("local[*]")},
			CustomTags: ConfMap(map[string]string{"team": "data"}),
			AzureAttributes: &AzureAttributes{
				Availability:    client.Ptr(AzureAvailability("SPOT_WITH_FALLBACK_AZURE")),
				SpotBidMaxPrice: client.Ptr(-1.0),
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"azure_attributes":{"availability":"SPOT_WITH_FALLBACK_AZURE","spot_bid_max_price":-1},` +
		`"custom_tags":{"team":"data"},"node_type_id":"Standard_DS3_v2","num_workers":0,` +
		`"spark_conf":{"spark.master":"local[*]","spark.speculation":true},"spark_version":"15.4.x-scala2.12"}`
	if srv.Method != http.MethodPost || srv.Path != "/api/2.1/clusters/create" || string(srv.Body) != want {
		t.Errorf("sent %s %s\n got %s\nwant %s", srv.Method, srv.Path, srv.Body, want)
	}
	if resp.ClusterID == nil || *resp.ClusterID != "0101-new" {
		t.Errorf("cluster_id = %v", resp.ClusterID)
	}
}

// GET arguments travel in the query string: nested filters with dotted
// names and repeated keys, as the Databricks query convention has it.
func TestQueryArgumentsOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"clusters":[],"next_page_token":""}`)
	_, err := ClustersList.Call(context.Background(), c, &ListClustersRequest{
		FilterBy: &ListClustersFilterBy{ClusterStates: []State{StateRunning, StatePending}, IsPinned: client.Ptr(false)},
		PageSize: client.Ptr(20),
		SortBy:   &ListClustersSortBy{Field: client.Ptr(ListClustersSortField("CLUSTER_NAME"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"filter_by.cluster_states": {"RUNNING", "PENDING"},
		"filter_by.is_pinned":      {"false"},
		"page_size":                {"20"},
		"sort_by.field":            {"CLUSTER_NAME"},
	}
	if srv.Method != http.MethodGet || srv.Path != "/api/2.1/clusters/list" || !reflect.DeepEqual(srv.Query, want) || len(srv.Body) != 0 {
		t.Errorf("sent %s %s ?%v body %q", srv.Method, srv.Path, srv.Query, srv.Body)
	}

}

func TestConfValue(t *testing.T) {
	var m map[string]ConfValue
	in := `{"a":"x y","b":true,"c":4,"d":0.50,"e":"","f":"\"quoted\"","g":null}`
	if err := json.Unmarshal([]byte(in), &m); err != nil {
		t.Fatal(err)
	}
	strs := ConfStrings(m)
	want := map[string]string{"a": "x y", "b": "true", "c": "4", "d": "0.50", "e": "", "f": `"quoted"`, "g": "null"}
	if !reflect.DeepEqual(strs, want) {
		t.Errorf("ConfStrings = %q, want %q", strs, want)
	}
	if m["b"].IsString() || !m["a"].IsString() || m["b"] != ConfBool(true) || m["c"] != ConfNumber("4") || m["a"] != ConfString("x y") {
		t.Errorf("kinds or equality wrong: %#v", m)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if d := fixtures.SemanticDiff([]byte(in), out); len(d) != 0 {
		t.Errorf("round trip: %v (%s)", d, out)
	}
	if string(out) != `{"a":"x y","b":true,"c":4,"d":0.50,"e":"","f":"\"quoted\"","g":null}` {
		t.Errorf("encoded %s", out)
	}
	var zero ConfValue
	if b, _ := json.Marshal(zero); string(b) != `""` || zero.String() != "" || !zero.IsString() {
		t.Errorf("zero value encodes as %s", b)
	}
	if v := ConfNumber("1e3"); v.IsString() || v.String() != "1e3" {
		t.Errorf("ConfNumber(1e3) = %#v", v)
	}
	for _, bad := range []json.Number{"", "abc", "true", "null", "1 2", `"1"`} {
		if v := ConfNumber(bad); !v.IsString() || v.String() != string(bad) {
			t.Errorf("ConfNumber(%q) = %#v, want the string %q", bad, v, bad)
		}
	}
	if ConfMap(nil) != nil || ConfStrings(nil) != nil {
		t.Error("nil maps must stay nil")
	}
	if got := (ConfValue{}).SchemaTypes(); !reflect.DeepEqual(got, []string{"string", "boolean", "number"}) {
		t.Errorf("SchemaTypes = %v", got)
	}
}

// TestEnumConstants checks that enum-typed constants are listed by their
// type, and that the long enums are complete.
func TestEnumConstants(t *testing.T) {
	for _, c := range []interface{ EnumValues() []string }{
		StateRunning, StateTerminated, DataSecurityModeDedicated, DataSecurityModeStandard, DataSecurityModeUserIsolation,
		RuntimeEnginePhoton, KindClassicPreview, GetEventsOrderAsc,
	} {
		v := reflect.ValueOf(c).String()
		found := false
		for _, x := range c.EnumValues() {
			found = found || x == v
		}
		if !found {
			t.Errorf("constant %T(%q) is not in its EnumValues", c, v)
		}
	}
	if n := len(TerminationCode("").EnumValues()); n != 187 {
		t.Errorf("TerminationCode has %d values, the SDK v0.175.0 has 187", n)
	}
	if n := len(EventType("").EnumValues()); n != 35 {
		t.Errorf("EventType has %d values, the SDK v0.175.0 has 35", n)
	}
}
