package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestServicesEndToEnd drives the services beyond clusters, secrets and
// tokens (workspace, jobs, DBFS, identity, libraries, permissions) the way
// an agent would, with a real MCP client over stdio and over streamable
// HTTP at once, each against its own `serve --emulator`. Every successful
// result's structuredContent is checked against the tool's outputSchema
// (toolSession.call, callProgress).
func TestServicesEndToEnd(t *testing.T) {
	// A budget above the 1 MB DBFS reads the scenario makes: the budget has
	// its own test (TestOutputBudgetEndToEnd).
	args := []string{"--emulator", "--emulator-delay", "300ms", "--toolsets", "all", "--max-result-bytes", "16777216"}
	t.Run("stdio", func(t *testing.T) {
		t.Parallel()
		c, err := mcpclient.NewStdioMCPClient(binPath, cleanEnv(t), append([]string{"serve"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		// Drain the server's log so it can never block on a full pipe.
		drained := make(chan struct{})
		var log bytes.Buffer
		if st, ok := c.GetTransport().(*transport.Stdio); ok {
			go func() {
				defer close(drained)
				var buf [4096]byte
				for {
					n, err := st.Stderr().Read(buf[:])
					if log.Len() < 1<<20 {
						log.Write(buf[:n])
					}
					if err != nil {
						return
					}
				}
			}()
		} else {
			close(drained)
		}
		defer func() {
			c.Close()
			select {
			case <-drained:
			case <-time.After(5 * time.Second):
				return
			}
			if t.Failed() {
				t.Logf("server log:\n%s", log.String())
			}
		}()
		// NewStdioMCPClient starts the transport but not the client, whose
		// Start is what hands notifications to OnNotification handlers;
		// the transport's Start is a no-op the second time.
		if err := c.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		servicesScenario(t, c)
	})
	t.Run("http", func(t *testing.T) {
		t.Parallel()
		url := startHTTPServer(t, cleanEnv(t), args...)
		c, err := mcpclient.NewStreamableHttpClient(url, transport.WithHTTPTimeout(30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		servicesScenario(t, c)
	})
}

// progressLog collects the progress notifications a client receives, by
// progress token.
type progressLog struct {
	mu       sync.Mutex
	messages map[string][]string
}

func (p *progressLog) handle(n mcp.JSONRPCNotification) {
	if n.Method != string(mcp.MethodNotificationProgress) {
		return
	}
	tok := fmt.Sprint(n.Params.AdditionalFields["progressToken"])
	msg, _ := n.Params.AdditionalFields["message"].(string)
	p.mu.Lock()
	p.messages[tok] = append(p.messages[tok], msg)
	p.mu.Unlock()
}

func (p *progressLog) of(tok string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.messages[tok])
}

// callProgress is toolSession.call with a progress token: it returns the
// structured content of a successful result (validated against the
// tool's outputSchema) or the error result, and the progress messages
// that came for the call.
func (s *toolSession) callProgress(p *progressLog, name, args string) (json.RawMessage, *mcp.CallToolResult, []string) {
	s.t.Helper()
	tok := fmt.Sprintf("%s-%d", name, time.Now().UnixNano())
	raw, res := s.callMeta(name, args, &mcp.Meta{ProgressToken: tok})
	// A notification sent before the result may be handled just after it.
	time.Sleep(20 * time.Millisecond)
	if !res.IsError {
		s.sameText(name, res, raw)
	}
	return raw, res, p.of(tok)
}

// bigCall is mustCall for calls that move megabytes: the same checks, with
// the text rendering compared byte for byte first (re-encoding megabytes
// of JSON is what would make the test slow, under -race above all).
func (s *toolSession) bigCall(name, args string) json.RawMessage {
	s.t.Helper()
	raw, res := s.callMeta(name, args, nil)
	if res.IsError {
		s.t.Fatalf("%s: error result: %.1000s", name, resultText(res))
	}
	s.sameText(name, res, raw)
	return raw
}

// sameText checks that a result's text rendering is its structured content.
func (s *toolSession) sameText(name string, res *mcp.CallToolResult, raw json.RawMessage) {
	s.t.Helper()
	if text := resultText(res); text != string(raw) && !jsonEqual(s.t, []byte(text), raw) {
		s.t.Errorf("%s: text rendering differs from structuredContent", name)
	}
}

// callMeta calls a tool with the given request _meta and checks a
// successful result's structuredContent against the tool's outputSchema,
// like toolSession.call, but leaves the text rendering to the caller.
func (s *toolSession) callMeta(name, args string, meta *mcp.Meta) (json.RawMessage, *mcp.CallToolResult) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = json.RawMessage(args)
	req.Params.Meta = meta
	res, err := s.c.CallTool(ctx, req)
	if err != nil {
		s.t.Fatalf("%s: %v", name, err)
	}
	if res.IsError {
		return nil, res
	}
	raw := res.RawStructuredContent
	if len(raw) == 0 {
		s.t.Fatalf("%s: result has no structuredContent", name)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		s.t.Fatalf("%s: structuredContent is not JSON: %v", name, err)
	}
	if err := s.schemas[name].Validate(doc); err != nil {
		s.t.Errorf("%s: structuredContent does not validate against outputSchema: %v\n%.2000s", name, err, raw)
	}
	return raw, res
}

// decode unmarshals raw into v, failing the test if it does not fit.
func decode(t *testing.T, raw json.RawMessage, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		t.Fatalf("decoding %.500s: %v", raw, err)
	}
}

// poll calls check every 100ms until it returns true or timeout passes.
func poll(t *testing.T, timeout time.Duration, what string, check func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, last := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v; last seen: %s", what, timeout, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// aclEntry is one entry of an object's access control list.
type aclEntry struct {
	UserName       string `json:"user_name"`
	AllPermissions []struct {
		PermissionLevel string `json:"permission_level"`
		Inherited       bool   `json:"inherited"`
	} `json:"all_permissions"`
}

func servicesScenario(t *testing.T, c *mcpclient.Client) {
	progress := &progressLog{messages: map[string][]string{}}
	c.OnNotification(progress.handle)
	s := newSession(t, c)
	for _, name := range []string{"workspace_import", "jobs_create", "dbfs_add_block", "groups_add_member", "libraries_install", "permissions_set"} {
		if s.schemas[name] == nil {
			t.Fatalf("tool %s is not listed with --toolsets all", name)
		}
	}
	// The output schemas really constrain: a wrongly typed answer fails.
	for name, wrong := range map[string]string{
		"dbfs_read":    `{"bytes_read":"many","data":"AA=="}`,
		"jobs_get_run": `{"run_id":1,"state":{"life_cycle_state":42}}`,
	} {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(wrong))
		if err != nil {
			t.Fatal(err)
		}
		if s.schemas[name].Validate(doc) == nil {
			t.Errorf("%s's outputSchema accepts %s", name, wrong)
		}
	}
	// Each step is a subtest with its own session view, so that a failure
	// stops the step that found it (s.t is the step's t).
	step := func(name string, f func(t *testing.T, s *toolSession)) {
		t.Run(name, func(t *testing.T) {
			f(t, &toolSession{t: t, c: s.c, tools: s.tools, schemas: s.schemas})
		})
	}

	const dir = "/Users/e2e@example.com/etl"
	notebooks := map[string]string{
		dir + "/prepare": "# Databricks notebook source\nprint(\"prepare\")\n\n# COMMAND ----------\n\nspark.range(10).count()\n",
		dir + "/report":  "# Databricks notebook source\ndbutils.notebook.exit(\"done\")\n",
	}
	step("workspace", func(t *testing.T, s *toolSession) {
		s.mustCall("workspace_mkdirs", fmt.Sprintf(`{"path":%q}`, dir))
		for _, p := range slices.Sorted(maps.Keys(notebooks)) {
			s.mustCall("workspace_import", fmt.Sprintf(`{"path":%q,"format":"SOURCE","language":"PYTHON","content":%q}`,
				p, base64.StdEncoding.EncodeToString([]byte(notebooks[p]))))
		}
		st := s.mustCall("workspace_get_status", fmt.Sprintf(`{"path":%q}`, dir+"/prepare"))
		if str(t, st, "object_type") != "NOTEBOOK" || str(t, st, "language") != "PYTHON" {
			t.Errorf("imported notebook's status: %s", st)
		}
		list := s.mustCall("workspace_list", fmt.Sprintf(`{"path":%q}`, dir))
		for p := range notebooks {
			if !strings.Contains(string(list), fmt.Sprintf("%q", p)) {
				t.Errorf("workspace_list lacks %s: %s", p, list)
			}
		}
		// The structured result is the API's answer (base64 content); the
		// text shows the source decoded, as content_text.
		exp, res := s.callMeta("workspace_export", fmt.Sprintf(`{"path":%q,"format":"SOURCE"}`, dir+"/prepare"), nil)
		if res.IsError {
			t.Fatalf("workspace_export: %s", resultText(res))
		}
		want := notebooks[dir+"/prepare"]
		got, err := base64.StdEncoding.DecodeString(str(t, exp, "content"))
		if err != nil || string(got) != want {
			t.Errorf("exported notebook differs from the imported one (%v):\n%q\nwant\n%q", err, got, want)
		}
		var text struct {
			ContentText string `json:"content_text"`
		}
		decode(t, json.RawMessage(resultText(res)), &text)
		if text.ContentText != want {
			t.Errorf("workspace_export's text rendering does not show the source as content_text: %s", resultText(res))
		}
		s.mustFail("workspace_import", fmt.Sprintf(`{"path":%q,"format":"SOURCE","language":"PYTHON","content":"eA=="}`, dir+"/prepare"),
			"RESOURCE_ALREADY_EXISTS")
	})

	// The cluster spec every compute step uses, from the emulator's lists.
	var sparkVersion, nodeType string
	step("compute lists", func(t *testing.T, s *toolSession) {
		var sv struct {
			Versions []struct{ Key string } `json:"versions"`
		}
		decode(t, s.mustCall("clusters_spark_versions", `{}`), &sv)
		var nt struct {
			NodeTypes []struct {
				NodeTypeID string `json:"node_type_id"`
			} `json:"node_types"`
		}
		decode(t, s.mustCall("clusters_list_node_types", `{}`), &nt)
		if len(sv.Versions) == 0 || len(nt.NodeTypes) == 0 || sv.Versions[0].Key == "" || nt.NodeTypes[0].NodeTypeID == "" {
			t.Fatalf("no spark versions or node types: %+v %+v", sv, nt)
		}
		sparkVersion, nodeType = sv.Versions[0].Key, nt.NodeTypes[0].NodeTypeID
	})
	if sparkVersion == "" {
		t.Fatal("no cluster spec to go on with")
	}
	newCluster := fmt.Sprintf(`{"spark_version":%q,"node_type_id":%q,"num_workers":1}`, sparkVersion, nodeType)

	step("jobs", func(t *testing.T, s *toolSession) {
		created := s.mustCall("jobs_create", fmt.Sprintf(`{"name":"e2e-etl","max_concurrent_runs":2,"tasks":[
			{"task_key":"prepare","notebook_task":{"notebook_path":%q},"new_cluster":%s},
			{"task_key":"report","depends_on":[{"task_key":"prepare"}],"notebook_task":{"notebook_path":%q,"base_parameters":{"day":"monday"}},"new_cluster":%s}]}`,
			dir+"/prepare", newCluster, dir+"/report", newCluster))
		jobID := string(field(t, created, "job_id"))
		if jobID == "" || jobID == "null" {
			t.Fatalf("jobs_create: no job_id: %s", created)
		}
		job := s.mustCall("jobs_get", fmt.Sprintf(`{"job_id":%s}`, jobID))
		var js struct {
			Settings struct {
				Tasks []struct {
					TaskKey   string `json:"task_key"`
					DependsOn []struct {
						TaskKey string `json:"task_key"`
					} `json:"depends_on"`
					NewCluster struct {
						SparkVersion string `json:"spark_version"`
						NodeTypeID   string `json:"node_type_id"`
					} `json:"new_cluster"`
				} `json:"tasks"`
			} `json:"settings"`
		}
		decode(t, job, &js)
		if len(js.Settings.Tasks) != 2 {
			t.Fatalf("jobs_get: want 2 tasks: %s", job)
		}
		for _, task := range js.Settings.Tasks {
			if task.NewCluster.SparkVersion != sparkVersion || task.NewCluster.NodeTypeID != nodeType {
				t.Errorf("task %s lost its new_cluster: %s", task.TaskKey, job)
			}
			if task.TaskKey == "report" && (len(task.DependsOn) != 1 || task.DependsOn[0].TaskKey != "prepare") {
				t.Errorf("task report lost its depends_on: %s", job)
			}
		}

		// Run it, waiting for the end with progress.
		raw, res, msgs := s.callProgress(progress, "jobs_run_now", fmt.Sprintf(`{"job_id":%s,"wait_seconds":20}`, jobID))
		if res.IsError {
			t.Fatalf("jobs_run_now with wait_seconds: %s", resultText(res))
		}
		var run struct {
			RunID json.Number `json:"run_id"`
			State struct {
				LifeCycleState string `json:"life_cycle_state"`
				ResultState    string `json:"result_state"`
			} `json:"state"`
			Tasks []struct {
				TaskKey   string      `json:"task_key"`
				RunID     json.Number `json:"run_id"`
				StartTime int64       `json:"start_time"`
				EndTime   int64       `json:"end_time"`
				State     struct {
					LifeCycleState string `json:"life_cycle_state"`
					ResultState    string `json:"result_state"`
				} `json:"state"`
			} `json:"tasks"`
		}
		decode(t, raw, &run)
		if run.State.LifeCycleState != "TERMINATED" || run.State.ResultState != "SUCCESS" {
			t.Fatalf("run ended %s/%s, want TERMINATED/SUCCESS: %s", run.State.LifeCycleState, run.State.ResultState, raw)
		}
		// Progress names the run's life-cycle state and each task's.
		if len(msgs) == 0 {
			t.Errorf("jobs_run_now sent no progress notifications while waiting for a run of about a second")
		}
		for _, m := range msgs {
			if !strings.Contains(m, "PENDING") && !strings.Contains(m, "RUNNING") || !strings.Contains(m, "prepare") || !strings.Contains(m, "report") {
				t.Errorf("jobs_run_now progress %q does not give the run's and the tasks' states", m)
			}
		}
		if len(run.Tasks) != 2 {
			t.Fatalf("finished run has %d tasks, want 2: %s", len(run.Tasks), raw)
		}
		var reportRun json.Number
		var prepareEnd, reportStart int64
		for _, task := range run.Tasks {
			if task.State.LifeCycleState != "TERMINATED" || task.State.ResultState != "SUCCESS" || task.RunID == "" || task.RunID == run.RunID {
				t.Errorf("task %s: run_id %s, state %+v", task.TaskKey, task.RunID, task.State)
			}
			switch task.TaskKey {
			case "prepare":
				prepareEnd = task.EndTime
			case "report":
				reportRun, reportStart = task.RunID, task.StartTime
			}
		}
		if reportRun == "" {
			t.Fatalf("no task run for report: %s", raw)
		}
		if prepareEnd == 0 || reportStart < prepareEnd {
			t.Errorf("report started at %d, before prepare, which it depends on, ended (%d)", reportStart, prepareEnd)
		}
		out := s.mustCall("jobs_get_run_output", fmt.Sprintf(`{"run_id":%s}`, reportRun))
		result := str(t, out, "notebook_output", "result")
		if !strings.Contains(result, dir+"/report") || !strings.Contains(result, "monday") {
			t.Errorf("report's output does not come from its notebook and parameters: %s", out)
		}
		if got := string(field(t, out, "metadata", "run_id")); got != reportRun.String() {
			t.Errorf("output's metadata.run_id %s, want %s", got, reportRun)
		}
		s.mustFail("jobs_get_run_output", fmt.Sprintf(`{"run_id":%s}`, run.RunID), "INVALID_PARAMETER_VALUE", "individual task")

		// A second run, cancelled while it runs.
		started := s.mustCall("jobs_run_now", fmt.Sprintf(`{"job_id":%s}`, jobID))
		second := string(field(t, started, "run_id"))
		if second == "" || second == run.RunID.String() {
			t.Fatalf("second jobs_run_now: run_id %q (first %s)", second, run.RunID)
		}
		s.mustCall("jobs_cancel_run", fmt.Sprintf(`{"run_id":%s}`, second))
		var last json.RawMessage
		poll(t, 10*time.Second, "cancelled run shows TERMINATED/CANCELED", func() (bool, string) {
			last = s.mustCall("jobs_get_run", fmt.Sprintf(`{"run_id":%s}`, second))
			return str(t, last, "state", "life_cycle_state") == "TERMINATED" && str(t, last, "state", "result_state") == "CANCELED", string(field(t, last, "state"))
		})
		var canceled struct {
			Tasks []struct {
				State struct {
					ResultState string `json:"result_state"`
				} `json:"state"`
			} `json:"tasks"`
		}
		decode(t, last, &canceled)
		for _, task := range canceled.Tasks {
			if task.State.ResultState == "SUCCESS" {
				t.Errorf("a task of the cancelled run succeeded: %s", last)
			}
		}
	})

	step("dbfs", func(t *testing.T, s *toolSession) {
		const size = 3 << 20
		content := make([]byte, size)
		rand.NewChaCha8([32]byte{7, 11}).Read(content)
		b64 := base64.StdEncoding.EncodeToString

		// The handle API: create, 1 MB blocks, close.
		var h struct {
			Handle json.Number `json:"handle"`
		}
		decode(t, s.mustCall("dbfs_create", `{"path":"/e2e/blocks.bin"}`), &h)
		if h.Handle == "" {
			t.Fatal("dbfs_create returned no handle")
		}
		for off := 0; off < size; off += 1 << 20 {
			s.mustCall("dbfs_add_block", fmt.Sprintf(`{"handle":%s,"data":%q}`, h.Handle, b64(content[off:off+1<<20])))
		}
		s.mustCall("dbfs_close", fmt.Sprintf(`{"handle":%s}`, h.Handle))
		if got := string(field(t, s.mustCall("dbfs_get_status", `{"path":"/e2e/blocks.bin"}`), "file_size")); got != fmt.Sprint(size) {
			t.Errorf("file_size %s, want %d", got, size)
		}

		// Back through 1 MB reads.
		var back []byte
		for range 5 {
			var r struct {
				BytesRead int    `json:"bytes_read"`
				Data      string `json:"data"`
			}
			decode(t, s.bigCall("dbfs_read", fmt.Sprintf(`{"path":"/e2e/blocks.bin","offset":%d,"length":%d}`, len(back), 1<<20)), &r)
			if r.BytesRead == 0 {
				break
			}
			chunk, err := base64.StdEncoding.DecodeString(r.Data)
			if err != nil || len(chunk) != r.BytesRead || r.BytesRead > 1<<20 {
				t.Fatalf("read at %d: bytes_read %d, %d decoded, %v", len(back), r.BytesRead, len(chunk), err)
			}
			back = append(back, chunk...)
		}
		if !bytes.Equal(back, content) {
			t.Errorf("1 MB reads gave back %d bytes that differ from the %d written", len(back), size)
		}

		// The convenience tools, both ways, with progress: the same 3 MiB
		// up with dbfs_upload (3 blocks), back with dbfs_download (1 MB
		// reads). Each file is read back once: moving megabytes through the
		// MCP client is what this test spends its time on.
		raw, res, msgs := s.callProgress(progress, "dbfs_upload", fmt.Sprintf(`{"path":"/e2e/upload.bin","contents":%q}`, b64(content)))
		if res.IsError {
			t.Fatalf("dbfs_upload: %s", resultText(res))
		}
		if got := string(field(t, raw, "bytes_written")); got != fmt.Sprint(size) {
			t.Errorf("dbfs_upload: bytes_written %s, want %d: %s", got, size, raw)
		}
		if got := string(field(t, raw, "blocks")); got != "3" {
			t.Errorf("dbfs_upload: %s blocks, want 3 of 1 MB", got)
		}
		if len(msgs) != 3 || !strings.HasPrefix(msgs[2], "3145728 of 3145728 bytes") {
			t.Errorf("dbfs_upload of 3 MiB: progress %q, want one a block", msgs)
		}
		raw, res, msgs = s.callProgress(progress, "dbfs_download", `{"path":"/e2e/upload.bin"}`)
		if res.IsError {
			t.Fatalf("dbfs_download: %s", resultText(res))
		}
		var down struct {
			BytesRead int    `json:"bytes_read"`
			Data      string `json:"data"`
			Truncated bool   `json:"truncated"`
		}
		decode(t, raw, &down)
		if got, err := base64.StdEncoding.DecodeString(down.Data); err != nil || !bytes.Equal(got, content) || down.Truncated || down.BytesRead != size {
			t.Errorf("dbfs_upload then dbfs_download: %d bytes back, bytes_read %d (truncated %v, %v)", len(got), down.BytesRead, down.Truncated, err)
		}
		if len(msgs) != 3 || !strings.HasPrefix(msgs[2], "3145728 of 3145728 bytes") {
			t.Errorf("dbfs_download of 3 MiB: progress %q, want one a 1 MB read", msgs)
		}

		// Oversized reads: the tool's schema stops them before anything is
		// sent; sent anyway (api_call), the emulator answers Databricks' error.
		s.mustFail("dbfs_read", fmt.Sprintf(`{"path":"/e2e/blocks.bin","length":%d}`, 1<<20+1), "length", "at most 1048576", "nothing was sent")
		s.mustFail("api_call", fmt.Sprintf(`{"method":"GET","path":"/api/2.0/dbfs/read","query":{"path":"/e2e/blocks.bin","length":"%d"}}`, 1<<20+1),
			"MAX_READ_SIZE_EXCEEDED", "400")

		// Oversized blocks. 1 MiB + 3 bytes is 1398108 base64 characters,
		// past the schema's maxLength: an argument error, nothing sent.
		// 1 MiB + 1 byte pads to 1398104 characters, exactly maxLength
		// (as 1 MiB does), so only DBFS's count of decoded bytes catches it.
		decode(t, s.mustCall("dbfs_create", `{"path":"/e2e/oversized.bin"}`), &h)
		s.mustFail("dbfs_add_block", fmt.Sprintf(`{"handle":%s,"data":%q}`, h.Handle, b64(content[:1<<20+3])),
			"data", "at most 1398104 characters", "nothing was sent")
		justOver := b64(content[:1<<20+1])
		if len(justOver) != len(b64(content[:1<<20])) {
			t.Fatalf("1 MiB + 1 byte encodes to %d characters", len(justOver))
		}
		s.mustFail("dbfs_add_block", fmt.Sprintf(`{"handle":%s,"data":%q}`, h.Handle, justOver), "MAX_BLOCK_SIZE_EXCEEDED", "400", "1048577 bytes")
		// The handle is still good for blocks within the limit.
		s.mustCall("dbfs_add_block", fmt.Sprintf(`{"handle":%s,"data":%q}`, h.Handle, b64(content[:1000])))
		s.mustCall("dbfs_close", fmt.Sprintf(`{"handle":%s}`, h.Handle))
		if got := string(field(t, s.mustCall("dbfs_get_status", `{"path":"/e2e/oversized.bin"}`), "file_size")); got != "1000" {
			t.Errorf("after two refused blocks and one good one: file_size %s, want 1000", got)
		}
	})

	const userName = "e2e.user@example.com"
	step("groups", func(t *testing.T, s *toolSession) {
		group := s.mustCall("groups_create", `{"displayName":"e2e-team"}`)
		groupID := str(t, group, "id")
		user := s.mustCall("users_create", fmt.Sprintf(`{"userName":%q,"displayName":"E2E User"}`, userName))
		userID := str(t, user, "id")
		if groupID == "" || userID == "" || str(t, user, "userName") != userName {
			t.Fatalf("groups_create %s, users_create %s", group, user)
		}
		s.mustCall("groups_add_member", fmt.Sprintf(`{"parent_name":"e2e-team","user_name":%q}`, userName))
		members := s.mustCall("groups_list_members", `{"group_name":"e2e-team"}`)
		var ml struct {
			Members []struct {
				UserName string `json:"user_name"`
			} `json:"members"`
		}
		decode(t, members, &ml)
		if len(ml.Members) != 1 || ml.Members[0].UserName != userName {
			t.Errorf("groups_list_members: %s, want %s", members, userName)
		}
		got := s.mustCall("groups_get", fmt.Sprintf(`{"id":%q}`, groupID))
		var g struct {
			Members []struct {
				Value string `json:"value"`
			} `json:"members"`
		}
		decode(t, got, &g)
		if len(g.Members) != 1 || g.Members[0].Value != userID {
			t.Errorf("groups_get: members %s, want the user %s", field(t, got, "members"), userID)
		}
		parents := s.mustCall("groups_list_parents", fmt.Sprintf(`{"user_name":%q}`, userName))
		if !strings.Contains(string(field(t, parents, "group_names")), `"e2e-team"`) {
			t.Errorf("groups_list_parents of the user: %s", parents)
		}
		s.mustFail("groups_add_member", `{"parent_name":"no-such-group","user_name":"e2e.user@example.com"}`, "no-such-group")
	})

	var clusterID string
	step("libraries", func(t *testing.T, s *toolSession) {
		raw, res, msgs := s.callProgress(progress, "clusters_create",
			fmt.Sprintf(`{"cluster_name":"e2e-libs","spark_version":%q,"node_type_id":%q,"num_workers":1,"wait_seconds":20}`, sparkVersion, nodeType))
		if res.IsError {
			t.Fatalf("clusters_create: %s", resultText(res))
		}
		if str(t, raw, "state") != "RUNNING" {
			t.Fatalf("clusters_create with wait_seconds returned state %s", str(t, raw, "state"))
		}
		if len(msgs) == 0 || !strings.Contains(msgs[0], "PENDING") {
			t.Errorf("clusters_create: progress %q, want the cluster's PENDING state while it started", msgs)
		}
		clusterID = str(t, raw, "cluster_id")
		s.mustCall("libraries_install", fmt.Sprintf(`{"cluster_id":%q,"libraries":[{"pypi":{"package":"simplejson==3.19.2"}}]}`, clusterID))
		seen := map[string]bool{}
		poll(t, 10*time.Second, "library INSTALLED", func() (bool, string) {
			st := s.mustCall("libraries_cluster_status", fmt.Sprintf(`{"cluster_id":%q}`, clusterID))
			var ls struct {
				ClusterID       string `json:"cluster_id"`
				LibraryStatuses []struct {
					Library struct {
						PyPI struct {
							Package string `json:"package"`
						} `json:"pypi"`
					} `json:"library"`
					Status string `json:"status"`
				} `json:"library_statuses"`
			}
			decode(t, st, &ls)
			if ls.ClusterID != clusterID || len(ls.LibraryStatuses) != 1 || ls.LibraryStatuses[0].Library.PyPI.Package != "simplejson==3.19.2" {
				t.Fatalf("libraries_cluster_status does not show the library: %s", st)
			}
			seen[ls.LibraryStatuses[0].Status] = true
			return ls.LibraryStatuses[0].Status == "INSTALLED", string(st)
		})
		for state := range seen {
			if !slices.Contains([]string{"PENDING", "INSTALLING", "INSTALLED"}, state) {
				t.Errorf("library went through state %s", state)
			}
		}
		if !seen["PENDING"] && !seen["INSTALLING"] {
			t.Errorf("the library was INSTALLED at once, not PENDING or INSTALLING first")
		}
	})

	step("permissions", func(t *testing.T, s *toolSession) {
		if clusterID == "" {
			t.Skip("no cluster (the libraries step failed)")
		}
		set := s.mustCall("permissions_set", fmt.Sprintf(`{"request_object_type":"clusters","request_object_id":%q,
			"access_control_list":[{"user_name":%q,"permission_level":"CAN_RESTART"}]}`, clusterID, userName))
		got := s.mustCall("permissions_get", fmt.Sprintf(`{"request_object_type":"clusters","request_object_id":%q}`, clusterID))
		for what, raw := range map[string]json.RawMessage{"permissions_set": set, "permissions_get": got} {
			var acl struct {
				ObjectID          string     `json:"object_id"`
				AccessControlList []aclEntry `json:"access_control_list"`
			}
			decode(t, raw, &acl)
			if acl.ObjectID != "/clusters/"+clusterID {
				t.Errorf("%s: object_id %q", what, acl.ObjectID)
			}
			found := slices.ContainsFunc(acl.AccessControlList, func(e aclEntry) bool {
				return e.UserName == userName && len(e.AllPermissions) == 1 &&
					e.AllPermissions[0].PermissionLevel == "CAN_RESTART" && !e.AllPermissions[0].Inherited
			})
			if !found {
				t.Errorf("%s does not show %s with CAN_RESTART: %s", what, userName, raw)
			}
		}
		s.mustFail("permissions_set", fmt.Sprintf(`{"request_object_type":"clusters","request_object_id":%q,
			"access_control_list":[{"user_name":%q,"permission_level":"CAN_RUN"}]}`, clusterID, userName), "CAN_RUN", "CAN_RESTART")
	})
}
