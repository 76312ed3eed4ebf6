package tools

import (
	"strings"

	"github.com/dbx-mcp/dbx-mcp/schema"
)

// Suggest returns the candidate closest to name, for a did-you-mean, or ""
// when none is close: within a third of the name's length in edits, or
// one that contains it or is contained in it.
func Suggest(name string, candidates []string) string {
	best, bestDist := "", len(name)/3+1
	for _, c := range candidates {
		if d := schema.EditDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	for _, c := range candidates {
		if len(name) >= 4 && (strings.Contains(c, name) || strings.Contains(name, c)) {
			return c
		}
	}
	return ""
}
