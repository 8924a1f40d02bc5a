/**
 * Alertmanager reads its file with Go's YAML, where `key:` with nothing after it (null) leaves
 * the field at its zero value: an empty `global:` gets the defaults, a child route's
 * `receiver:` or `group_by:` with no value inherits the parent's, `inhibit_rules:` with no
 * entries is none. In Vigil's schema null is not absent, so such files were rejected
 * ("expected object, received null"). This drops null-valued keys where Go's zero value means
 * the same as an absent key: the Alertmanager sections themselves and every key of the
 * routing tree and of inhibit rules. Inside receivers a null stays an error naming its place
 * (there, Go's zero value can differ from the default: `send_resolved:` would be false).
 */
const SECTIONS = ['global', 'route', 'receivers', 'inhibit_rules', 'time_intervals', 'mute_time_intervals', 'templates'] as const;

type Mapping = Record<string, unknown>;

/**
 * Alertmanager's YAML (gopkg.in/yaml.v2) also reads YAML 1.1's booleans: `send_resolved: yes`,
 * `continue: on`. In YAML 1.2 they are strings. For the boolean keys of these sections such a
 * string becomes the boolean Alertmanager reads.
 */
const BOOLEAN_KEYS = new Set(['continue', 'disable_notifications', 'enable_http2', 'follow_redirects', 'force_implicit_tls', 'html', 'insecure_skip_verify', 'link_names', 'markdown', 'monospace', 'require_tls', 'send_resolved', 'short', 'short_fields', 'smtp_force_implicit_tls', 'smtp_require_tls', 'update_alerts']);
const YAML11_TRUE = /^(?:y|Y|yes|Yes|YES|on|On|ON)$/;
const YAML11_FALSE = /^(?:n|N|no|No|NO|off|Off|OFF)$/;

function yaml11Booleans(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(yaml11Booleans);
  if (!isMapping(v)) return v;
  const out: Mapping = {};
  for (const [k, x] of Object.entries(v)) {
    if (BOOLEAN_KEYS.has(k) && typeof x === 'string' && (YAML11_TRUE.test(x) || YAML11_FALSE.test(x))) out[k] = YAML11_TRUE.test(x);
    else out[k] = yaml11Booleans(x);
  }
  return out;
}

function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function withoutNulls(m: Mapping): Mapping {
  const out: Mapping = {};
  for (const [k, v] of Object.entries(m)) if (v !== null) out[k] = v;
  return out;
}

function route(r: unknown): unknown {
  if (!isMapping(r)) return r;
  const out = withoutNulls(r);
  if (Array.isArray(out['routes'])) out['routes'] = out['routes'].map(route);
  return out;
}

/** Returns `raw` with Go's null-as-absent and YAML 1.1 booleans applied to the Alertmanager sections (a copy where it changes). */
export function dropGoNulls(raw: unknown): unknown {
  if (!isMapping(raw)) return raw;
  const out: Mapping = { ...raw };
  for (const s of SECTIONS) if (out[s] === null) delete out[s];
  if (out['route'] !== undefined) out['route'] = route(out['route']);
  if (Array.isArray(out['inhibit_rules'])) out['inhibit_rules'] = out['inhibit_rules'].map((r) => (isMapping(r) ? withoutNulls(r) : r));
  for (const s of ['global', 'route', 'receivers'] as const) if (out[s] !== undefined) out[s] = yaml11Booleans(out[s]);
  return out;
}
