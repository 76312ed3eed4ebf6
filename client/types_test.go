package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// fxEndpoint is one row of the endpoint table, written from the SDK's
// impl.go (service/compute clustersImpl, service/workspace secretsImpl,
// service/settings tokensImpl) so that a typo in a declaration shows up.
type fxEndpoint struct {
	op                    Operation
	service, name, method string
	path                  string
	idempotent            bool
}

var fxEndpoints = []fxEndpoint{
	{TokensCreate, "tokens", "create", "POST", "/api/2.0/token/create", false},
	{TokensDelete, "tokens", "delete", "POST", "/api/2.0/token/delete", true},
	{TokensList, "tokens", "list", "GET", "/api/2.0/token/list", false},

	{ClustersChangeOwner, "clusters", "change_owner", "POST", "/api/2.1/clusters/change-owner", true},
	{ClustersCreate, "clusters", "create", "POST", "/api/2.1/clusters/create", false},
	{ClustersDelete, "clusters", "delete", "POST", "/api/2.1/clusters/delete", true},
	{ClustersEdit, "clusters", "edit", "POST", "/api/2.1/clusters/edit", false},
	{ClustersEvents, "clusters", "events", "POST", "/api/2.1/clusters/events", true},
	{ClustersGet, "clusters", "get", "GET", "/api/2.1/clusters/get", false},
	{ClustersList, "clusters", "list", "GET", "/api/2.1/clusters/list", false},
	{ClustersListNodeTypes, "clusters", "list_node_types", "GET", "/api/2.1/clusters/list-node-types", false},
	{ClustersListZones, "clusters", "list_zones", "GET", "/api/2.1/clusters/list-zones", false},
	{ClustersPermanentDelete, "clusters", "permanent_delete", "POST", "/api/2.1/clusters/permanent-delete", true},
	{ClustersPin, "clusters", "pin", "POST", "/api/2.1/clusters/pin", true},
	{ClustersResize, "clusters", "resize", "POST", "/api/2.1/clusters/resize", true},
	{ClustersRestart, "clusters", "restart", "POST", "/api/2.1/clusters/restart", false},
	{ClustersSparkVersions, "clusters", "spark_versions", "GET", "/api/2.1/clusters/spark-versions", false},
	{ClustersStart, "clusters", "start", "POST", "/api/2.1/clusters/start", true},
	{ClustersUnpin, "clusters", "unpin", "POST", "/api/2.1/clusters/unpin", true},
	{ClustersUpdate, "clusters", "update", "POST", "/api/2.1/clusters/update", false},

	{SecretsCreateScope, "secrets", "create_scope", "POST", "/api/2.0/secrets/scopes/create", true},
	{SecretsDeleteAcl, "secrets", "delete_acl", "POST", "/api/2.0/secrets/acls/delete", true},
	{SecretsDeleteScope, "secrets", "delete_scope", "POST", "/api/2.0/secrets/scopes/delete", true},
	{SecretsDeleteSecret, "secrets", "delete_secret", "POST", "/api/2.0/secrets/delete", true},
	{SecretsGetAcl, "secrets", "get_acl", "GET", "/api/2.0/secrets/acls/get", false},
	{SecretsListAcls, "secrets", "list_acls", "GET", "/api/2.0/secrets/acls/list", false},
	{SecretsListScopes, "secrets", "list_scopes", "GET", "/api/2.0/secrets/scopes/list", false},
	{SecretsListSecrets, "secrets", "list_secrets", "GET", "/api/2.0/secrets/list", false},
	{SecretsPutAcl, "secrets", "put_acl", "POST", "/api/2.0/secrets/acls/put", true},
	{SecretsPutSecret, "secrets", "put_secret", "POST", "/api/2.0/secrets/put", true},
}

// fxOperations is every operation declared in tokens.go, clusters.go and
// secrets.go.
func fxOperations() []Operation {
	ops := make([]Operation, len(fxEndpoints))
	for i, e := range fxEndpoints {
		ops[i] = e.op
	}
	return ops
}

var fxToolName = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

