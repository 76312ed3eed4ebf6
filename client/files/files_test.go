package files

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/clienttest"
)

// An upload sends the decoded bytes raw, at the file's path escaped segment
// by segment, with overwrite in the query string.
func TestUploadOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, ``)
	data := []byte{0, 1, 2, 0xff, '\n', '"'}
	if _, err := FilesUpload.Call(context.Background(), c, &UploadRequest{
		FilePath: "/Volumes/main/default/landing/raw data/a#1.bin", Overwrite: client.Ptr(false), Contents: data,
	}); err != nil {
		t.Fatal(err)
	}
	if srv.Method != "PUT" || srv.Path != "/api/2.0/fs/files/Volumes/main/default/landing/raw%20data/a%231.bin" ||
		srv.Query.Get("overwrite") != "false" {
		t.Errorf("sent %s %s ?%v", srv.Method, srv.Path, srv.Query)
	}
	if string(srv.Body) != string(data) || srv.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("body %q as %q, want the raw bytes as application/octet-stream", srv.Body, srv.Header.Get("Content-Type"))
	}
	// An empty file: no contents, an empty body of the same type.
	if _, err := FilesUpload.Call(context.Background(), c, &UploadRequest{FilePath: "/Volumes/a/b/c/empty"}); err != nil {
		t.Fatal(err)
	}
	if len(srv.Body) != 0 || srv.Header.Get("Content-Type") != "application/octet-stream" || srv.Query.Has("overwrite") {
		t.Errorf("empty upload sent %q as %q ?%v", srv.Body, srv.Header.Get("Content-Type"), srv.Query)
	}
}

// rangeServer answers downloads with the part of file the Range header asks
// for, as a 206 with Content-Range, and records the header.
func rangeServer(t *testing.T, file []byte, got *http.Header) *client.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*got = r.Header.Clone()
		var first, last int
		if n, _ := fmt.Sscanf(r.Header.Get("Range"), "bytes=%d-%d", &first, &last); n != 2 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		last = min(last, len(file)-1)
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Range", "bytes "+strconv.Itoa(first)+"-"+strconv.Itoa(last)+"/"+strconv.Itoa(len(file)))
		w.Header().Set("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
		w.WriteHeader(http.StatusPartialContent)
		w.Write(file[first : last+1])
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-stub-test"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A download without range asks for the first MaxDownloadBytes only, and
// the answer says how long the whole file is.
func TestDownloadIsBounded(t *testing.T) {
	file := make([]byte, MaxDownloadBytes+10)
	for i := range file {
		file[i] = byte(i * 7)
	}
	var sent http.Header
	c := rangeServer(t, file, &sent)
	resp, err := FilesDownload.Call(context.Background(), c, &DownloadRequest{FilePath: "/Volumes/a/b/c/big.bin"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "bytes=0-" + strconv.Itoa(MaxDownloadBytes-1); sent.Get("Range") != want || sent.Get("Accept") != "application/octet-stream" {
		t.Errorf("sent Range %q Accept %q, want %q", sent.Get("Range"), sent.Get("Accept"), want)
	}
	if len(resp.Contents) != MaxDownloadBytes || string(resp.Contents) != string(file[:MaxDownloadBytes]) {
		t.Errorf("got %d bytes", len(resp.Contents))
	}
	if want := "bytes 0-4194303/4194314"; resp.ContentRange == nil || *resp.ContentRange != want {
		t.Errorf("content_range %v, want %s", resp.ContentRange, want)
	}
	if resp.LastModified == nil || *resp.LastModified == "" || resp.ContentType == nil {
		t.Errorf("headers missing: %+v", resp)
	}
	// The rest, by an open range, which is closed at the bound.
	resp, err = FilesDownload.Call(context.Background(), c, &DownloadRequest{FilePath: "/Volumes/a/b/c/big.bin", Range: client.Ptr("bytes=4194304-")})
	if err != nil {
		t.Fatal(err)
	}
	if want := "bytes=4194304-8388607"; sent.Get("Range") != want {
		t.Errorf("sent Range %q, want %q", sent.Get("Range"), want)
	}
	if string(resp.Contents) != string(file[MaxDownloadBytes:]) {
		t.Errorf("rest: got %d bytes, want 10", len(resp.Contents))
	}
}

func TestDownloadRange(t *testing.T) {
	max := strconv.Itoa(MaxDownloadBytes)
	last := strconv.Itoa(MaxDownloadBytes - 1)
	for in, want := range map[string]string{
		"bytes=0-99":          "bytes=0-99",
		" bytes=10-10 ":       "bytes=10-10",
		"bytes=5-":            "bytes=5-" + strconv.Itoa(5+MaxDownloadBytes-1),
		"bytes=-100":          "bytes=-100",
		"bytes=-" + max:       "bytes=-" + max,
		"bytes=0-" + last:     "bytes=0-" + last,
		"bytes=0-" + max:      "",
		"bytes=-" + max + "1": "",
		"bytes=9-3":           "",
		"bytes=0-1,5-6":       "",
		"items=0-1":           "",
		"bytes=":              "",
		"bytes=-0":            "",
		"bytes=a-b":           "",
		"0-10":                "",
	} {
		got, err := DownloadRange(&in)
		if want == "" {
			if err == nil {
				t.Errorf("%q: accepted as %q", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
}

// A refused range is refused before anything is sent.
func TestDownloadRefusesWideRange(t *testing.T) {
	srv, c := clienttest.Stub(t, ``)
	_, err := FilesDownload.Invoke(context.Background(), c, []byte(`{"file_path":"/Volumes/a/b/c/x","range":"bytes=0-99999999"}`))
	if err == nil || srv.Method != "" {
		t.Errorf("err %v, request %s", err, srv.Method)
	}
}

// get_metadata is a HEAD whose answer is the headers.
func TestGetMetadataOnTheWire(t *testing.T) {
	var method, path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method, path = r.Method, r.URL.EscapedPath()
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Length", "42")
		w.Header().Set("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-stub-test"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := FilesGetMetadata.Call(context.Background(), c, &FilePathRequest{FilePath: "/Volumes/a/b/c/x.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if method != "HEAD" || path != "/api/2.0/fs/files/Volumes/a/b/c/x.csv" {
		t.Errorf("sent %s %s", method, path)
	}
	if resp.ContentLength == nil || *resp.ContentLength != "42" || resp.ContentType == nil || *resp.ContentType != "text/csv" ||
		resp.LastModified == nil || len(resp.Extra) != 0 {
		t.Errorf("decoded %+v", resp)
	}
}

// Listing pages by page_token with page_size in the query string.
func TestListDirectoryOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"contents":[{"path":"/Volumes/a/b/c/d/x","name":"x","is_directory":false,"file_size":3,"last_modified":1764583200000}],"next_page_token":"t2"}`)
	resp, err := FilesListDirectoryContents.Call(context.Background(), c, &ListDirectoryRequest{
		DirectoryPath: "/Volumes/a/b/c/d/", PageSize: client.Ptr[int64](1), PageToken: client.Ptr("t1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Method != "GET" || srv.Path != "/api/2.0/fs/directories/Volumes/a/b/c/d/" || srv.Query.Get("page_size") != "1" || srv.Query.Get("page_token") != "t1" {
		t.Errorf("sent %s %s ?%v", srv.Method, srv.Path, srv.Query)
	}
	if len(resp.Contents) != 1 || *resp.Contents[0].FileSize != 3 || *resp.NextPageToken != "t2" {
		t.Errorf("decoded %+v", resp)
	}
}
