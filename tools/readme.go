package tools

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Markers around the generated tool list in README.md.
const (
	ReadmeBegin = "<!-- tools:begin (generated from the operation declarations by `go generate ./...`; do not edit) -->"
	ReadmeEnd   = "<!-- tools:end -->"
)

// Access sums up a tool's annotations in one word: read, write or
// destructive.
func (t Tool) Access() string {
	a := t.Definition.Annotations
	switch {
	case a.ReadOnlyHint != nil && *a.ReadOnlyHint:
		return "read"
	case a.DestructiveHint != nil && *a.DestructiveHint:
		return "destructive"
	}
	return "write"
}

// Markdown renders the registry's tools as the README's tool reference:
// one table per toolset with each tool's name, title, access and REST call.
func (r *Registry) Markdown() string {
	var b strings.Builder
	var order []string
	byset := map[string][]Tool{}
	for _, t := range r.tools {
		if _, ok := byset[t.Toolset]; !ok {
			order = append(order, t.Toolset)
		}
		byset[t.Toolset] = append(byset[t.Toolset], t)
	}
	defaults := 0
	for _, t := range r.tools {
		if t.Default {
			defaults++
		}
	}
	fmt.Fprintf(&b, "%d tools in %d toolsets; ★ marks the %d of the default toolset.\n", len(r.tools), len(order), defaults)
	for _, set := range order {
		heading := "**" + set + "**"
		if pkg := byset[set][0].Package; pkg != "" {
			heading += fmt.Sprintf(" — declared in [`%s`](%s/)", pkg, pkg)
		}
		fmt.Fprintf(&b, "\n%s\n\n| Tool | What it does | Access | REST |\n|---|---|---|---|\n", heading)
		for _, t := range byset[set] {
			rest := "any"
			if t.Method != "" {
				rest = fmt.Sprintf("`%s %s`", t.Method, t.Path)
			}
			name := "`" + t.Name() + "`"
			if t.Default {
				name += " ★"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, t.Definition.Title, t.Access(), rest)
		}
	}
	return b.String()
}

// ReadmeSection is the README's generated tool reference, markers included,
// for every tool there is.
func ReadmeSection() (string, error) {
	// A local directory is named so that the table lists the local-file
	// tools too; nothing is read from it.
	reg, err := newRegistry(nil, Options{Toolsets: []string{AllToolsets}, LocalDir: "DIR"}, derivedCatalog)
	if err != nil {
		return "", err
	}
	return ReadmeBegin + "\n" + reg.Markdown() + ReadmeEnd, nil
}

// WriteReadme rewrites the tool reference between the markers of the
// README at path.
func WriteReadme(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	readme := string(data)
	start, end := strings.Index(readme, ReadmeBegin), strings.Index(readme, ReadmeEnd)
	if start < 0 || end < start {
		return errors.New(path + " lacks the tool reference markers")
	}
	section, err := ReadmeSection()
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(readme[:start]+section+readme[end+len(ReadmeEnd):]), 0o644)
}
