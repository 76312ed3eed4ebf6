#!/usr/bin/env node
// check.mjs drives dbx-mcp with the official MCP TypeScript SDK as the
// client, over stdio and over streamable HTTP, against the embedded emulator.
// A second, independent client implementation catches what our own Go
// client would forgive: schema dialect mismatches, wire details, annotations.
//
// Usage: node check.mjs /path/to/dbx-mcp
// Exit status 0 when every check passed, 1 otherwise (2 for usage errors).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const bin = process.argv[2];
if (!bin) {
  console.error('usage: node check.mjs /path/to/dbx-mcp');
  process.exit(2);
}

// expectedTools are every tool the server declares, as the Go test that
// runs this script derives them from the operation declarations
// (tools.ToolNames) and passes them in DBX_MCP_EXPECTED_TOOLS.
const expectedTools = (process.env.DBX_MCP_EXPECTED_TOOLS || '').split(',').filter(Boolean);
if (expectedTools.length === 0) {
  console.error('DBX_MCP_EXPECTED_TOOLS is empty; run this through go test ./cmd/dbx-mcp -run TypeScriptSDK');
  process.exit(2);
}

// Keywords whose meaning differs between JSON Schema draft-07 (what the SDK's
// default Ajv instance speaks) and 2020-12 (the MCP default dialect). A schema
// free of them validates the same under both. $ref and $defs are checked
// apart (checkRefs): used as dbx-mcp uses them, they mean the same in both.
const dialectSensitive = ['$schema', 'definitions', '$dynamicRef', '$recursiveRef',
  'prefixItems', 'dependencies', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties',
  'unevaluatedItems', 'additionalItems'];

// Keywords that only annotate. Draft-07 ignores whatever sits beside a $ref,
// 2020-12 applies it; with annotations only beside it, both read the same.
const annotationKeywords = new Set(['description', 'title', 'default', 'examples', 'deprecated',
  'readOnly', 'writeOnly', '$comment']);

/** checkRefs reports the uses of $ref and $defs whose meaning could depend on
 *  the draft: $defs below the root, a $ref other than "#/$defs/<name>" into
 *  the root's own $defs, and anything but annotations beside a $ref. */
function checkRefs(root, node, path, isRoot, problems) {
  if ('$defs' in node && !isRoot) problems.push(`${path} has $defs below the root`);
  if (!('$ref' in node)) return;
  const m = /^#\/\$defs\/([^/]+)$/.exec(node.$ref);
  if (!m || !(root.$defs && Object.hasOwn(root.$defs, m[1].replaceAll('~1', '/').replaceAll('~0', '~')))) {
    problems.push(`${path} has $ref ${JSON.stringify(node.$ref)}, not a reference into the schema's own $defs`);
  }
  for (const k of Object.keys(node)) {
    if (k !== '$ref' && !annotationKeywords.has(k)) problems.push(`${path} has ${k} beside $ref, which draft-07 ignores`);
  }
}

const CALL_TIMEOUT_MS = 15_000;
const WAIT_TIMEOUT_MS = 15_000;
// The whole run must end within this, servers included, even when a server hangs.
const OVERALL_TIMEOUT_MS = Number(process.env.DBX_MCP_CHECK_TIMEOUT_MS) || 25_000;

/** children are the server processes to kill should the run be cut short. */
const children = new Set();

function abort(msg) {
  console.log(`FAIL: ${msg}`);
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(1);
}
setTimeout(() => abort(`timed out after ${OVERALL_TIMEOUT_MS} ms`), OVERALL_TIMEOUT_MS).unref();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => abort(`interrupted by ${sig}`));

class CheckError extends Error {}

/** Suite runs named checks for one transport and records their outcome. */
class Suite {
  constructor(name) {
    this.name = name;
    this.passed = 0;
    this.failures = [];
  }

