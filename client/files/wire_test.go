package files

import (
	"context"
	"encoding/base64"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/clienttest"
)

// read's arguments travel in the query string.
func TestReadOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"bytes_read":3,"data":"YWJj"}`)
	resp, err := DbfsRead.Call(context.Background(), c, &ReadRequest{Path: "/a b.txt", Offset: client.Ptr[int64](5), Length: client.Ptr[int64](MaxReadBytes)})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Method != "GET" || srv.Path != "/api/2.0/dbfs/read" || srv.Query.Get("path") != "/a b.txt" ||
		srv.Query.Get("offset") != "5" || srv.Query.Get("length") != "1048576" {
		t.Errorf("sent %s %s ?%v", srv.Method, srv.Path, srv.Query)
	}
	if resp.BytesRead == nil || *resp.BytesRead != 3 || resp.Data == nil || *resp.Data != "YWJj" {
		t.Errorf("decoded %+v", resp)
	}
}

// A handle keeps every digit of its int64.
func TestAddBlockOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{}`)
	if _, err := DbfsAddBlock.Call(context.Background(), c, &AddBlockRequest{Handle: 9007199254740993, Data: "AAEC"}); err != nil {
		t.Fatal(err)
	}
	if want := `{"data":"AAEC","handle":9007199254740993}`; string(srv.Body) != want || srv.Path != "/api/2.0/dbfs/add-block" {
		t.Errorf("sent %s %s, want body %s", srv.Path, srv.Body, want)
	}
}

// The schema bounds of contents, data and length are the documented 1 MB
// limits: base64 of MaxBlockBytes bytes, and MaxReadBytes.
func TestLimitTags(t *testing.T) {
	b64 := strconv.Itoa(base64.StdEncoding.EncodedLen(MaxBlockBytes))
	for _, f := range []reflect.StructField{
		field(t, reflect.TypeFor[PutRequest](), "Contents"),
		field(t, reflect.TypeFor[AddBlockRequest](), "Data"),
	} {
		if tag := f.Tag.Get("jsonschema"); tag != "maxLength="+b64 {
			t.Errorf("%s: jsonschema %q, want maxLength=%s", f.Name, tag, b64)
		}
	}
	if tag := field(t, reflect.TypeFor[ReadRequest](), "Length").Tag.Get("jsonschema"); !strings.Contains(tag, "maximum="+strconv.Itoa(MaxReadBytes)) {
		t.Errorf("length: jsonschema %q", tag)
	}
}

func field(t *testing.T, typ reflect.Type, name string) reflect.StructField {
	t.Helper()
	f, ok := typ.FieldByName(name)
	if !ok {
		t.Fatalf("%s has no field %s", typ, name)
	}
	return f
}
