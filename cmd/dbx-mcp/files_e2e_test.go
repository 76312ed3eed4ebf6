package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// callResult is the part of a tools/call answer the Files API scenario reads.
type callResult struct {
	IsError           bool            `json:"isError"`
	StructuredContent json.RawMessage `json:"structuredContent"`
	Content           []struct {
		Text string `json:"text"`
	} `json:"content"`
}

func (s *listingSession) callTool(name, args string) callResult {
	s.t.Helper()
	raw := s.request("tools/call", fmt.Sprintf(`{"name":%q,"arguments":%s}`, name, args))
	var r callResult
	if err := json.Unmarshal(raw, &r); err != nil {
		s.t.Fatalf("%s: %v: %s", name, err, raw)
	}
	if r.IsError {
		s.t.Fatalf("%s: error result: %s", name, raw)
	}
	return r
}

// TestFilesVolumeRoundTrip puts a small binary file into a volume path
// through files_upload over stdio against the emulator, lists its
// directory, reads its metadata and downloads it byte for byte.
func TestFilesVolumeRoundTrip(t *testing.T) {
	s := startListing(t, cleanEnv(t), "--toolsets", "all")
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte(255 - i) // every byte value from 255 down, NUL and invalid UTF-8 included
	}
	dir := "/Volumes/main/default/landing/e2e run"
	file := dir + "/blob.bin"
	s.callTool("files_upload", fmt.Sprintf(`{"file_path":%q,"contents":%q,"overwrite":false}`, file, base64.StdEncoding.EncodeToString(data)))

	var list struct {
		Contents []struct {
			Path        string `json:"path"`
			Name        string `json:"name"`
			IsDirectory bool   `json:"is_directory"`
			FileSize    int64  `json:"file_size"`
		} `json:"contents"`
	}
	r := s.callTool("files_list_directory_contents", fmt.Sprintf(`{"directory_path":%q}`, dir))
	if err := json.Unmarshal(r.StructuredContent, &list); err != nil || len(list.Contents) != 1 {
		t.Fatalf("listing: %v: %s", err, r.StructuredContent)
	}
	if e := list.Contents[0]; e.Path != file || e.Name != "blob.bin" || e.IsDirectory || e.FileSize != int64(len(data)) {
		t.Errorf("entry %+v", e)
	}

	var meta struct {
		ContentLength string `json:"content_length"`
		LastModified  string `json:"last_modified"`
	}
	r = s.callTool("files_get_metadata", fmt.Sprintf(`{"file_path":%q}`, file))
	if err := json.Unmarshal(r.StructuredContent, &meta); err != nil || meta.ContentLength != "300" || meta.LastModified == "" ||
		strings.Contains(string(r.StructuredContent), `"contents"`) {
		t.Errorf("metadata: %v: %s", err, r.StructuredContent)
	}

	var got struct {
		Contents     []byte `json:"contents"`
		ContentRange string `json:"content_range"`
	}
	r = s.callTool("files_download", fmt.Sprintf(`{"file_path":%q}`, file))
	if err := json.Unmarshal(r.StructuredContent, &got); err != nil || !bytes.Equal(got.Contents, data) {
		t.Fatalf("download differs: %v: %s", err, r.StructuredContent)
	}
	if got.ContentRange != "bytes 0-299/300" {
		t.Errorf("content_range %q, want bytes 0-299/300: the whole file in one answer", got.ContentRange)
	}
	// A range reads part of it.
	r = s.callTool("files_download", fmt.Sprintf(`{"file_path":%q,"range":"bytes=-4"}`, file))
	if err := json.Unmarshal(r.StructuredContent, &got); err != nil || !bytes.Equal(got.Contents, data[296:]) {
		t.Errorf("last 4 bytes: %v: %s", err, r.StructuredContent)
	}
	// The same upload without overwrite is refused, as Databricks refuses it.
	raw := s.request("tools/call", fmt.Sprintf(`{"name":"files_upload","arguments":{"file_path":%q,"contents":"AA==","overwrite":false}}`, file))
	if !strings.Contains(string(raw), `"isError":true`) || !strings.Contains(string(raw), "ALREADY_EXISTS") {
		t.Errorf("second upload without overwrite: %s", raw)
	}
}
