package emulator_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// Example starts an emulated workspace on a free loopback port and calls it
// like any Databricks workspace.
func Example() {
	srv, err := emulator.Start(context.Background(), "127.0.0.1:0", emulator.Options{Token: "dapi-example"})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/2.1/clusters/spark-versions", nil)
	req.Header.Set("Authorization", "Bearer dapi-example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
	// Output: 200 OK
}
