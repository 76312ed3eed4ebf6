package emulator

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
)

// Page sizes of the cluster events API, from its reference: 50 by default,
// at most 500.
const (
	defaultEventPage = 50
	maxEventPage     = 500
)

// pageToken encodes a position in a listing. Tokens are opaque to callers;
// they are only meaningful with the same filters.
func pageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func parsePageToken(tok string) (int, *apiError) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil {
		if s, ok := strings.CutPrefix(string(b), "offset:"); ok {
			if n, err := strconv.Atoi(s); err == nil && n >= 0 {
				return n, nil
			}
		}
	}
	return 0, invalidParam("Invalid page_token '%s'; pass a next_page_token or prev_page_token from a previous response.", tok)
}

// stateRank orders clusters the way the list API does by default: active
// clusters before stopping and stopped ones.
var stateRank = map[string]int{
	stateRunning: 0, stateResizing: 1, stateRestarting: 2, statePending: 3,
	stateTerminating: 4, stateTerminated: 5, "ERROR": 6, "UNKNOWN": 7,
}

// clustersList serves GET clusters/list: filter_by.* and sort_by.* come as
// dotted query keys, pages as page_size and page_token.
func (e *Emulator) clustersList(p *params) (any, *apiError) {
	states, aerr := p.strs("filter_by.cluster_states")
	if aerr != nil {
		return nil, aerr
	}
	for _, s := range states {
		if !oneOf(s, allStates...) {
			return nil, invalidParam("Invalid filter_by.cluster_states value '%s'; allowed values are %s.", s, strings.Join(allStates, ", "))
		}
	}
	sources, aerr := p.strs("filter_by.cluster_sources")
	if aerr != nil {
		return nil, aerr
	}
	for _, s := range sources {
		if !oneOf(s, allSources...) {
			return nil, invalidParam("Invalid filter_by.cluster_sources value '%s'; allowed values are %s.", s, strings.Join(allSources, ", "))
		}
	}
	pinned, hasPinned, aerr := p.boolean("filter_by.is_pinned")
	if aerr != nil {
		return nil, aerr
	}
	policy, aerr := p.str("filter_by.policy_id")
	if aerr != nil {
		return nil, aerr
	}
	field, aerr := p.str("sort_by.field")
	if aerr != nil {
		return nil, aerr
	}
	if field != "" && !oneOf(field, "CLUSTER_NAME", "DEFAULT") {
		return nil, invalidParam("Invalid sort_by.field '%s'; allowed values are CLUSTER_NAME, DEFAULT.", field)
	}
	dir, aerr := p.str("sort_by.direction")
	if aerr != nil {
		return nil, aerr
	}
	if dir != "" && !oneOf(dir, "ASC", "DESC") {
		return nil, invalidParam("Invalid sort_by.direction '%s'; allowed values are ASC, DESC.", dir)
	}
	size, _, aerr := p.int64("page_size")
	if aerr != nil {
		return nil, aerr
	}
	if size < 0 {
		return nil, invalidParam("page_size must not be negative, got %d.", size)
	}
	offset := 0
	if tok, _ := p.str("page_token"); tok != "" {
		if offset, aerr = parsePageToken(tok); aerr != nil {
			return nil, aerr
		}
	}

	var list []*cluster
	for _, c := range e.clusters {
		e.advance(c)
		if len(states) > 0 && !oneOf(c.state, states...) {
			continue
		}
		if len(sources) > 0 && !oneOf(c.source, sources...) {
			continue
		}
		if hasPinned && c.pinned != pinned {
			continue
		}
		if policy != "" && specStr(c.spec, "policy_id") != policy {
			continue
		}
		list = append(list, c)
	}
	byName := func(a, b *cluster) int {
		return strings.Compare(specStr(a.spec, "cluster_name"), specStr(b.spec, "cluster_name"))
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if field != "CLUSTER_NAME" {
			if ra, rb := stateRank[a.state], stateRank[b.state]; ra != rb {
				return ra < rb
			}
			if a.pinned != b.pinned {
				return a.pinned
			}
		}
		if n := byName(a, b); n != 0 {
			return (n < 0) != (dir == "DESC")
		}
		return (a.id < b.id) != (dir == "DESC")
	})

	total := len(list)
	offset = min(offset, total)
	end := total
	if size > 0 {
		end = min(offset+int(size), total)
	}
	out := map[string]any{}
	if end > offset {
		items := make([]any, 0, end-offset)
		for _, c := range list[offset:end] {
			items = append(items, c.wire())
		}
		out["clusters"] = items
	}
	if end < total {
		out["next_page_token"] = pageToken(end)
	}
	if offset > 0 && size > 0 {
		out["prev_page_token"] = pageToken(max(offset-int(size), 0))
	}
	return out, nil
}