func TestEndpointTable(t *testing.T) {
	names := map[string]bool{}
	routes := map[string]bool{}
	for _, e := range fxEndpoints {
		var info OperationInfo
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s_%s: Info panicked: %v", e.service, e.name, r)
				}
			}()
			info = e.op.Info()
		}()
		full := e.service + "_" + e.name
		if info.Service != e.service || info.Name != e.name || info.Method != e.method ||
			info.Path != e.path || info.Idempotent != e.idempotent {
			t.Errorf("%s: declared %s_%s %s %s idempotent=%v, want %s %s idempotent=%v",
				full, info.Service, info.Name, info.Method, info.Path, info.Idempotent, e.method, e.path, e.idempotent)
		}
		if info.FullName() != full || !fxToolName.MatchString(full) {
			t.Errorf("%s: tool name %q is not valid", full, info.FullName())
		}
		if names[full] {
			t.Errorf("%s: declared twice", full)
		}
		names[full] = true
		route := info.Method + " " + info.Path
		if routes[route] {
			t.Errorf("%s: route %s declared twice", full, route)
		}
		routes[route] = true
		if info.Request == nil || info.Request.Kind() != reflect.Struct || info.Response == nil || info.Response.Kind() != reflect.Struct {
			t.Errorf("%s: request %v / response %v must be struct types", full, info.Request, info.Response)
			continue
		}
		// None of these operations has a path parameter: GET arguments
		// travel in the query string, POST arguments in the body.
		wantLoc := InBody
		if info.Method == http.MethodGet {
			wantLoc = InQuery
		}
		for name, loc := range info.Params {
			if loc != wantLoc {
				t.Errorf("%s: field %s travels in %s, want %s", full, name, loc, wantLoc)
			}
		}
	}
}

// TestAPIStructConventions checks every struct reachable from the declared
// requests and responses: it keeps unknown members (Extra), every field has
// a doc, optional fields are pointers/maps/slices tagged omitzero and
// required ones are plain values without omit options.
func TestAPIStructConventions(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var check func(t reflect.Type, from string)
	var checkFields func(typ, owner reflect.Type)
	rawMap := reflect.TypeFor[map[string]json.RawMessage]()
	check = func(typ reflect.Type, from string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ == reflect.TypeFor[ConfValue]() {
			return
		}
		seen[typ] = true
		extra, ok := typ.FieldByName("Extra")
		if !ok || extra.Type != rawMap || extra.Tag.Get("json") != "-" {
			t.Errorf("%s (via %s): no Extra map[string]json.RawMessage `json:\"-\"`", typ, from)
		}
		if _, ok := reflect.New(typ).Interface().(json.Unmarshaler); !ok {
			t.Errorf("%s: no generated UnmarshalJSON; run go generate ./client/", typ)
		}
		checkFields(typ, typ)
	}
	// checkFields applies the field rules to typ's fields, and to those of
	// field groups it embeds: structs without Extra or JSON methods of their
	// own (which would be promoted and take over the encoding of owner).
	checkFields = func(typ, owner reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Name == "Extra" {
				continue
			}
			if f.Anonymous {
				_, hasExtra := f.Type.FieldByName("Extra")
				_, marshals := reflect.New(f.Type).Interface().(json.Marshaler)
				_, unmarshals := reflect.New(f.Type).Interface().(json.Unmarshaler)
				if f.Type.Kind() != reflect.Struct || hasExtra || marshals || unmarshals || f.Tag.Get("json") != "" {
					t.Errorf("%s.%s: an embedded struct must be a plain field group (no Extra, no JSON methods, no json tag)", owner, f.Name)
					continue
				}
				checkFields(f.Type, owner)
				continue
			}
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" || name == "-" {
				t.Errorf("%s.%s: json tag %q has no name", owner, f.Name, tag)
			}
			if strings.TrimSpace(f.Tag.Get("doc")) == "" {
				t.Errorf("%s.%s: no doc tag", owner, f.Name)
			}
			optional := f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Map || f.Type.Kind() == reflect.Slice
			switch {
			case optional && opts != "omitzero":
				t.Errorf("%s.%s: optional field must be tagged exactly %q, got %q", owner, f.Name, name+",omitzero", tag)
			case !optional && opts != "":
				t.Errorf("%s.%s: required field must have no omit option, got %q", owner, f.Name, tag)
			}
			check(f.Type, owner.String()+"."+f.Name)
		}
	}
	for _, e := range fxEndpoints {
		info := e.op.Info()
		check(info.Request, info.FullName()+" request")
		check(info.Response, info.FullName()+" response")
	}
	if len(seen) < 60 {
		t.Errorf("only %d struct types reached; the walk is broken", len(seen))
	}
}

