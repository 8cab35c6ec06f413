import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, type Session, setCsrfToken } from "./api.ts";
import { Layout } from "./layout.tsx";
import { SignIn } from "./pages/sign-in.tsx";
import "./styles.css";

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const signedIn = (s: Session | null) => {
    setCsrfToken(s?.csrfToken ?? "");
    setSession(s);
  };
  useEffect(() => {
    api<Session>("/console/session").then(signedIn, (e) => {
      if (!(e instanceof ApiError && e.status === 401)) console.error(e);
      signedIn(null);
    });
  }, []);
  if (session === undefined) return <p class="muted center">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={signedIn} />;
  return <Layout session={session} onSignedOut={() => signedIn(null)} />;
}

render(<App />, document.getElementById("app")!);