// clustersEvents serves POST clusters/events with both paging styles the API
// has: the deprecated offset/limit (answered with next_page and
// total_count) and page_token/page_size (answered with page tokens).
func (e *Emulator) clustersEvents(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	startMS, hasStart, aerr := p.int64("start_time")
	if aerr != nil {
		return nil, aerr
	}
	endMS, hasEnd, aerr := p.int64("end_time")
	if aerr != nil {
		return nil, aerr
	}
	types, aerr := p.strs("event_types")
	if aerr != nil {
		return nil, aerr
	}
	for _, t := range types {
		if !oneOf(t, allEventTypes...) {
			return nil, invalidParam("Invalid event type '%s'; allowed values are %s.", t, strings.Join(allEventTypes, ", "))
		}
	}
	order, aerr := p.str("order")
	if aerr != nil {
		return nil, aerr
	}
	if order == "" {
		order = "DESC"
	}
	if !oneOf(order, "ASC", "DESC") {
		return nil, invalidParam("Invalid order '%s'; allowed values are ASC, DESC.", order)
	}
	offset, hasOffset, aerr := p.int64("offset")
	if aerr != nil {
		return nil, aerr
	}
	limit, hasLimit, aerr := p.int64("limit")
	if aerr != nil {
		return nil, aerr
	}
	pageSize, hasPageSize, aerr := p.int64("page_size")
	if aerr != nil {
		return nil, aerr
	}
	tok, aerr := p.str("page_token")
	if aerr != nil {
		return nil, aerr
	}

	var matched []clusterEvent
	for _, ev := range c.events {
		ts := millis(ev.at)
		if hasStart && ts < startMS || hasEnd && ts > endMS {
			continue
		}
		if len(types) > 0 && !oneOf(ev.typ, types...) {
			continue
		}
		matched = append(matched, ev)
	}
	if order == "DESC" {
		for i, j := 0, len(matched)-1; i < j; i, j = i+1, j-1 {
			matched[i], matched[j] = matched[j], matched[i]
		}
	}
	total := len(matched)
	render := func(evs []clusterEvent) map[string]any {
		out := map[string]any{}
		if len(evs) > 0 {
			items := make([]any, len(evs))
			for i, ev := range evs {
				items[i] = map[string]any{
					"cluster_id": c.id,
					"timestamp":  millis(ev.at),
					"type":       ev.typ,
					"details":    ev.details,
				}
			}
			out["events"] = items
		}
		return out
	}

	if tok != "" || hasPageSize {
		size := int(min(max(pageSize, 0), maxEventPage))
		if size == 0 {
			size = defaultEventPage
		}
		start := 0
		if tok != "" {
			if start, aerr = parsePageToken(tok); aerr != nil {
				return nil, aerr
			}
		}
		start = min(start, total)
		end := min(start+size, total)
		out := render(matched[start:end])
		if end < total {
			out["next_page_token"] = pageToken(end)
		}
		if start > 0 {
			out["prev_page_token"] = pageToken(max(start-size, 0))
		}
		return out, nil
	}

	if !hasLimit {
		limit = defaultEventPage
	}
	if limit < 1 || limit > maxEventPage {
		return nil, invalidParam("limit must be between 1 and %d, got %d.", maxEventPage, limit)
	}
	if offset < 0 {
		return nil, invalidParam("offset must not be negative, got %d.", offset)
	}
	if hasOffset && offset > 0 && order == "DESC" && !hasEnd {
		return nil, invalidParam("end_time is required when an offset is given and events are listed in DESC order.")
	}
	start := int(min(offset, int64(total)))
	end := min(start+int(limit), total)
	out := render(matched[start:end])
	out["total_count"] = total
	if end < total {
		next := map[string]any{
			"cluster_id": c.id,
			"order":      order,
			"offset":     end,
			"limit":      limit,
		}
		if hasStart {
			next["start_time"] = startMS
		}
		// A DESC listing needs a fixed end_time to page by offset, so the
		// next page pins it when the caller left it open.
		switch {
		case hasEnd:
			next["end_time"] = endMS
		case order == "DESC":
			next["end_time"] = millis(e.now())
		}
		if len(types) > 0 {
			next["event_types"] = types
		}
		out["next_page"] = next
	}
	return out, nil
}
