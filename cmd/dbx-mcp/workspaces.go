package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/tools"
)

// workspaceSpec is one entry of --workspaces: the name the model picks the
// workspace by and the ~/.databrickscfg profile that describes it.
type workspaceSpec struct{ name, profile string }

// parseWorkspaces reads --workspaces (else $DBX_MCP_WORKSPACES):
// "name=profile,name2=profile2", a bare "profile" naming itself. Empty
// means one workspace, configured as usual.
func parseWorkspaces(flagValue string) ([]workspaceSpec, error) {
	from := "--workspaces"
	if flagValue == "" {
		flagValue, from = os.Getenv("DBX_MCP_WORKSPACES"), "DBX_MCP_WORKSPACES"
	}
	var specs []workspaceSpec
	seen := map[string]bool{}
	for _, entry := range splitList(flagValue) {
		name, profile, ok := strings.Cut(entry, "=")
		name, profile = strings.TrimSpace(name), strings.TrimSpace(profile)
		if !ok {
			profile = name
		}
		if profile == "" {
			return nil, fmt.Errorf("%s: %q names no profile; write name=profile or profile", from, entry)
		}
		if err := tools.CheckWorkspaceName(name); err != nil {
			return nil, fmt.Errorf("%s: %w", from, err)
		}
		if seen[name] {
			return nil, fmt.Errorf("%s: workspace name %q is given twice", from, name)
		}
		seen[name] = true
		specs = append(specs, workspaceSpec{name: name, profile: profile})
	}
	return specs, nil
}

// perWorkspaceSettings are the settings that say which workspace and whose
// identity: taken from the environment they would be the same for every
// profile (the environment outranks a profile), sending one workspace's
// credentials to the others' hosts. Rate limits, proxies and timeouts may
// rightly be shared.
var perWorkspaceSettings = []string{"host", "token", "client_id", "client_secret", "azure_client_id",
	"azure_client_secret", "azure_tenant_id", "azure_use_msi", "azure_workspace_resource_id", "warehouse_id"}

// checkWorkspaceFlags refuses the flags that describe a single workspace
// alongside --workspaces, whose profiles describe each.
func checkWorkspaceFlags(f *commonFlags, specs []workspaceSpec) error {
	if len(specs) == 0 {
		return nil
	}
	if f.cfg.Host != "" || f.cfg.Profile != "" {
		return errors.New("--workspaces takes each workspace from its profile: drop --host and --profile")
	}
	return nil
}

// connectWorkspaces connects every workspace the server serves: those of
// --workspaces, each resolved like a single one with its profile (with
// --emulator, one embedded emulator per name), else the one workspace of
// the usual flags. The returned stop releases what was started.
func (f *commonFlags) connectWorkspaces(ctx context.Context, log *slog.Logger, specs []workspaceSpec) ([]tools.Workspace, func(), error) {
	if len(specs) == 0 {
		c, stop, err := f.connect(ctx, log)
		if err != nil {
			return nil, nil, err
		}
		return []tools.Workspace{{Name: "default", Client: c}}, stop, nil
	}
	var ws []tools.Workspace
	var stops []func()
	stopAll := func() {
		for _, stop := range stops {
			stop()
		}
	}
	for _, spec := range specs {
		wlog := log.With("workspace", spec.name)
		var c *client.Client
		var err error
		if f.useEmulator {
			var stop func()
			c, stop, err = f.connect(ctx, wlog)
			if err == nil {
				stops = append(stops, stop)
			}
		} else {
			c, err = f.connectProfile(wlog, spec.profile)
		}
		if err != nil {
			stopAll()
			return nil, nil, fmt.Errorf("workspace %s: %w", spec.name, err)
		}
		ws = append(ws, tools.Workspace{Name: spec.name, Client: c})
	}
	log.Info("serving several workspaces", "workspaces", len(ws), "default", ws[0].Name)
	return ws, stopAll, nil
}

// connectProfile resolves one profile as connect resolves the single
// workspace, refusing identity settings from the environment.
func (f *commonFlags) connectProfile(log *slog.Logger, profile string) (*client.Client, error) {
	explicit := f.cfg
	explicit.Profile = profile
	explicit.RateLimit = f.rateLimit
	explicit.RetryTimeout = f.retryTimeout
	cfg, err := client.LoadConfig(explicit)
	if err != nil {
		return nil, err
	}
	for _, name := range perWorkspaceSettings {
		if src := cfg.Sources[name]; strings.HasPrefix(src, "env ") {
			return nil, fmt.Errorf("%s comes from the environment (%s), which would apply it to every workspace of --workspaces; unset it and keep it in profile %s", name, strings.TrimPrefix(src, "env "), profile)
		}
	}
	c, err := client.New(cfg, client.WithLogger(log))
	if err != nil {
		return nil, err
	}
	log.Info("workspace", "profile", profile, "host", c.Host(), "auth", c.AuthType())
	return c, nil
}
