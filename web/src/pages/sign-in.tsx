import { useState, type FormEvent } from 'react';
import { useSession } from '../lib/session';
import { errorText } from '../lib/api';
import { useTitle } from '../lib/router';

/** Sign in with an API token (server.tokens): the server answers with a session cookie. */
export function SignIn() {
  useTitle('Sign in');
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <img src="/favicon.svg" alt="" width="28" height="28" /> Sign in to Vigil
        </h1>
        <p className="muted">Use an API token from this server's configuration (<code>server.tokens</code>). Your role decides what you can do.</p>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'signin-error' : undefined}
        />
        {error ? (
          <p className="form-error" id="signin-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !token}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">The token is sent once; the browser keeps a session cookie that scripts cannot read.</p>
      </form>
    </main>
  );
}
