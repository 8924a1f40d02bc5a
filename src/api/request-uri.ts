/**
 * Whether `s` is a URI as Alertmanager's API accepts one for `generatorURL` (OpenAPI
 * `format: uri`, which go-openapi checks with Go's url.ParseRequestURI): an absolute URI with
 * a scheme, or an absolute path. What Go refuses and this refuses too: control characters, a
 * missing scheme before `:`, a relative reference, a host with characters a host cannot
 * have, an unclosed `[` or a non-numeric port, a bad userinfo, and a `%` not followed by two
 * hex digits outside the query (Go does not look into the query).
 */
export function isRequestUri(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  if (s === '*') return true;
  let rest = s;
  let scheme = '';
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s);
  if (m) {
    scheme = m[1] as string;
    rest = s.slice(m[0].length);
  } else if (s.startsWith(':')) return false; // "missing protocol scheme"
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) return scheme !== ''; // opaque (mailto:x) with a scheme; a relative reference without
  if (scheme !== '' && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    if (!validAuthority(authority)) return false;
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  return validEscapes(rest);
}

const HEX = /^[0-9A-Fa-f]{2}$/;

function validEscapes(s: string): boolean {
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) if (!HEX.test(s.slice(i + 1, i + 3))) return false;
  return true;
}

function validAuthority(authority: string): boolean {
  const at = authority.lastIndexOf('@');
  if (at >= 0 && !(/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at)) && validEscapes(authority.slice(0, at)))) return false;
  let host = authority.slice(at + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false; // "missing ']' in host"
    if (!validPort(host.slice(close + 1))) return false;
    host = host.slice(1, close);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) {
      if (!validPort(host.slice(colon))) return false;
      host = host.slice(0, colon);
    }
  }
  for (let i = 0; i < host.length; i++) {
    const ch = host[i] as string;
    if (ch === '%') {
      // Go allows an escape in a host only for a byte outside ASCII, or %25.
      const hex = host.slice(i + 1, i + 3);
      if (!HEX.test(hex) || (parseInt(hex, 16) < 0x80 && hex !== '25')) return false;
      i += 2;
    } else if (ch.charCodeAt(0) < 0x80 && !/[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]/.test(ch)) return false;
  }
  return true;
}

/** Go's validOptionalPort: empty, or ':' and digits. */
function validPort(p: string): boolean {
  return p === '' || /^:[0-9]*$/.test(p);
}