// TestEnumTypes checks that enum values are unique, non-empty and that
// enum-typed constants are listed by their type.
func TestEnumTypes(t *testing.T) {
	enums := []fxEnum{
		State(""), DataSecurityMode(""), DependencyMode(""), RuntimeEngine(""), Kind(""), ClusterSource(""),
		AwsAvailability(""), AzureAvailability(""), GcpAvailability(""), EbsVolumeType(""),
		ConfidentialComputeType(""), TerminationCode(""), TerminationType(""), EventType(""), EventCause(""),
		DataPlaneEventType(""), InitScriptExecutionStatus(""), GetEventsOrder(""), ListClustersSortDirection(""),
		ListClustersSortField(""), CloudProviderNodeStatus(""), ScopeBackendType(""), AclPermission(""),
		AutoscopeState(""),
	}
	for _, e := range enums {
		vals := e.EnumValues()
		if len(vals) == 0 {
			t.Errorf("%T: no values", e)
		}
		seen := map[string]bool{}
		for _, v := range vals {
			if v == "" || seen[v] || strings.TrimSpace(v) != v {
				t.Errorf("%T: bad or repeated value %q", e, v)
			}
			seen[v] = true
		}
	}
	for _, c := range []fxEnum{
		StateRunning, StateTerminated, DataSecurityModeDedicated, DataSecurityModeStandard, DataSecurityModeUserIsolation,
		RuntimeEnginePhoton, KindClassicPreview, GetEventsOrderAsc, ScopeBackendAzureKeyvault, ScopeBackendDatabricks,
		AclPermissionRead, AclPermissionWrite, AclPermissionManage,
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

// fxServer is a stub workspace that records each request and answers with
// the given body.
type fxServer struct {
	*httptest.Server
	method, path string
	query        url.Values
	body         []byte
}

func fxNewServer(t *testing.T, respond string) (*fxServer, *Client) {
	t.Helper()
	s := &fxServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.method, s.path, s.query = r.Method, r.URL.Path, r.URL.Query()
		s.body, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, respond)
	}))
	t.Cleanup(s.Close)
	c, err := New(&Config{Host: s.URL, Token: "dapi-fixture-test"})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// A spark_context_id above 2^53 must arrive exactly as the server sent it:
