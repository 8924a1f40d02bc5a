import type { PeerCertificate, DetailedPeerCertificate, TLSSocket } from 'node:tls';

/**
 * The earliest notAfter (ms since the epoch) in the chain the peer presented — what
 * blackbox_exporter reports as probe_ssl_earliest_cert_expiry. Undefined without a certificate.
 */
export function earliestCertExpiry(socket: TLSSocket): number | undefined {
  const leaf = socket.getPeerCertificate(true) as DetailedPeerCertificate | PeerCertificate;
  if (!leaf || Object.keys(leaf).length === 0) return undefined;
  let earliest: number | undefined;
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = leaf as DetailedPeerCertificate;
  while (cert && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    const t = Date.parse(cert.valid_to);
    if (Number.isFinite(t) && (earliest === undefined || t < earliest)) earliest = t;
    cert = cert.issuerCertificate;
  }
  return earliest;
}
