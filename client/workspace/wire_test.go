package workspace

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/clienttest"
)

// Secrets GET arguments travel in the query string.
func TestGetAclOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"principal":"data-scientists","permission":"READ"}`)
	acl, err := SecretsGetAcl.Call(context.Background(), c, &GetAclRequest{Scope: "my scope", Principal: "data-scientists"})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Path != "/api/2.0/secrets/acls/get" || srv.Query.Get("scope") != "my scope" || srv.Query.Get("principal") != "data-scientists" {
		t.Errorf("sent %s ?%v", srv.Path, srv.Query)
	}
	if acl.Permission == nil || *acl.Permission != AclPermissionRead {
		t.Errorf("permission = %v", acl.Permission)
	}
}

// The ACL list keeps the documented-but-unused "acls" member in Extra, so a
// workspace answering that way loses nothing.
func TestListAclsKeepsAcls(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"acls":[{"principal":"admins","permission":"MANAGE"}]}`)
	resp, err := SecretsListAcls.Call(context.Background(), c, &ListAclsRequest{Scope: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Query.Get("scope") != "s" {
		t.Errorf("query %v", srv.Query)
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
	srv, c := clienttest.Stub(t, `{}`)
	if _, err := SecretsPutSecret.Call(context.Background(), c, &PutSecretRequest{Scope: "s", Key: "k", BytesValue: client.Ptr("AAEC")}); err != nil {
		t.Fatal(err)
	}
	if want := `{"bytes_value":"AAEC","key":"k","scope":"s"}`; string(srv.Body) != want || srv.Path != "/api/2.0/secrets/put" {
		t.Errorf("sent %s %s, want body %s", srv.Path, srv.Body, want)
	}
}