// through Call into the struct, through Invoke as raw bytes, and back out
// through the struct's encoding.
func TestSparkContextIDPrecision(t *testing.T) {
	const big = "9007199254740993" // 2^53 + 1: float64 would make it ...992
	const max = "9223372036854775807"
	for _, id := range []string{big, max, "5631707659504820000"} {
		srv, c := fxNewServer(t, `{"cluster_id":"0101-abc","spark_context_id":`+id+`,"state":"RUNNING"}`)
		got, err := ClustersGet.Call(context.Background(), c, &GetClusterRequest{ClusterID: "0101-abc"})
		if err != nil {
			t.Fatal(err)
		}
		if srv.method != http.MethodGet || srv.path != "/api/2.1/clusters/get" || srv.query.Get("cluster_id") != "0101-abc" || len(srv.body) != 0 {
			t.Errorf("sent %s %s ?%s body %q", srv.method, srv.path, srv.query.Encode(), srv.body)
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
	srv, c := fxNewServer(t, `{"events":[{"cluster_id":"c1","timestamp":9007199254740993,"type":"RUNNING","details":{"current_num_workers":2}}],"next_page_token":"t2"}`)
	resp, err := ClustersEvents.Call(context.Background(), c, &GetEventsRequest{
		ClusterID:  "c1",
		StartTime:  Ptr(int64(9007199254740993)),
		EventTypes: []EventType{"RUNNING", "TERMINATING"},
		Order:      Ptr(GetEventsOrderAsc),
		PageSize:   Ptr(0),
	})
	if err != nil {
		t.Fatal(err)
	}
	if srv.method != http.MethodPost || srv.path != "/api/2.1/clusters/events" || len(srv.query) != 0 {
		t.Errorf("sent %s %s ?%s", srv.method, srv.path, srv.query.Encode())
	}
	want := `{"cluster_id":"c1","event_types":["RUNNING","TERMINATING"],"order":"ASC","page_size":0,"start_time":9007199254740993}`
	if string(srv.body) != want {
		t.Errorf("body\n got %s\nwant %s", srv.body, want)
	}
	if len(resp.Events) != 1 || resp.Events[0].Timestamp == nil || *resp.Events[0].Timestamp != 9007199254740993 ||
		resp.NextPageToken == nil || *resp.NextPageToken != "t2" {
		t.Errorf("decoded %+v", resp)
	}
}

// A boolean Spark setting is sent as a boolean, num_workers 0 is sent (a
// single-node cluster), and unset fields are left out.
func TestCreateClusterOnTheWire(t *testing.T) {
	srv, c := fxNewServer(t, `{"cluster_id":"0101-new"}`)
	resp, err := ClustersCreate.Call(context.Background(), c, &CreateClusterRequest{
		SparkVersion: "15.4.x-scala2.12",
		ClusterSettings: ClusterSettings{
			NodeTypeID: Ptr("Standard_DS3_v2"),
			NumWorkers: Ptr(0),
			SparkConf:  map[string]ConfValue{"spark.speculation": ConfBool(true), "spark.master": ConfString("local[*]")},
			CustomTags: ConfMap(map[string]string{"team": "data"}),
			AzureAttributes: &AzureAttributes{
				Availability:    Ptr(AzureAvailability("SPOT_WITH_FALLBACK_AZURE")),
				SpotBidMaxPrice: Ptr(-1.0),
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"azure_attributes":{"availability":"SPOT_WITH_FALLBACK_AZURE","spot_bid_max_price":-1},` +
		`"custom_tags":{"team":"data"},"node_type_id":"Standard_DS3_v2","num_workers":0,` +
		`"spark_conf":{"spark.master":"local[*]","spark.speculation":true},"spark_version":"15.4.x-scala2.12"}`
	if srv.method != http.MethodPost || srv.path != "/api/2.1/clusters/create" || string(srv.body) != want {
		t.Errorf("sent %s %s\n got %s\nwant %s", srv.method, srv.path, srv.body, want)
	}
	if resp.ClusterID == nil || *resp.ClusterID != "0101-new" {
		t.Errorf("cluster_id = %v", resp.ClusterID)
	}
}

// GET arguments travel in the query string: nested filters with dotted
// names and repeated keys, as the Databricks query convention has it.
func TestQueryArgumentsOnTheWire(t *testing.T) {
	srv, c := fxNewServer(t, `{"clusters":[],"next_page_token":""}`)
	_, err := ClustersList.Call(context.Background(), c, &ListClustersRequest{
		FilterBy: &ListClustersFilterBy{ClusterStates: []State{StateRunning, StatePending}, IsPinned: Ptr(false)},
		PageSize: Ptr(20),
		SortBy:   &ListClustersSortBy{Field: Ptr(ListClustersSortField("CLUSTER_NAME"))},
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
	if srv.method != http.MethodGet || srv.path != "/api/2.1/clusters/list" || !reflect.DeepEqual(srv.query, want) || len(srv.body) != 0 {
		t.Errorf("sent %s %s ?%v body %q", srv.method, srv.path, srv.query, srv.body)
	}

	srv, c = fxNewServer(t, `{"principal":"data-scientists","permission":"READ"}`)
	acl, err := SecretsGetAcl.Call(context.Background(), c, &GetAclRequest{Scope: "my scope", Principal: "data-scientists"})
	if err != nil {
		t.Fatal(err)
	}
	if srv.path != "/api/2.0/secrets/acls/get" || srv.query.Get("scope") != "my scope" || srv.query.Get("principal") != "data-scientists" {
		t.Errorf("sent %s ?%v", srv.path, srv.query)
	}
	if acl.Permission == nil || *acl.Permission != AclPermissionRead {
		t.Errorf("permission = %v", acl.Permission)
	}
}

// The ACL list keeps the documented-but-unused "acls" member in Extra, so a
// workspace answering that way loses nothing.
func TestListAclsKeepsAcls(t *testing.T) {
	srv, c := fxNewServer(t, `{"acls":[{"principal":"admins","permission":"MANAGE"}]}`)
	resp, err := SecretsListAcls.Call(context.Background(), c, &ListAclsRequest{Scope: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if srv.query.Get("scope") != "s" {
		t.Errorf("query %v", srv.query)
	}
	if len(resp.Items) != 0 || string(resp.Extra["acls"]) != `[{"principal":"admins","permission":"MANAGE"}]` {
		t.Errorf("items %v extra %s", resp.Items, resp.Extra["acls"])
	}
	out, _ := json.Marshal(resp)
	if string(out) != `{"acls":[{"principal":"admins","permission":"MANAGE"}]}` {
		t.Errorf("re-encoded %s", out)
	}
}

// put_secret sends exactly one value field; the other stays absent.
func TestPutSecretOnTheWire(t *testing.T) {
	srv, c := fxNewServer(t, `{}`)
	if _, err := SecretsPutSecret.Call(context.Background(), c, &PutSecretRequest{Scope: "s", Key: "k", BytesValue: Ptr("AAEC")}); err != nil {
		t.Fatal(err)
	}
	if want := `{"bytes_value":"AAEC","key":"k","scope":"s"}`; string(srv.body) != want || srv.path != "/api/2.0/secrets/put" {
		t.Errorf("sent %s %s, want body %s", srv.path, srv.body, want)
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
	if d := fxSemanticDiff([]byte(in), out); len(d) != 0 {
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
