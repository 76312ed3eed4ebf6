package catalog

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// DefaultPageSize is the max_results the list tools send when the caller
// gives none. Unity Catalog answers an unset max_results with every item
// at once (the API reference calls that "not recommended"), which on a
// large catalog or schema is slow, huge, or fails; a page of 100 is what
// a model can read.
const DefaultPageSize = 100

// ucPaging is how every Unity Catalog list pages.
func ucPaging(items string) *client.Paging {
	return &client.Paging{Style: client.PageToken, Items: items, Size: "max_results"}
}

// defaultPageSize is the Prepare hook of the lists: it adds
// max_results=DefaultPageSize when the arguments have none.
func defaultPageSize(args json.RawMessage) (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(args) > 0 && string(args) != "null" {
		if err := json.Unmarshal(args, &m); err != nil {
			return nil, fmt.Errorf("arguments must be a JSON object: %w", err)
		}
	}
	if v, ok := m["max_results"]; ok && string(v) != "null" {
		return args, nil
	}
	m["max_results"] = json.RawMessage(strconv.Itoa(DefaultPageSize))
	return json.Marshal(m)
}

const pageDoc = " Pages: max_results (100 unless given), then page_token = next_page_token until none."
