package client

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAuthChoice(t *testing.T) {
	f := newFakeCLI(t, "v0.240.0")
	f.answer("cli-token", time.Now().Add(time.Hour))
	for _, tt := range []struct {
		name string
		cfg  Config
		want string
	}{
		{name: "named", cfg: Config{Host: "https://h.cloud.databricks.com", Token: "t", AuthType: "pat", Sources: map[string]string{"auth_type": "flag --auth-type"}},
			want: "named by auth_type from flag --auth-type"},
		{name: "configured", cfg: Config{Host: "https://h.cloud.databricks.com", ClientID: "c", ClientSecret: "s", Sources: map[string]string{"client_id": "env DATABRICKS_CLIENT_ID", "client_secret": "env DATABRICKS_CLIENT_SECRET"}},
			want: "the only method whose settings are all present: client_id from env DATABRICKS_CLIENT_ID and client_secret from env DATABRICKS_CLIENT_SECRET"},
		{name: "fallback", cfg: Config{Host: "https://adb-1.2.azuredatabricks.net"},
			want: "the fallbacks were tried in order (databricks-cli) and databricks-cli could serve"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			creds, err := newCredentials(&tt.cfg, http.DefaultClient)
			if err != nil {
				t.Fatal(err)
			}
			if got := AuthChoice(&tt.cfg, creds.AuthType()); !strings.Contains(got, tt.want) {
				t.Errorf("AuthChoice = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestSettingsHideSecrets(t *testing.T) {
	cfg := &Config{Host: "https://h.cloud.databricks.com", Token: "dapi-hidden", Proxy: "http://u:p@proxy:3128", RateLimit: 2.5,
		Sources: map[string]string{"host": "flag --host", "token": "env DATABRICKS_TOKEN"}}
	got := map[string]Setting{}
	for _, s := range cfg.Settings() {
		got[s.Name] = s
	}
	if s := got["token"]; !s.Secret || s.Value != "" || s.Source != "env DATABRICKS_TOKEN" || s.Env != "DATABRICKS_TOKEN" {
		t.Errorf("token setting %+v", s)
	}
	if s := got["proxy"]; !s.Secret || s.Value != "" {
		t.Errorf("proxy setting %+v", s)
	}
	if s := got["host"]; s.Secret || s.Value != cfg.Host || s.Source != "flag --host" {
		t.Errorf("host setting %+v", s)
	}
	if s := got["rate_limit"]; s.Value != "2.5" {
		t.Errorf("rate_limit setting %+v", s)
	}
	if _, ok := got["client_id"]; ok || len(got) != 4 {
		t.Errorf("settings %v, want only the four that are set", got)
	}
}
