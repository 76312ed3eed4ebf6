package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
)

// PagingStyle is one of the ways Databricks list operations page.
type PagingStyle int

// The paging styles.
const (
	// PageToken: the answer's next_page_token (NextToken) is sent back as
	// page_token (Token); an empty or missing token ends the list. Lists
	// that also answer has_more end when it is false.
	PageToken PagingStyle = iota + 1
	// Offset: offset and limit in the request; the answer's has_more says
	// whether another page follows.
	Offset
	// SCIM: 1-based startIndex and count in the request; the answer has
	// totalResults, itemsPerPage and Resources.
	SCIM
	// NextRequest: the answer's next_page (NextToken) is the whole request
	// for the next page, as the cluster events list does.
	NextRequest
)

// Paging says how a list operation pages. Zero-valued names take the
// style's usual ones.
type Paging struct {
	Style PagingStyle
	// Items is the answer's member holding the page's items.
	Items string
	// Token is the request member that asks for a page (page_token,
	// offset, startIndex).
	Token string
	// NextToken is the answer's member that names the next page
	// (next_page_token, next_page).
	NextToken string
	// Size is the request member bounding a page (page_size, max_results,
	// limit, count).
	Size string
}

func (p *Paging) token() string {
	switch {
	case p.Token != "":
		return p.Token
	case p.Style == Offset:
		return "offset"
	case p.Style == SCIM:
		return "startIndex"
	}
	return "page_token"
}

func (p *Paging) nextToken() string {
	switch {
	case p.NextToken != "":
		return p.NextToken
	case p.Style == NextRequest:
		return "next_page"
	}
	return "next_page_token"
}

func (p *Paging) items() string {
	if p.Items == "" && p.Style == SCIM {
		return "Resources"
	}
	return p.Items
}

// Next returns the arguments that fetch the page after page, which answered
// args; ok is false when page was the last one.
func (p *Paging) Next(args, page json.RawMessage) (next json.RawMessage, ok bool, err error) {
	var a, r map[string]json.RawMessage
	if t := bytes.TrimSpace(args); len(t) > 0 && string(t) != "null" {
		if err := json.Unmarshal(t, &a); err != nil {
			return nil, false, fmt.Errorf("paging: arguments: %w", err)
		}
	}
	if a == nil {
		a = map[string]json.RawMessage{}
	}
	if err := json.Unmarshal(page, &r); err != nil {
		return nil, false, fmt.Errorf("paging: answer: %w", err)
	}
	var items []json.RawMessage
	if name := p.items(); name != "" {
		_ = json.Unmarshal(r[name], &items)
	}
	// Lists that say whether a page follows (has_more in most APIs,
	// has_next_page in the SQL query history) end when it does not, whatever
	// token they also send.
	for _, flag := range []string{"has_more", "has_next_page"} {
		if v, present := r[flag]; present && string(bytes.TrimSpace(v)) == "false" {
			return nil, false, nil
		}
	}
	switch p.Style {
	case PageToken:
		tok, _ := scalarText(r[p.nextToken()])
		if tok == "" {
			return nil, false, nil
		}
		a[p.token()], _ = json.Marshal(tok)
	case NextRequest:
		nr := bytes.TrimSpace(r[p.nextToken()])
		if len(nr) == 0 || nr[0] != '{' {
			return nil, false, nil
		}
		return nr, true, nil
	case Offset:
		if string(bytes.TrimSpace(r["has_more"])) != "true" || len(items) == 0 {
			return nil, false, nil
		}
		off, _ := intMember(a, p.token())
		a[p.token()] = json.RawMessage(strconv.FormatInt(off+int64(len(items)), 10))
	case SCIM:
		start, ok := intMember(a, p.token())
		if !ok || start < 1 {
			start = 1
		}
		total, hasTotal := intMember(r, "totalResults")
		if len(items) == 0 || (hasTotal && start-1+int64(len(items)) >= total) {
			return nil, false, nil
		}
		a[p.token()] = json.RawMessage(strconv.FormatInt(start+int64(len(items)), 10))
	default:
		return nil, false, fmt.Errorf("paging: unknown style %d", p.Style)
	}
	next, err = json.Marshal(a)
	return next, err == nil, err
}

func intMember(m map[string]json.RawMessage, name string) (int64, bool) {
	v, ok := scalarText(m[name])
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// Pages calls a list operation page after page, starting from args, and
// yields each page's answer as the API sent it. It stops at the last page,
// at the first error (yielded), or when the loop stops asking. An operation
// declared without paging yields its one answer.
func Pages(ctx context.Context, c *Client, op Operation, args json.RawMessage) iter.Seq2[json.RawMessage, error] {
	return func(yield func(json.RawMessage, error) bool) {
		p := op.Info().Paging
		for {
			page, err := op.Invoke(ctx, c, args)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) || p == nil {
				return
			}
			next, ok, err := p.Next(args, page)
			if err != nil {
				yield(nil, err)
				return
			}
			if !ok {
				return
			}
			args = next
		}
	}
}

// Pages calls the list page after page, starting from req, and yields each
// decoded page (see the package function Pages).
func (e *Endpoint[Req, Resp]) Pages(ctx context.Context, c *Client, req *Req) iter.Seq2[*Resp, error] {
	return func(yield func(*Resp, error) bool) {
		if req == nil {
			req = new(Req)
		}
		args, err := json.Marshal(req)
		if err != nil {
			yield(nil, fmt.Errorf("%s: encoding request: %w", e.fullName(), err))
			return
		}
		for raw, err := range Pages(ctx, c, e, args) {
			if err != nil {
				yield(nil, err)
				return
			}
			resp := new(Resp)
			if err := json.Unmarshal(raw, resp); err != nil {
				yield(nil, fmt.Errorf("%s: decoding response: %w", e.fullName(), err))
				return
			}
			if !yield(resp, nil) {
				return
			}
		}
	}
}
