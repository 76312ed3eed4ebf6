package emulator

import (
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

// The Repos API: Git folders. A Git folder is a REPO object of the
// workspace tree (its id is the object's id), linked to a remote
// repository that the emulator does not contact: a checkout is a branch
// name and a made-up head commit, and the folder starts empty.

// reposPageSize is how many Git folders one list page holds.
const reposPageSize = 20

// gitProviders are the providers the Repos API accepts, in lower case (it
// compares them ignoring case).
var gitProviders = []string{
	"awscodecommit", "azuredevopsservices", "bitbucketcloud", "bitbucketserver",
	"github", "githubenterprise", "gitlab", "gitlabenterpriseedition",
}

// repoState is what a REPO object knows besides its place in the tree.
type repoState struct {
	url, provider string
	branch, tag   string
	head          string
	sparse        []string // nil: no sparse checkout
}

var _ = declareArea((*Emulator).declareRepos)

func (e *Emulator) declareRepos() {
	e.handle("POST", "/api/2.0/repos", e.reposCreate)
	e.handle("GET", "/api/2.0/repos", e.reposList)
	e.handle("GET", "/api/2.0/repos/{repo_id}", e.reposGet)
	e.handle("PATCH", "/api/2.0/repos/{repo_id}", e.reposUpdate)
	e.handle("DELETE", "/api/2.0/repos/{repo_id}", e.reposDelete)
}

// headCommit makes the commit id a ref points to, the same every time.
func headCommit(url, ref string) string {
	sum := sha1.Sum([]byte(url + "\x00" + ref))
	return hex.EncodeToString(sum[:])
}

func repoInfo(n *wsNode) map[string]any {
	r := n.repo
	out := map[string]any{
		"id": n.id, "path": n.path, "url": r.url, "provider": r.provider, "head_commit_id": r.head,
	}
	if r.branch != "" {
		out["branch"] = r.branch
	}
	if r.sparse != nil {
		out["sparse_checkout"] = map[string]any{"patterns": r.sparse}
	}
	return out
}

func (e *Emulator) reposCreate(p *params) (any, *apiError) {
	url, aerr := p.requiredStr("url")
	if aerr != nil {
		return nil, aerr
	}
	provider, aerr := p.requiredStr("provider")
	if aerr != nil {
		return nil, aerr
	}
	if !slices.Contains(gitProviders, strings.ToLower(provider)) {
		return nil, invalidParam("Invalid Git provider '%s'. Supported providers are gitHub, bitbucketCloud, gitLab, azureDevOpsServices, gitHubEnterprise, bitbucketServer, gitLabEnterpriseEdition and awsCodeCommit.", provider)
	}
	raw, aerr := p.str("path")
	if aerr != nil {
		return nil, aerr
	}
	if raw == "" {
		raw = "/Repos/" + UserName + "/" + strings.TrimSuffix(path.Base(url), ".git")
	}
	clean, aerr := cleanWorkspacePath(raw)
	if aerr != nil {
		return nil, aerr
	}
	if strings.HasPrefix(clean, "/Repos/") && strings.Count(clean, "/") != 3 {
		return nil, invalidParam("Repo path %s is invalid: paths under /Repos must be /Repos/{folder}/{repo-name}.", raw)
	}
	if e.ws.byPath[clean] != nil {
		return nil, errorf(http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "Path (%s) already exists.", clean)
	}
	var sparse []string
	if obj, present, aerr := p.object("sparse_checkout"); aerr != nil {
		return nil, aerr
	} else if present {
		sub := &params{body: obj}
		if sparse, aerr = sub.strs("patterns"); aerr != nil {
			return nil, aerr
		}
		if sparse == nil {
			sparse = []string{}
		}
	}
	if _, _, aerr := p.int64("git_credential_id"); aerr != nil {
		return nil, aerr
	}
	dir := path.Dir(clean)
	parent := e.ws.byPath[dir]
	if parent == nil && strings.HasPrefix(clean, "/Repos/") {
		// The folder under /Repos is made on demand, as for a user's own.
		if parent, aerr = e.wsMkdirs(dir); aerr != nil {
			return nil, aerr
		}
	}
	if parent == nil || !parent.isDir() {
		return nil, notFound("The parent folder (%s) does not exist.", dir)
	}
	n := e.wsAdd(parent, clean, "REPO")
	n.repo = &repoState{url: url, provider: provider, branch: "main", head: headCommit(url, "main"), sparse: sparse}
	return repoInfo(n), nil
}

// lookupRepo finds the Git folder named by the repo_id path parameter.
func (e *Emulator) lookupRepo(p *params) (*wsNode, *apiError) {
	raw, _ := p.str("repo_id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, invalidParam("Repo id '%s' is not a valid id.", raw)
	}
	for _, n := range e.ws.byPath {
		if n.id == id && n.objectType == "REPO" {
			return n, nil
		}
	}
	return nil, notFound("Repo %d does not exist.", id)
}

func (e *Emulator) reposGet(p *params) (any, *apiError) {
	n, aerr := e.lookupRepo(p)
	if aerr != nil {
		return nil, aerr
	}
	return repoInfo(n), nil
}

func (e *Emulator) reposList(p *params) (any, *apiError) {
	prefix, aerr := p.str("path_prefix")
	if aerr != nil {
		return nil, aerr
	}
	if prefix == "" || prefix == "/" || prefix == "/Workspace" || prefix == "/Workspace/" {
		prefix = "/Repos"
	} else if rest, ok := strings.CutPrefix(prefix, "/Workspace/"); ok {
		prefix = "/" + rest
	}
	var repos []*wsNode
	for p, n := range e.ws.byPath {
		if n.objectType == "REPO" && strings.HasPrefix(p, prefix) {
			repos = append(repos, n)
		}
	}
	slices.SortFunc(repos, func(a, b *wsNode) int { return strings.Compare(a.path, b.path) })
	start := 0
	if tok, _ := p.str("next_page_token"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 || n > len(repos) {
			return nil, invalidParam("Invalid next_page_token '%s'.", tok)
		}
		start = n
	}
	end := min(start+reposPageSize, len(repos))
	out := map[string]any{}
	if end > start {
		page := make([]any, 0, end-start)
		for _, n := range repos[start:end] {
			page = append(page, repoInfo(n))
		}
		out["repos"] = page
	}
	if end < len(repos) {
		out["next_page_token"] = strconv.Itoa(end)
	}
	return out, nil
}

func (e *Emulator) reposUpdate(p *params) (any, *apiError) {
	n, aerr := e.lookupRepo(p)
	if aerr != nil {
		return nil, aerr
	}
	branch, aerr := p.str("branch")
	if aerr != nil {
		return nil, aerr
	}
	tag, aerr := p.str("tag")
	if aerr != nil {
		return nil, aerr
	}
	obj, hasSparse, aerr := p.object("sparse_checkout")
	if aerr != nil {
		return nil, aerr
	}
	if _, _, aerr := p.int64("git_credential_id"); aerr != nil {
		return nil, aerr
	}
	if _, _, aerr := p.boolean("dangerously_force_discard_all"); aerr != nil {
		return nil, aerr
	}
	switch {
	case branch != "" && tag != "":
		return nil, invalidParam("Only one of branch and tag can be specified.")
	case branch == "" && tag == "" && !hasSparse:
		return nil, invalidParam("One of branch, tag or sparse_checkout must be specified.")
	case hasSparse && n.repo.sparse == nil:
		return nil, invalidParam("Sparse checkout is not enabled for this repo; it can only be enabled when the repo is created.")
	}
	r := n.repo
	if hasSparse {
		sub := &params{body: obj}
		patterns, aerr := sub.strs("patterns")
		if aerr != nil {
			return nil, aerr
		}
		if patterns == nil {
			patterns = []string{}
		}
		r.sparse = patterns
	}
	switch {
	case branch != "":
		r.branch, r.tag, r.head = branch, "", headCommit(r.url, "refs/heads/"+branch)
	case tag != "":
		r.branch, r.tag, r.head = "", tag, headCommit(r.url, "refs/tags/"+tag)
	}
	n.modified = millis(e.now())
	return nil, nil
}

func (e *Emulator) reposDelete(p *params) (any, *apiError) {
	n, aerr := e.lookupRepo(p)
	if aerr != nil {
		return nil, aerr
	}
	e.wsRemove(n)
	return nil, nil
}
