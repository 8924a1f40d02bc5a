import { createServer } from 'node:net';

/** `host:port` split, IPv6 brackets removed. */
export function splitHostPort(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(listen.slice(i + 1)) };
}

/** Why `listen` cannot be bound now (e.g. another Vigil holds it), or undefined when it can. */
export async function portProblem(listen: string): Promise<string | undefined> {
  const { host, port } = splitHostPort(listen);
  if (port === 0) return undefined;
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', (err: NodeJS.ErrnoException) => {
      resolve(
        err.code === 'EADDRINUSE'
          ? `${listen} is already in use (is another \`vigil demo\` or \`vigil server\` running?). Stop it, or pick another address with --listen 127.0.0.1:${port + 1}`
          : `cannot listen on ${listen}: ${err.code ?? err.message}`,
      );
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

/** The message for an error thrown by listen(), or undefined when it is some other error. */
export function listenErrorMessage(err: unknown, listen: string): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `${listen} is already in use (is another Vigil running?); stop it or pick another address with --listen`;
  if (code === 'EACCES') return `not allowed to listen on ${listen} (ports below 1024 need privileges)`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${listen}: no such address on this machine`;
  return undefined;
}