  /** check records a failed expectation without stopping the scenario. */
  check(cond, msg) {
    if (cond) {
      this.passed++;
    } else {
      this.failures.push(msg);
      console.error(`  FAIL [${this.name}] ${msg}`);
    }
    return cond;
  }

  /** must stops the current step when cond is false. */
  must(cond, msg) {
    if (!this.check(cond, msg)) throw new CheckError(msg);
  }

  async step(name, fn) {
    const start = Date.now();
    try {
      await fn();
      console.error(`  ok   [${this.name}] ${name} (${Date.now() - start} ms)`);
    } catch (err) {
      if (!(err instanceof CheckError)) {
        this.failures.push(`${name}: ${err?.stack ?? err}`);
        console.error(`  FAIL [${this.name}] ${name}: ${err?.message ?? err}`);
      } else {
        console.error(`  FAIL [${this.name}] ${name} stopped`);
      }
    }
  }
}

/** cleanEnv is the environment without the machine's Databricks settings. */
function cleanEnv(home) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(DATABRICKS_|ARM_|AZURE_|DBX_MCP_)/.test(k) || k === 'HOME' || /^(https?|no)_proxy$/i.test(k)) continue;
    env[k] = v;
  }
  env.HOME = home;
  return env;
}

/** CountingValidator is the SDK's own Ajv validator, counting its use so
 *  we can prove the SDK really validated every structured result. */
class CountingValidator {
  constructor() {
    this.inner = new AjvJsonSchemaValidator();
    this.compiled = 0;
    this.total = 0;
    this.validated = new Map();
    /** names maps each outputSchema object listed to its tool's name. */
    this.names = new WeakMap();
  }

  getValidator(schema) {
    this.compiled++;
    const v = this.inner.getValidator(schema);
    return (input) => {
      const r = v(input);
      const key = this.names.get(schema) ?? '';
      this.validated.set(key, (this.validated.get(key) ?? 0) + 1);
      this.total++;
      return r;
    };
  }
}

function newAjv2020() {
  // strict: unknown keywords, misplaced keywords and required names missing
  // from properties all fail compilation; allowUnionTypes permits
  // "type": [..] which is valid JSON Schema. validateSchema checks the
  // schema against the 2020-12 meta-schema.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateSchema: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

function walkSchema(schema, path, visit) {
  if (schema === null || typeof schema !== 'object') return;
  visit(schema, path);
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$defs' || k === 'definitions') {
      for (const [pk, pv] of Object.entries(v ?? {})) walkSchema(pv, `${path}{${k}:${pk}}`, visit);
    } else if (k === 'properties' || k === 'patternProperties') {
      for (const [pk, pv] of Object.entries(v ?? {})) walkSchema(pv, `${path}.${pk}`, visit);
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not' || k === 'contains' ||
      k === 'propertyNames' || k === 'if' || k === 'then' || k === 'else') {
      if (Array.isArray(v)) v.forEach((s, i) => walkSchema(s, `${path}[${i}]`, visit));
      else walkSchema(v, k === 'items' ? `${path}[]` : `${path}{${k}}`, visit);
    } else if (k === 'anyOf' || k === 'oneOf' || k === 'allOf' || k === 'prefixItems') {
      v.forEach((s, i) => walkSchema(s, `${path}/${k}[${i}]`, visit));
    }
  }
}

