import { useState } from "preact/hooks";
import { api, type Session } from "../api.ts";

/** Sign in with an API key; the server keeps the session in an HttpOnly cookie. */
export function SignIn(props: { onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onSignedIn(await api<Session>("/console/session", { method: "POST", body: { key } }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main class="sign-in">
      <form class="card" onSubmit={submit}>
        <h1>Mainstay console</h1>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="current-password"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
        <p class="muted">The key is checked once; the browser keeps only a session cookie.</p>
      </form>
    </main>
  );
}
