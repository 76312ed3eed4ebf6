package emulator

import (
	"encoding/base64"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Limits of the Secrets API, as the API reference states them.
const (
	maxSecretNameLen      = 128        // scope and key names
	maxSecretValueBytes   = 128 * 1024 // one secret value
	maxSecretsPerScope    = 1000
	maxScopesPerWorkspace = 1000
)

// secretNameRE is the character set allowed in scope and key names,
// compiled on first use rather than at package initialisation.
var secretNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_.-]+$`) })

// secretScope is a scope's state in the scopes store: what the Secrets
// API keeps inside a scope.
type secretScope struct {
	name    string
	backend string // DATABRICKS or AZURE_KEYVAULT
	secrets map[string]*secret
	acls    map[string]string // principal -> permission
}

type secret struct {
	value   []byte
	updated time.Time
}

var _ = declareArea((*Emulator).declareSecrets)

// declareSecrets serves the Secrets API: scopes on a store keyed by name,
// their secrets and ACLs by hand.
func (e *Emulator) declareSecrets() {
	e.scopes = e.store("secret scopes", storeOpts{
		noun:    "scope",
		idField: "scope",
		fields: map[string]fieldKind{
			"scope": fString, "scope_backend_type": fString,
			"initial_manage_principal": fString, "backend_azure_keyvault": fObject,
		},
		required: []string{"scope"},
		maxCount: maxScopesPerWorkspace,
		listKey:  "scopes",
		reply:    replyEmpty,
		missing:  errSpec{format: "Scope %s does not exist!"},
		exists:   errSpec{status: http.StatusBadRequest, format: "Scope %s already exists!"},
		full:     errSpec{format: "The workspace already has the maximum of %d secret scopes."},
		onCreate: scopeCreated,
		view: func(r *resource) map[string]any {
			return pruned(map[string]any{"name": r.key, "backend_type": r.str("backend_type"), "keyvault_metadata": r.out["keyvault_metadata"]})
		},
		order: sortedByKey,
	})
	e.scopes.create("POST", "/api/2.0/secrets/scopes/create")
	e.scopes.delete("POST", "/api/2.0/secrets/scopes/delete")
	e.scopes.list("GET", "/api/2.0/secrets/scopes/list")
	e.handle("POST", "/api/2.0/secrets/put", e.secretsPut)
	e.handle("POST", "/api/2.0/secrets/delete", e.secretsDelete)
	e.handle("GET", "/api/2.0/secrets/list", e.secretsList)
	e.handle("GET", "/api/2.0/secrets/get", e.secretsGet)
	e.handle("POST", "/api/2.0/secrets/acls/put", e.secretsPutACL)
	e.handle("POST", "/api/2.0/secrets/acls/delete", e.secretsDeleteACL)
	e.handle("GET", "/api/2.0/secrets/acls/get", e.secretsGetACL)
	e.handle("GET", "/api/2.0/secrets/acls/list", e.secretsListACLs)
}

func validSecretName(s string) bool {
	return len(s) <= maxSecretNameLen && secretNameRE().MatchString(s)
}

// scopeCreated checks a new scope's name, backend and principal and gives
// it its creator's (or all users') MANAGE ACL.
func scopeCreated(o *op) *apiError {
	name := o.r.str("scope")
	if !validSecretName(name) {
		return invalidParam("Scope name '%s' is invalid: it must consist of alphanumeric characters, dashes, underscores and periods, and may not exceed %d characters.", name, maxSecretNameLen)
	}
	backend := strings.ToUpper(o.r.str("scope_backend_type"))
	if backend == "" {
		backend = "DATABRICKS"
	}
	if !oneOf(backend, "DATABRICKS", "AZURE_KEYVAULT") {
		return invalidParam("Invalid scope_backend_type '%s'; allowed values are DATABRICKS and AZURE_KEYVAULT.", backend)
	}
	principal := o.r.str("initial_manage_principal")
	if principal != "" && principal != "users" {
		return invalidParam("initial_manage_principal '%s' is not supported; the only supported principal is 'users'.", principal)
	}
	if backend == "AZURE_KEYVAULT" {
		kv, present, _ := o.in.object("backend_azure_keyvault")
		if !present {
			return invalidParam("Scope with Azure KeyVault must have backend_azure_keyvault (resource_id and dns_name) defined!")
		}
		sub := &params{body: kv}
		resID, aerr := sub.requiredStr("resource_id")
		if aerr != nil {
			return invalidParam("backend_azure_keyvault.resource_id is required for an Azure KeyVault scope.")
		}
		dns, aerr := sub.requiredStr("dns_name")
		if aerr != nil {
			return invalidParam("backend_azure_keyvault.dns_name is required for an Azure KeyVault scope.")
		}
		o.r.set("keyvault_metadata", map[string]string{"resource_id": resID, "dns_name": dns})
	}
	o.r.set("backend_type", backend)
	owner := UserName
	if principal != "" {
		owner = principal
	}
	o.r.state = &secretScope{name: name, backend: backend, secrets: map[string]*secret{}, acls: map[string]string{owner: "MANAGE"}}
	return nil
}

// lookupScope finds the scope named by the "scope" parameter.
func (e *Emulator) lookupScope(p *params) (*secretScope, *apiError) {
	r, aerr := e.scopes.lookup(p)
	if aerr != nil {
		return nil, aerr
	}
	return r.state.(*secretScope), nil
}

func (e *Emulator) secretsPut(p *params) (any, *apiError) {
	sc, aerr := e.lookupScope(p)
	if aerr != nil {
		return nil, aerr
	}
	key, aerr := p.requiredStr("key")
	if aerr != nil {
		return nil, aerr
	}
	if !validSecretName(key) {
		return nil, invalidParam("Secret key '%s' is invalid: it must consist of alphanumeric characters, dashes, underscores and periods, and may not exceed %d characters.", key, maxSecretNameLen)
	}
	hasString, hasBytes := p.has("string_value"), p.has("bytes_value")
	var value []byte
	switch {
	case hasString && hasBytes:
		return nil, malformed("Exactly one of string_value or bytes_value must be specified, not both.")
	case hasString:
		s, aerr := p.str("string_value")
		if aerr != nil {
			return nil, aerr
		}
		value = []byte(s)
	case hasBytes:
		s, aerr := p.str("bytes_value")
		if aerr != nil {
			return nil, aerr
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, invalidParam("bytes_value must be base64-encoded.")
		}
		value = b
	default:
		return nil, invalidParam("Exactly one of string_value or bytes_value must be specified.")
	}
	if len(value) > maxSecretValueBytes {
		return nil, invalidParam("Secret value is %d bytes; the maximum allowed size is %d bytes (128 KB).", len(value), maxSecretValueBytes)
	}
	if sc.backend != "DATABRICKS" {
		return nil, errorf(http.StatusBadRequest, "BAD_REQUEST",
			"Scope %s is backed by Azure KeyVault and is read-only through this API; write the secret in the key vault instead.", sc.name)
	}
	if _, exists := sc.secrets[key]; !exists && len(sc.secrets) >= maxSecretsPerScope {
		return nil, errorf(http.StatusBadRequest, "RESOURCE_LIMIT_EXCEEDED",
			"Scope %s already holds the maximum of %d secrets.", sc.name, maxSecretsPerScope)
	}
	sc.secrets[key] = &secret{value: value, updated: e.now()}
	return nil, nil
}

func secretMissing(scope, key string) *apiError {
	return notFound("Secret %s does not exist in scope %s!", key, scope)
}

func (e *Emulator) secretsDelete(p *params) (any, *apiError) {
	sc, aerr := e.lookupScope(p)
	if aerr != nil {
		return nil, aerr
	}
	key, aerr := p.requiredStr("key")
	if aerr != nil {
		return nil, aerr
	}
	if sc.backend != "DATABRICKS" {
		return nil, errorf(http.StatusBadRequest, "BAD_REQUEST",
			"Scope %s is backed by Azure KeyVault; delete the secret in the key vault instead.", sc.name)
	}
	if _, ok := sc.secrets[key]; !ok {
		return nil, secretMissing(sc.name, key)
	}
	delete(sc.secrets, key)
	return nil, nil
}

// secretsList returns secret metadata only: the API never lists values.
func (e *Emulator) secretsList(p *params) (any, *apiError) {
	sc, aerr := e.lookupScope(p)
	if aerr != nil {
		return nil, aerr
	}
	if len(sc.secrets) == 0 {
		return nil, nil
	}
	keys := slices.Sorted(maps.Keys(sc.secrets))
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{"key": k, "last_updated_timestamp": millis(sc.secrets[k].updated)}
	}
	return map[string]any{"secrets": out}, nil
}

// secretsGet returns a secret's bytes, base64-encoded, as the API does.
func (e *Emulator) secretsGet(p *params) (any, *apiError) {
	sc, aerr := e.lookupScope(p)
	if aerr != nil {
		return nil, aerr
	}
	key, aerr := p.requiredStr("key")
	if aerr != nil {
		return nil, aerr
	}
	s, ok := sc.secrets[key]
	if !ok {
		return nil, secretMissing(sc.name, key)
	}
	return map[string]any{"key": key, "value": base64.StdEncoding.EncodeToString(s.value)}, nil
}

var aclPermissions = []string{"READ", "WRITE", "MANAGE"}

func (e *Emulator) secretsPutACL(p *params) (any, *apiError) {
	sc, aerr := e.lookupScope(p)
	if aerr != nil {
		return nil, aerr
	}
	principal, aerr := p.requiredStr("principal")
	if aerr != nil {
		return nil, aerr
	}
	perm, aerr := p.requiredStr("permission")
	if aerr != nil {
		return nil, aerr
	}
	if !oneOf(perm, aclPermissions...) {
		return nil, invalidParam("Invalid permission '%s'; allowed values are READ, WRITE and MANAGE.", perm)
	}
	sc.acls[principal] = perm
	return nil, nil
}

func (e *Emulator) lookupACL(p *params) (*secretScope, string, *apiError) {
	sc, aerr := e.lookupScope(p)
	if aerr != nil {
		return nil, "", aerr
	}
	principal, aerr := p.requiredStr("principal")
	if aerr != nil {
		return nil, "", aerr
	}
	if _, ok := sc.acls[principal]; !ok {
		return nil, "", notFound("No ACL for principal %s exists on scope %s!", principal, sc.name)
	}
	return sc, principal, nil
}

func (e *Emulator) secretsDeleteACL(p *params) (any, *apiError) {
	sc, principal, aerr := e.lookupACL(p)
	if aerr != nil {
		return nil, aerr
	}
	delete(sc.acls, principal)
	return nil, nil
}

func (e *Emulator) secretsGetACL(p *params) (any, *apiError) {
	sc, principal, aerr := e.lookupACL(p)
	if aerr != nil {
		return nil, aerr
	}
	return map[string]any{"principal": principal, "permission": sc.acls[principal]}, nil
}

func (e *Emulator) secretsListACLs(p *params) (any, *apiError) {
	sc, aerr := e.lookupScope(p)
	if aerr != nil {
		return nil, aerr
	}
	if len(sc.acls) == 0 {
		return nil, nil
	}
	principals := slices.Sorted(maps.Keys(sc.acls))
	out := make([]any, len(principals))
	for i, pr := range principals {
		out[i] = map[string]any{"principal": pr, "permission": sc.acls[pr]}
	}
	return map[string]any{"items": out}, nil
}
