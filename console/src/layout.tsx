import { api, can, type Session } from "./api.ts";
import { Agents } from "./pages/agents.tsx";
import { ApiKeys } from "./pages/api-keys.tsx";
import { Audit } from "./pages/audit.tsx";
import { Handoffs } from "./pages/handoffs.tsx";
import { Inbox } from "./pages/inbox.tsx";
import { Monitoring } from "./pages/monitoring.tsx";
import { Playground } from "./pages/playground.tsx";
import { Rollouts } from "./pages/rollouts.tsx";
import { BASE, onLinkClick, usePath } from "./router.ts";

const PAGES = [
  { path: "/inbox", label: "Inbox" },
  { path: "/handoffs", label: "Handoff queue" },
  { path: "/agents", label: "Agents" },
  { path: "/rollouts", label: "Rollouts" },
  { path: "/monitoring", label: "Monitoring" },
  { path: "/playground", label: "Policy playground" },
  { path: "/audit", label: "Audit log" },
] as const;

function page(path: string, session: Session) {
  const [, section = "inbox", id] = path.split("/");
  switch (section) {
    case "handoffs":
      return <Handoffs session={session} selected={id} />;
    case "agents":
      return <Agents session={session} selected={id} />;
    case "rollouts":
      return <Rollouts session={session} selected={id} />;
    case "monitoring":
      return <Monitoring session={session} />;
    case "playground":
      return <Playground />;
    case "audit":
      return <Audit />;
    case "api-keys":
      return can(session, "admin") ? <ApiKeys /> : <Inbox session={session} selected={id} />;
    default:
      return <Inbox session={session} selected={id} />;
  }
}

export function Layout(props: { session: Session; onSignedOut: () => void }) {
  const path = usePath();
  const current = `/${path.split("/")[1] || "inbox"}`;
  async function signOut() {
    await api("/console/session", { method: "DELETE" }).catch(() => undefined);
    props.onSignedOut();
  }
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <strong class="brand">Mainstay</strong>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a
              key={p.path}
              href={`${BASE}${p.path}`}
              onClick={onLinkClick}
              aria-current={current === p.path ? "page" : undefined}
            >
              {p.label}
            </a>
          ))}
          {can(props.session, "admin") && (
            <a
              href={`${BASE}/api-keys`}
              onClick={onLinkClick}
              aria-current={current === "/api-keys" ? "page" : undefined}
            >
              API keys
            </a>
          )}
        </nav>
        <span class="who">
          {props.session.name} <span class="badge">{props.session.role}</span>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page(path, props.session)}
      </main>
    </>
  );
}