function textOf(res) {
  return (res.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('');
}

function jsonParseOrUndefined(s) {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Session wraps an SDK client with the checks every call gets. */
class Session {
  constructor(suite, client, validator) {
    this.s = suite;
    this.client = client;
    this.validator = validator;
    this.tools = new Map();
    this.outputValidators = new Map();
    this.successes = 0;
  }

  async listAndCheckTools() {
    const s = this.s;
    const tools = [];
    let cursor;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    // listTools caches output validators per page; give the SDK the whole list.
    this.client.cacheToolMetadata(tools);
    for (const t of tools) if (t.outputSchema) this.validator.names.set(t.outputSchema, t.name);

    const names = tools.map((t) => t.name);
    s.check(new Set(names).size === names.length, `tool names are not unique: ${names.join(',')}`);
    for (const name of expectedTools) s.check(names.includes(name), `tool ${name} is not listed`);
    const ajv = newAjv2020();
    for (const t of tools) {
      this.tools.set(t.name, t);
      s.check(/^[a-z0-9_]{1,64}$/.test(t.name), `tool name ${JSON.stringify(t.name)} does not match ^[a-z0-9_]{1,64}$`);
      s.check(typeof t.description === 'string' && t.description.length > 0, `${t.name}: no description`);

      const a = t.annotations ?? {};
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) {
        s.check(typeof a[hint] === 'boolean', `${t.name}: annotations.${hint} is ${JSON.stringify(a[hint])}, want a boolean`);
      }
      s.check(typeof a.title === 'string' && a.title.trim() !== '', `${t.name}: annotations.title missing`);
      if (a.readOnlyHint === true) {
        s.check(a.destructiveHint === false, `${t.name}: read-only but destructiveHint=${a.destructiveHint}`);
        s.check(a.idempotentHint === true, `${t.name}: read-only but idempotentHint=${a.idempotentHint}`);
      }
      if (/_(get|list|list_[a-z_]+|events|spark_versions|get_acl)$/.test(t.name) && t.name !== 'api_call') {
        s.check(a.readOnlyHint === true, `${t.name}: looks like a read but readOnlyHint=${a.readOnlyHint}`);
      }
      if (/_delete|_remove|_edit|_restart/.test(t.name)) {
        s.check(a.readOnlyHint === false && a.destructiveHint === true, `${t.name}: should be destructive, got ${JSON.stringify(a)}`);
      }

      for (const kind of ['inputSchema', 'outputSchema']) {
        const schema = t[kind];
        if (!s.check(schema && typeof schema === 'object', `${t.name}: no ${kind}`)) continue;
        s.check(schema.type === 'object', `${t.name}: ${kind}.type is ${JSON.stringify(schema.type)}, want "object"`);
        const problems = [];
        walkSchema(schema, kind, (node, path) => {
          for (const kw of dialectSensitive) {
            if (kw in node) problems.push(`${path} uses ${kw}, whose meaning depends on the JSON Schema draft`);
          }
          checkRefs(schema, node, path, path === kind, problems);
          // A definition is described where it is referenced; the
          // properties inside it still need descriptions.
          // So is each branch of a combinator, by the node that holds it.
          if (kind === 'inputSchema' && path !== kind && !path.endsWith('[]') && !path.endsWith('}') &&
            !/\/(anyOf|oneOf|allOf)\[\d+\]$/.test(path) &&
            !/\{additionalProperties\}|\{not\}|\{contains\}|\{propertyNames\}|\{if\}|\{then\}|\{else\}/.test(path) &&
            !(typeof node.description === 'string' && node.description !== '')) {
            problems.push(`${path} has no description`);
          }
        });
        s.check(problems.length === 0, `${t.name}: ${problems.join('; ')}`);
        let validate;
        try {
          validate = ajv.compile(schema);
        } catch (err) {
          s.check(false, `${t.name}: ${kind} does not compile under Ajv (JSON Schema 2020-12, strict): ${err.message}`);
          continue;
        }
        if (kind === 'outputSchema') this.outputValidators.set(t.name, validate);
        if (kind === 'inputSchema') {
          s.check(validate({ __certainly_not_a_field__: 1 }) === false || schema.additionalProperties !== false,
            `${t.name}: inputSchema has additionalProperties:false but accepts an unknown property`);
        }
      }
    }
    s.check(this.validator.compiled >= tools.filter((t) => t.outputSchema).length,
      `SDK compiled ${this.validator.compiled} output validators for ${tools.length} tools`);
    return tools;
  }

  /** call invokes a tool through the SDK (which validates structuredContent
   *  itself) and validates again with our own Ajv 2020-12 validator. */
  async call(name, args) {
    const s = this.s;
    const before = this.validator.validated.get(name) ?? 0;
    let res;
    try {
      res = await this.client.callTool({ name, arguments: args }, undefined, { timeout: CALL_TIMEOUT_MS });
    } catch (err) {
      s.must(false, `${name} ${JSON.stringify(args)}: the SDK rejected the call or its result: ${err.message}`);
    }
    if (res.isError) return res;
    this.successes++;
    s.must(res.structuredContent !== undefined && typeof res.structuredContent === 'object',
      `${name}: result has no structuredContent: ${JSON.stringify(res)}`);
    s.check((this.validator.validated.get(name) ?? 0) === before + 1,
      `${name}: the SDK did not validate structuredContent against the outputSchema`);
    const validate = this.outputValidators.get(name);
    if (s.check(validate, `${name}: no compiled outputSchema`)) {
      s.check(validate(res.structuredContent),
        `${name}: structuredContent does not validate against outputSchema (Ajv 2020-12): ${JSON.stringify(validate.errors)}`);
    }
    s.check(isDeepStrictEqual(jsonParseOrUndefined(textOf(res)), res.structuredContent),
      `${name}: text content is not the JSON of structuredContent: ${textOf(res).slice(0, 300)}`);
    return res;
  }

  async mustCall(name, args) {
    const res = await this.call(name, args);
    this.s.must(!res.isError, `${name} ${JSON.stringify(args)}: error result: ${textOf(res)}`);
    return res.structuredContent;
  }

  async mustFail(name, args, ...want) {
    const res = await this.call(name, args);
    const text = textOf(res);
    this.s.must(res.isError === true, `${name} ${JSON.stringify(args)}: succeeded, want an isError result`);
    this.s.check(res.structuredContent === undefined,
      `${name}: error result carries structuredContent, which need not match the outputSchema`);
    for (const w of want) {
      this.s.check(text.includes(w), `${name} ${JSON.stringify(args)}: error text ${JSON.stringify(text)} does not mention ${JSON.stringify(w)}`);
    }
    return text;
  }

  async waitState(id, want) {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    for (;;) {
      const got = await this.mustCall('clusters_get', { cluster_id: id });
      if (got.state === want) return got;
      this.s.must(Date.now() < deadline, `cluster ${id} is ${got.state} after ${WAIT_TIMEOUT_MS} ms, want ${want}`);
      await sleep(50);
    }
  }
}

async function scenario(suite, session) {
  const s = suite;
  const listed = s.failures.length;
  await s.step('tools/list: names, annotations, schemas', () => session.listAndCheckTools());
  if (session.tools.size === 0 || s.failures.length > listed && session.outputValidators.size === 0) {
    s.check(false, 'scenario skipped: tools/list failed');
    return;
  }

  await s.step('clusters: create, wait RUNNING, list, resize, terminate', async () => {
    const versions = await session.mustCall('clusters_spark_versions', {});
    const nodes = await session.mustCall('clusters_list_node_types', {});
    s.must(versions.versions?.length > 0 && nodes.node_types?.length > 0, 'no spark versions or node types');
    const created = await session.mustCall('clusters_create', {
      cluster_name: 'ts-sdk', spark_version: versions.versions[0].key, node_type_id: nodes.node_types[0].node_type_id,
      num_workers: 1, custom_tags: { team: 'ts-sdk' },
    });
    const id = created.cluster_id;
    s.must(typeof id === 'string' && id !== '', `clusters_create returned no cluster_id: ${JSON.stringify(created)}`);
    await session.waitState(id, 'RUNNING');
    const got = await session.mustCall('clusters_get', { cluster_id: id });
    s.check(got.custom_tags?.team === 'ts-sdk', `cluster lost custom_tags: ${JSON.stringify(got.custom_tags)}`);
    const list = await session.mustCall('clusters_list', {});
    s.check(list.clusters?.some((c) => c.cluster_id === id), `clusters_list lacks ${id}`);
    const running = await session.mustCall('clusters_list', { filter_by: { cluster_states: ['RUNNING'] } });
    s.check(running.clusters?.some((c) => c.cluster_id === id), `clusters_list filtered by RUNNING lacks ${id}`);
    await session.mustCall('clusters_resize', { cluster_id: id, num_workers: 2 });
    const resized = await session.waitState(id, 'RUNNING');
    s.check(resized.num_workers === 2, `resize to 2 workers not applied: num_workers=${resized.num_workers}`);
    await session.mustCall('clusters_delete', { cluster_id: id });
    await session.waitState(id, 'TERMINATED');
    await session.mustFail('clusters_get', { cluster_id: '0000-000000-doesnotexist' }, 'INVALID_PARAMETER_VALUE');
  });

  await s.step('secrets: scope, put, list without value, delete', async () => {
    const value = 'ts-sdk-hunter2-very-secret';
    await session.mustCall('secrets_create_scope', { scope: 'ts-sdk-scope' });
    await session.mustCall('secrets_put_secret', { scope: 'ts-sdk-scope', key: 'db-password', string_value: value });
    const scopes = await session.mustCall('secrets_list_scopes', {});
    s.check(scopes.scopes?.some((x) => x.name === 'ts-sdk-scope'), `scope not listed: ${JSON.stringify(scopes)}`);
    const res = await session.call('secrets_list_secrets', { scope: 'ts-sdk-scope' });
    s.must(!res.isError, `secrets_list_secrets: ${textOf(res)}`);
    s.check(res.structuredContent.secrets?.some((x) => x.key === 'db-password'), `secret not listed: ${JSON.stringify(res.structuredContent)}`);
    s.check(!JSON.stringify(res).includes(value), 'the secret value appears in secrets_list_secrets');
    await session.mustCall('secrets_delete_secret', { scope: 'ts-sdk-scope', key: 'db-password' });
    await session.mustCall('secrets_delete_scope', { scope: 'ts-sdk-scope' });
    await session.mustFail('secrets_list_secrets', { scope: 'ts-sdk-scope' }, 'RESOURCE_DOES_NOT_EXIST');
  });

  await s.step('tokens: create, list, delete', async () => {
    const created = await session.mustCall('tokens_create', { comment: 'ts-sdk', lifetime_seconds: 3600 });
    const value = created.token_value;
    const id = created.token_info?.token_id;
    s.must(typeof value === 'string' && value !== '' && typeof id === 'string' && id !== '',
      `tokens_create: no token_value or token_id in ${Object.keys(created)}`);
    const list = await session.mustCall('tokens_list', {});
    s.check(list.token_infos?.some((x) => x.token_id === id), `tokens_list lacks ${id}`);
    s.check(!JSON.stringify(list).includes(value), 'tokens_list shows the token value');
    await session.mustCall('tokens_delete', { token_id: id });
    const after = await session.mustCall('tokens_list', {});
    s.check(!(after.token_infos ?? []).some((x) => x.token_id === id), `token ${id} still listed after tokens_delete`);
  });

  await s.step('bad arguments name the field', async () => {
    await session.mustFail('clusters_get', {}, 'cluster_id', 'required');
    await session.mustFail('clusters_get', { cluster_id: 42 }, 'cluster_id', 'string');
    await session.mustFail('clusters_get', { cluster_id: 'x', clusterid: 'y' }, 'clusterid', 'unknown');
    await session.mustFail('clusters_list', { filter_by: { cluster_states: ['SLEEPING'] } }, 'filter_by.cluster_states[0]', 'RUNNING');
    await session.mustFail('clusters_resize', { cluster_id: 'x', num_workers: 'two' }, 'num_workers', 'integer');
    await session.mustFail('clusters_resize', { cluster_id: 'x', num_workers: 1.5 }, 'num_workers', 'integer');
    await session.mustFail('secrets_put_secret', { scope: 's', key: 'k', string_value: 7 }, 'string_value');
    await session.mustFail('api_call', { method: 'FETCH', path: '/api/2.1/clusters/list' }, 'method', 'GET');
  });

  await s.step('api_call: force mode and its path guard', async () => {
    const raw = await session.mustCall('api_call', { method: 'GET', path: '/api/2.1/clusters/list' });
    s.check(raw.response !== undefined && typeof raw.response === 'object', `api_call result lacks response: ${JSON.stringify(raw).slice(0, 200)}`);
    await session.mustFail('api_call', { method: 'GET', path: 'https://evil.example/api/2.1/clusters/list' }, 'path');
    await session.mustFail('api_call', { method: 'GET', path: '//evil.example/api/2.1/clusters/list' }, 'path');
    await session.mustFail('api_call', { method: 'GET', path: '/api/2.0/../../login' }, 'path', '..');
    await session.mustFail('api_call', { method: 'GET', path: '/api/2.0/%2e%2e/%2e%2e/login' }, 'path');
    await session.mustFail('api_call', { method: 'GET', path: '/login' }, 'path', '/api/');
    await session.mustFail('api_call', { method: 'GET', path: '/api/2.1/clusters/get', query: { cluster_id: 'nope' } }, 'INVALID_PARAMETER_VALUE');
  });

  await s.step('unknown tool', async () => {
    // The spec allows either a JSON-RPC error or an isError result.
    try {
      const res = await session.client.callTool({ name: 'no_such_tool', arguments: {} });
      s.check(res.isError === true, `calling an unknown tool succeeded: ${JSON.stringify(res)}`);
      console.error(`  info [${s.name}] unknown tool: isError result ${JSON.stringify(textOf(res))}`);
    } catch (err) {
      s.check(/no_such_tool|not found/i.test(err.message), `unknown tool error does not name it: ${err.message}`);
      console.error(`  info [${s.name}] unknown tool: ${err.message}`);
    }
  });

  await s.step('SDK validated every successful result', async () => {
    s.check(session.validator.total === session.successes,
      `SDK validated ${session.validator.total} results, ${session.successes} calls succeeded`);
  });
}

function newClient(validator) {
  return new Client({ name: 'dbx-mcp-ts-sdk-check', version: '1.0.0' }, { jsonSchemaValidator: validator });
}

function checkServerInfo(s, client, protocolVersion) {
  const info = client.getServerVersion();
  console.error(`  info [${s.name}] server ${info?.name} ${info?.version}` + (protocolVersion ? `, protocol ${protocolVersion}` : ''));
  s.check(info?.name === 'dbx-mcp', `serverInfo.name is ${JSON.stringify(info?.name)}, want dbx-mcp`);
  s.check(client.getServerCapabilities()?.tools !== undefined, 'server does not declare the tools capability');
}

async function runStdio(home) {
  const s = new Suite('stdio');
  const transport = new StdioClientTransport({
    command: bin,
    args: ['serve', '--emulator', '--emulator-delay', '300ms', '--log-level', 'warn', '--toolsets', 'all'],
    env: cleanEnv(home),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => { stderr += d; });
  const validator = new CountingValidator();
  const client = newClient(validator);
  try {
    await s.step('connect (initialize)', async () => {
      await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
      if (transport.pid) children.add(transport.pid);
      checkServerInfo(s, client);
    });
    if (s.failures.length === 0) await scenario(s, new Session(s, client, validator));
  } finally {
    await client.close().catch(() => {});
  }
  if (s.failures.length > 0 && stderr) console.error(`--- stdio server stderr ---\n${stderr.slice(-4000)}`);
  return s;
}

/** startHTTPServer spawns `serve --http 127.0.0.1:0` and resolves to the
 *  MCP URL the server logs. */
function startHTTPServer(home) {
  const child = spawn(bin, ['serve', '--emulator', '--emulator-delay', '300ms', '--http', '127.0.0.1:0', '--toolsets', 'all'],
    { env: cleanEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child.pid);
  child.on('exit', () => children.delete(child.pid));
  let stderr = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not log its URL within 15 s:\n${stderr}`)), 15_000);
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /url=(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr };
}

/** rawRequest sends one HTTP request with exactly the headers given (fetch
 *  would refuse to set Host). */
function rawRequest(url, { method = 'POST', headers = {}, body = '' }) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, headers, setHost: !('Host' in headers) }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pingBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
const initBody = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const jsonHeaders = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

async function runHTTP(home) {
  const s = new Suite('http');
  const server = startHTTPServer(home);
  const validator = new CountingValidator();
  const client = newClient(validator);
  let transport;
  try {
    let url;
    await s.step('start server', async () => { url = await server.url; });
    if (!url) return s;
    await s.step('connect (initialize)', async () => {
      transport = new StreamableHTTPClientTransport(new URL(url));
      await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
      checkServerInfo(s, client, transport.protocolVersion);
      s.check(typeof transport.protocolVersion === 'string', `no negotiated protocol version on the transport`);
    });
    if (s.failures.length === 0) await scenario(s, new Session(s, client, validator));

    await s.step('HTTP guard: Origin, Host', async () => {
      const evil = await fetch(url, { method: 'POST', headers: { ...jsonHeaders, Origin: 'http://evil.example' }, body: pingBody });
      await evil.text();
      s.check(evil.status === 403, `POST with Origin http://evil.example: status ${evil.status}, want 403`);
      const evilInit = await fetch(url, { method: 'POST', headers: { ...jsonHeaders, Origin: 'http://evil.example' }, body: initBody });
      await evilInit.text();
      s.check(evilInit.status === 403, `initialize with Origin http://evil.example: status ${evilInit.status}, want 403`);
      const nullOrigin = await fetch(url, { method: 'POST', headers: { ...jsonHeaders, Origin: 'null' }, body: initBody });
      await nullOrigin.text();
      s.check(nullOrigin.status === 403, `initialize with Origin null: status ${nullOrigin.status}, want 403`);
      const local = await fetch(url, { method: 'POST', headers: { ...jsonHeaders, Origin: new URL(url).origin }, body: initBody });
      await local.text();
      s.check(local.status === 200, `initialize with the server's own Origin: status ${local.status}, want 200`);
      const rebinding = await rawRequest(url, { headers: { ...jsonHeaders, Host: 'evil.example' }, body: initBody });
      s.check(rebinding.status === 403, `initialize with Host evil.example: status ${rebinding.status}, want 403`);
    });

    await s.step('terminate session (DELETE)', async () => {
      await transport.terminateSession();
    });
  } finally {
    await client.close().catch(() => {});
    server.child.kill('SIGTERM');
    await new Promise((r) => (server.child.exitCode !== null || server.child.signalCode !== null) ? r() : server.child.on('exit', r));
  }
  if (s.failures.length > 0) console.error(`--- http server stderr ---\n${server.stderr().slice(-4000)}`);
  return s;
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'dbx-mcp-ts-'));
  const start = Date.now();
  let suites;
  try {
    suites = await Promise.all([runStdio(home), runHTTP(home)]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  console.log(`\nMCP TypeScript SDK check of ${bin} (${Date.now() - start} ms)`);
  let failed = 0;
  for (const s of suites) {
    console.log(`  ${s.name.padEnd(6)} ${s.failures.length === 0 ? 'PASS' : 'FAIL'}: ${s.passed} checks passed, ${s.failures.length} failed`);
    for (const f of s.failures) console.log(`    - ${f}`);
    failed += s.failures.length;
  }
  if (failed > 0) {
    console.log(`FAIL: ${failed} check(s) failed`);
    process.exit(1);
  }
  console.log('PASS');
}

main().catch((err) => {
  console.error(`FAIL: ${err?.stack ?? err}`);
  process.exit(1);
});
