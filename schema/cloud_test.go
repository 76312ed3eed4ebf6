package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

type cloudZone struct {
	Zone string `json:"zone_id" doc:"Zone."`
}

type cloudDisk struct {
	Encrypt *bool `json:"encrypt_disk,omitzero" cloud:"aws,gcp" doc:"Encrypt."`
}

type cloudCluster struct {
	Name       string     `json:"cluster_name" doc:"Name."`
	AWS        *cloudZone `json:"aws_attributes,omitzero" cloud:"aws" doc:"AWS only."`
	Azure      *cloudZone `json:"azure_attributes,omitzero" cloud:"azure" doc:"Azure only."`
	GCP        *cloudZone `json:"gcp_attributes,omitzero" cloud:"gcp" doc:"GCP only."`
	Profile    string     `json:"instance_profile_arn" cloud:"aws" doc:"Required on AWS."`
	cloudDisk  `cloud:"aws,gcp"`
	Extra      map[string]json.RawMessage `json:"-"`
	unexported int
}

func propertyNames(t *testing.T, s json.RawMessage) (props []string, required []string) {
	t.Helper()
	var m struct {
		Properties orderedRaw `json:"properties"`
		Required   []string   `json:"required"`
	}
	if err := json.Unmarshal(s, &m); err != nil {
		t.Fatal(err)
	}
	return m.Properties.keys, m.Required
}

// TestInputForCloud checks that fields tagged for another cloud are left
// out, those tagged for this one or for none are kept, and that no cloud
// keeps everything, as Input does.
func TestInputForCloud(t *testing.T) {
	typ := reflect.TypeFor[cloudCluster]()
	all, err := Input(typ)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cloud          string
		props, require string
	}{
		{"", "cluster_name aws_attributes azure_attributes gcp_attributes instance_profile_arn encrypt_disk", "cluster_name instance_profile_arn"},
		{"aws", "cluster_name aws_attributes instance_profile_arn encrypt_disk", "cluster_name instance_profile_arn"},
		{"azure", "cluster_name azure_attributes", "cluster_name"},
		{"gcp", "cluster_name gcp_attributes encrypt_disk", "cluster_name"},
	} {
		s, err := InputFor(typ, c.cloud)
		if err != nil {
			t.Fatal(err)
		}
		props, req := propertyNames(t, s)
		if got := strings.Join(props, " "); got != c.props {
			t.Errorf("%q: properties %s, want %s", c.cloud, got, c.props)
		}
		if got := strings.Join(req, " "); got != c.require {
			t.Errorf("%q: required %s, want %s", c.cloud, got, c.require)
		}
		if c.cloud == "" && string(s) != string(all) {
			t.Errorf("InputFor(t, \"\") differs from Input(t):\n%s\n%s", s, all)
		}
		// With three users cloudZone is a definition; with one it is inline.
		if hasDefs := strings.Contains(string(s), `"$defs"`); hasDefs != (c.cloud == "") {
			t.Errorf("%q: $defs present: %v: %s", c.cloud, hasDefs, s)
		}
		if p := PortabilityProblems(s); len(p) > 0 {
			t.Errorf("%q: %v", c.cloud, p)
		}
	}
	az, _ := InputFor(typ, "azure")
	v, err := NewValidator(az)
	if err != nil {
		t.Fatal(err)
	}
	p := v.Validate(json.RawMessage(`{"cluster_name":"x","aws_attributes":{"zone_id":"us-east-1a"}}`))
	if len(p) != 1 || !strings.Contains(p[0].String(), "aws_attributes: unknown property; allowed properties: cluster_name, azure_attributes") {
		t.Errorf("an AWS field sent to an Azure schema: %v", p)
	}
	out, err := OutputFor(typ, "gcp")
	if err != nil {
		t.Fatal(err)
	}
	if props, _ := propertyNames(t, out); strings.Join(props, " ") != "cluster_name gcp_attributes encrypt_disk" {
		t.Errorf("OutputFor gcp: %s", out)
	}
	if again, _ := InputFor(typ, "azure"); &again[0] != &az[0] {
		t.Error("InputFor is not cached per type and cloud")
	}
}

type misTagged struct {
	A string `json:"a" cloud:"AWS" doc:"A."`
}

func TestCloudErrors(t *testing.T) {
	if _, err := InputFor(reflect.TypeFor[cloudCluster](), "oci"); err == nil || !strings.Contains(err.Error(), `unknown cloud "oci"; known clouds: aws, azure, gcp`) {
		t.Errorf("unknown cloud: %v", err)
	}
	for _, cloud := range []string{"", "aws"} {
		if _, err := InputFor(reflect.TypeFor[misTagged](), cloud); err == nil || !strings.Contains(err.Error(), `field A of schema.misTagged: cloud tag "AWS" names an unknown cloud`) {
			t.Errorf("cloud %q, misspelt tag: %v", cloud, err)
		}
	}
}
