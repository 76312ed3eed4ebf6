package files_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/files"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// ExampleUploadFrom copies a local file into a volume and back, streaming
// both ways: neither side holds the file in memory, whatever its size.
func ExampleUploadFrom() {
	emu := emulator.New(emulator.Options{})
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-example-token"})
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "dbx-example-files")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	local := filepath.Join(dir, "report.csv")
	if err := os.WriteFile(local, []byte("id,total\n1,42\n"), 0o644); err != nil {
		panic(err)
	}
	st, err := os.Stat(local)
	if err != nil {
		panic(err)
	}

	ctx := context.Background()
	open := func() (io.ReadCloser, error) { return os.Open(local) }
	if err := files.UploadFrom(ctx, c, "/Volumes/main/default/landing/report.csv", open, st.Size(), true); err != nil {
		panic(err)
	}
	var back bytes.Buffer
	info, err := files.DownloadTo(ctx, c, "/Volumes/main/default/landing/report.csv", &back)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d bytes back\n%s", info.Bytes, back.String())
	// Output:
	// 14 bytes back
	// id,total
	// 1,42
}
