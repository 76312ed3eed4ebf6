package client

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Setting is one resolved configuration value as doctor shows it: a secret's
// value is never carried, only the fact that it is set.
type Setting struct {
	// Name is the profile key, such as "host".
	Name string
	// Env is the environment variable that sets it.
	Env string
	// Value is the setting's value, or "" for a secret.
	Value string
	// Secret marks a credential (or a proxy URL, which may carry one).
	Secret bool
	// Source says where the value came from, as in Config.Sources.
	Source string
}

// Settings lists the settings cfg has, in the order the Databricks tools
// document them, so that a person can see what was resolved and from where
// without any secret being shown.
func (cfg *Config) Settings() []Setting {
	var out []Setting
	for _, a := range attributes {
		if a.isZero(cfg) {
			continue
		}
		s := Setting{Name: a.name, Env: a.env, Secret: a.sensitive, Source: cfg.Sources[a.name]}
		if !a.sensitive {
			switch p := a.field(cfg).(type) {
			case *string:
				s.Value = *p
			case *bool:
				s.Value = strconv.FormatBool(*p)
			case *float64:
				s.Value = strconv.FormatFloat(*p, 'g', -1, 64)
			case *time.Duration:
				s.Value = strconv.FormatInt(int64(*p/time.Second), 10)
			}
		}
		out = append(out, s)
	}
	return out
}

// AuthChoice explains why the method named chosen serves cfg: named by
// auth_type, the one whose settings are all present, or the fallback that
// could serve when none was configured.
func AuthChoice(cfg *Config, chosen string) string {
	if cfg.AuthType != "" {
		return "named by auth_type" + sourceSuffix(cfg, "auth_type")
	}
	m := findAuthMethod(chosen)
	if m == nil {
		return "chosen by the program embedding the client"
	}
	if m.configured(cfg) {
		return "the only method whose settings are all present: " + describeSet(cfg, m.required)
	}
	var passed []string
	for _, o := range authMethods {
		if o == m {
			break
		}
		if o.fallback != nil {
			passed = append(passed, o.name)
		}
	}
	return fmt.Sprintf("no method is configured by settings, so the fallbacks were tried in order (%s) and %s could serve", strings.Join(append(passed, m.name), ", "), m.name)
}
