package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/compute"
	"github.com/dbx-mcp/dbx-mcp/client/workspace"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// startWorkspace serves an emulated workspace on loopback, with clusters
// that start at once so the examples print settled states. The examples
// talk to it over real HTTP exactly as they would to a Databricks workspace.
func startWorkspace() (*client.Client, func()) {
	emu := emulator.New(emulator.Options{ClusterStartDelay: -1, ClusterStopDelay: -1})
	srv := httptest.NewServer(emu)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-example-token"})
	if err != nil {
		panic(err)
	}
	return c, func() { srv.Close(); emu.Close() }
}

// ExampleLoadConfig resolves settings the way the Databricks CLI does: here a
// profile of a .databrickscfg file, chosen by DATABRICKS_CONFIG_PROFILE.
// WithEnv and WithHomeDir stand in for the process environment and the
// user's home directory, which is how tests and embedding programs keep the
// machine's own settings out.
func ExampleLoadConfig() {
	home, err := os.MkdirTemp("", "dbx-example-home")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(home)
	profiles := `[DEFAULT]
host = https://adb-1111111111111111.11.azuredatabricks.net

[staging]
host  = adb-2222222222222222.2.azuredatabricks.net/
token = dapi-staging-token
`
	if err := os.WriteFile(filepath.Join(home, ".databrickscfg"), []byte(profiles), 0o600); err != nil {
		panic(err)
	}
	env := map[string]string{"DATABRICKS_CONFIG_PROFILE": "staging"}
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }

	cfg, err := client.LoadConfig(client.Config{}, client.WithEnv(lookup), client.WithHomeDir(home))
	if err != nil {
		panic(err)
	}
	fmt.Println("profile:", cfg.Profile, "(from", cfg.Sources["profile"]+")")
	fmt.Println("host:", cfg.Host)
	fmt.Println("token set:", cfg.Token != "")
	// Output:
	// profile: staging (from env DATABRICKS_CONFIG_PROFILE)
	// host: https://adb-2222222222222222.2.azuredatabricks.net
	// token set: true
}

// ExampleEndpoint_Call creates a cluster and reads it back. Each REST
// operation is an Endpoint value; Call is its typed method, taking the
// request struct and returning the decoded response.
func ExampleEndpoint_Call() {
	c, stop := startWorkspace()
	defer stop()
	ctx := context.Background()

	created, err := compute.ClustersCreate.Call(ctx, c, &compute.CreateClusterRequest{
		SparkVersion: "15.4.x-scala2.12",
		ClusterSettings: compute.ClusterSettings{
			ClusterName: client.Ptr("etl"),
			NodeTypeID:  client.Ptr("Standard_DS3_v2"),
			NumWorkers:  client.Ptr(2),
		},
	})
	if err != nil {
		panic(err)
	}
	info, err := compute.ClustersGet.Call(ctx, c, &compute.GetClusterRequest{ClusterID: *created.ClusterID})
	if err != nil {
		panic(err)
	}
	fmt.Println(*info.ClusterName, *info.State, *info.NumWorkers)
	// Output: etl RUNNING 2
}

// ExampleAPIError tells a missing cluster apart from other failures.
// Databricks reports an unknown cluster id with 400 INVALID_PARAMETER_VALUE
// rather than 404; errors.Is with ErrNotFound hides that difference, and the
// *APIError keeps the details as the workspace sent them.
func ExampleAPIError() {
	c, stop := startWorkspace()
	defer stop()

	_, err := compute.ClustersGet.Call(context.Background(), c, &compute.GetClusterRequest{ClusterID: "0000-000000-nosuch00"})
	fmt.Println("not found:", errors.Is(err, client.ErrNotFound))
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.ErrorCode)
		fmt.Println(apiErr.Message)
	}
	// Output:
	// not found: true
	// 400 INVALID_PARAMETER_VALUE
	// Cluster 0000-000000-nosuch00 does not exist
}

// ExampleClient_Do makes a raw REST call, for operations that have no
// Endpoint declaration yet. It still goes through the client's auth, retries
// and error handling; the body comes back as the API sent it.
func ExampleClient_Do() {
	c, stop := startWorkspace()
	defer stop()

	body, err := c.Do(context.Background(), &client.Request{Method: "GET", Path: "/api/2.1/clusters/list-node-types"})
	if err != nil {
		panic(err)
	}
	var resp struct {
		NodeTypes []struct {
			NodeTypeID string `json:"node_type_id"`
		} `json:"node_types"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		panic(err)
	}
	fmt.Println(resp.NodeTypes[0].NodeTypeID)
	// Output: Standard_DS3_v2
}

// ExampleEndpoint_Call_secrets stores a secret and lists the scope. Listing
// returns secret names and timestamps only; secret values never come back
// from the API, so there is nothing to leak by printing a listing.
func ExampleEndpoint_Call_secrets() {
	c, stop := startWorkspace()
	defer stop()
	ctx := context.Background()

	if _, err := workspace.SecretsCreateScope.Call(ctx, c, &workspace.CreateScopeRequest{Scope: "etl"}); err != nil {
		panic(err)
	}
	for _, key := range []string{"storage-key", "db-password"} {
		put := &workspace.PutSecretRequest{Scope: "etl", Key: key, StringValue: client.Ptr("s3cr3t-" + key)}
		if _, err := workspace.SecretsPutSecret.Call(ctx, c, put); err != nil {
			panic(err)
		}
	}
	list, err := workspace.SecretsListSecrets.Call(ctx, c, &workspace.ListSecretsRequest{Scope: "etl"})
	if err != nil {
		panic(err)
	}
	for _, s := range list.Secrets {
		fmt.Println(*s.Key)
	}
	// Unordered output:
	// db-password
	// storage-key
}
