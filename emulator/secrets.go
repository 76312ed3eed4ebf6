package emulator

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Limits of the Secrets API, as the API reference states them.
const (
	maxSecretNameLen      = 128        // scope and key names
	maxSecretValueBytes   = 128 * 1024 // one secret value
	maxSecretsPerScope    = 1000
	maxScopesPerWorkspace = 1000
)

// secretNameRE is the character set allowed in scope and key names.
var secretNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

type secretScope struct {
	name     string
	backend  string          // DATABRICKS or AZURE_KEYVAULT
	keyvault json.RawMessage // keyvault_metadata of an AZURE_KEYVAULT scope
	secrets  map[string]*secret
	acls     map[string]string // principal -> permission
}

type secret struct {
	value   []byte
	updated time.Time
}

// declareSecrets serves the Secrets API: scopes, their secrets and ACLs.
func (e *Emulator) declareSecrets() {
	e.handle("POST", "/api/2.0/secrets/scopes/create", e.secretsCreateScope)
	e.handle("POST", "/api/2.0/secrets/scopes/delete", e.secretsDeleteScope)
	e.handle("GET", "/api/2.0/secrets/scopes/list", e.secretsListScopes)
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
	return len(s) <= maxSecretNameLen && secretNameRE.MatchString(s)
}

func scopeMissing(name string) *apiError {
	return notFound("Scope %s does not exist!", name)
}

// lookupScope finds the scope named by the "scope" parameter.
func (e *Emulator) lookupScope(p *params) (*secretScope, *apiError) {
	name, aerr := p.requiredStr("scope")
	if aerr != nil {
		return nil, aerr
	}
	sc, ok := e.scopes[name]
	if !ok {
		return nil, scopeMissing(name)
	}
	return sc, nil
}

func (e *Emulator) secretsCreateScope(p *params) (any, *apiError) {
	name, aerr := p.requiredStr("scope")
	if aerr != nil {
		return nil, aerr
	}
	if !validSecretName(name) {
		return nil, invalidParam("Scope name '%s' is invalid: it must consist of alphanumeric characters, dashes, underscores and periods, and may not exceed %d characters.", name, maxSecretNameLen)
	}
	backend, aerr := p.str("scope_backend_type")
	if aerr != nil {
		return nil, aerr
	}
	backend = strings.ToUpper(backend)
	if backend == "" {
		backend = "DATABRICKS"
	}
	if !oneOf(backend, "DATABRICKS", "AZURE_KEYVAULT") {
		return nil, invalidParam("Invalid scope_backend_type '%s'; allowed values are DATABRICKS and AZURE_KEYVAULT.", backend)
	}
	principal, aerr := p.str("initial_manage_principal")
	if aerr != nil {
		return nil, aerr
	}
	if principal != "" && principal != "users" {
		return nil, invalidParam("initial_manage_principal '%s' is not supported; the only supported principal is 'users'.", principal)
	}
	var keyvault json.RawMessage
	if backend == "AZURE_KEYVAULT" {
		kv, present, aerr := p.object("backend_azure_keyvault")
		if aerr != nil {
			return nil, aerr
		}
		if !present {
			return nil, invalidParam("Scope with Azure KeyVault must have backend_azure_keyvault (resource_id and dns_name) defined!")
		}
		sub := &params{body: kv}
		resID, aerr := sub.requiredStr("resource_id")
		if aerr != nil {
			return nil, invalidParam("backend_azure_keyvault.resource_id is required for an Azure KeyVault scope.")
		}
		dns, aerr := sub.requiredStr("dns_name")
		if aerr != nil {
			return nil, invalidParam("backend_azure_keyvault.dns_name is required for an Azure KeyVault scope.")
		}
		keyvault, _ = json.Marshal(map[string]string{"resource_id": resID, "dns_name": dns})
	}
	if _, exists := e.scopes[name]; exists {
		return nil, errorf(http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "Scope %s already exists!", name)
	}
	if len(e.scopes) >= maxScopesPerWorkspace {
		return nil, errorf(http.StatusBadRequest, "RESOURCE_LIMIT_EXCEEDED",
			"The workspace already has the maximum of %d secret scopes.", maxScopesPerWorkspace)
	}
	owner := UserName
	if principal != "" {
		owner = principal
	}
	e.scopes[name] = &secretScope{
		name:     name,
		backend:  backend,
		keyvault: keyvault,
		secrets:  map[string]*secret{},
		acls:     map[string]string{owner: "MANAGE"},
	}
	return nil, nil
}

func (e *Emulator) secretsDeleteScope(p *params) (any, *apiError) {
	sc, aerr := e.lookupScope(p)
	if aerr != nil {
		return nil, aerr
	}
	delete(e.scopes, sc.name)
	return nil, nil
}

func (e *Emulator) secretsListScopes(*params) (any, *apiError) {
	if len(e.scopes) == 0 {
		return nil, nil
	}
	names := slices.Sorted(maps.Keys(e.scopes))
	out := make([]any, len(names))
	for i, n := range names {
		sc := e.scopes[n]
		item := map[string]any{"name": sc.name, "backend_type": sc.backend}
		if sc.keyvault != nil {
			item["keyvault_metadata"] = sc.keyvault
		}
		out[i] = item
	}
	return map[string]any{"scopes": out}, nil
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
