import type { WebchatConfig } from "./webchat-channel.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The chat page: one self-contained HTML document (no build step, no external assets) so
 * a site can embed it in an iframe. The session id lives in localStorage; reconnects back
 * off exponentially and resend messages that were not acknowledged; each reply pushed is
 * acknowledged with a `received` frame.
 */
export function renderChatPage(config: WebchatConfig): string {
  const settings = JSON.stringify({ greeting: config.greeting ?? null }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(config.title)}</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1b1f24; }
  body { margin: 0; display: flex; flex-direction: column; height: 100vh; background: #f4f6f8; }
  header { padding: 12px 16px; background: #1f4f8b; color: #fff; font-weight: 600;
    display: flex; justify-content: space-between; align-items: center; }
  #status { font-size: 12px; font-weight: 400; opacity: .85; }
  #log { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 8px; }
  .bubble { max-width: 75%; padding: 8px 12px; border-radius: 14px; line-height: 1.4;
    white-space: pre-wrap; word-wrap: break-word; }
  .inbound { align-self: flex-end; background: #1f4f8b; color: #fff; }
  .outbound { align-self: flex-start; background: #fff; border: 1px solid #d8dee4; }
  .pending { opacity: .6; }
  .who { display: block; font-size: 12px; font-weight: 600; color: #57606a; margin-bottom: 2px; }
  .notice { align-self: center; font-size: 13px; color: #57606a; }
  #rate { display: none; gap: 6px; align-items: center; padding: 0 16px 8px; font-size: 13px; color: #57606a; }
  #rate.shown { display: flex; }
  #rate button { padding: 4px 10px; background: #fff; color: #1b1f24; border: 1px solid #d8dee4; font-size: 14px; }
  #rate button[aria-pressed="true"] { background: #1f4f8b; color: #fff; }
  form { display: flex; gap: 8px; padding: 12px; background: #fff; border-top: 1px solid #d8dee4; }
  input { flex: 1; padding: 10px; border: 1px solid #c4ccd4; border-radius: 8px; font-size: 15px; }
  button { padding: 10px 16px; border: 0; border-radius: 8px; background: #1f4f8b; color: #fff;
    font-size: 15px; cursor: pointer; }
</style>
</head>
<body>
<header><span>${escapeHtml(config.title)}</span><span id="status">connecting…</span></header>
<main id="log" aria-live="polite"></main>
<div id="rate" role="group" aria-label="Rate this conversation">Was this helpful?
  <button type="button" data-thumbs="up" aria-pressed="false" aria-label="Yes">👍</button>
  <button type="button" data-thumbs="down" aria-pressed="false" aria-label="No">👎</button>
</div>
<form id="form" autocomplete="off">
  <input id="text" name="text" placeholder="Type a message" maxlength="4000" aria-label="Message">
  <button type="submit">Send</button>
</form>
<script type="module">
const settings = ${settings};
const log = document.getElementById("log");
const statusEl = document.getElementById("status");
const key = "mainstay.session." + location.pathname;
let session = localStorage.getItem(key);
if (!session) {
  session = crypto.randomUUID().replaceAll("-", "");
  localStorage.setItem(key, session);
}
const shown = new Set();
const unacked = new Map();
let socket;
let delay = 500;

function bubble(id, direction, text, pending, name) {
  if (id && shown.has(id)) return;
  if (id) shown.add(id);
  const el = document.createElement("div");
  el.className = "bubble " + direction + (pending ? " pending" : "");
  // A person's reply carries their name above the text.
  if (name) {
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = name;
    el.append(who);
  }
  el.append(text);
  if (pending) el.dataset.clientId = pending;
  log.append(el);
  log.scrollTop = log.scrollHeight;
  // A real answer (not the greeting) can be rated.
  if (direction === "outbound" && id && id !== "greeting") rate.classList.add("shown");
}

/** A message from the server: a line about the conversation ("Ana joined"), or a bubble. */
function show(m) {
  if (!m.notice) return bubble(m.id, m.direction, m.text, undefined, m.author === "human" ? m.name : undefined);
  if (shown.has(m.id)) return;
  shown.add(m.id);
  const el = document.createElement("p");
  el.className = "notice";
  el.textContent = m.text;
  log.append(el);
  log.scrollTop = log.scrollHeight;
}

const rate = document.getElementById("rate");
for (const button of rate.querySelectorAll("button")) {
  button.addEventListener("click", () => {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "feedback", thumbs: button.dataset.thumbs }));
    for (const b of rate.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
  });
}

function connect() {
  const url = new URL(location.pathname.replace(/\\/$/, "") + "/ws", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("session", session);
  socket = new WebSocket(url);
  socket.onopen = () => {
    statusEl.textContent = "online";
    delay = 500;
    for (const [id, text] of unacked) socket.send(JSON.stringify({ type: "message", id, text }));
  };
  socket.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === "history") {
      if (frame.messages.length === 0 && settings.greeting && !shown.has("greeting")) {
        bubble("greeting", "outbound", settings.greeting);
      }
      for (const m of frame.messages) show(m);
    } else if (frame.type === "message") {
      show(frame.message);
      // A reply counts as delivered only once the page has it; unacknowledged, it comes again.
      if (frame.message.direction === "outbound") {
        socket.send(JSON.stringify({ type: "received", id: frame.message.id }));
      }
    } else if (frame.type === "ack") {
      unacked.delete(frame.clientId);
      shown.add(frame.messageId);
      const el = log.querySelector('[data-client-id="' + frame.clientId + '"]');
      if (el) el.classList.remove("pending");
    } else if (frame.type === "error") {
      statusEl.textContent = frame.message;
      // Over a message limit: the line stays pending and goes again after the delay.
      if (frame.clientId && frame.retryAfterMs) {
        setTimeout(() => {
          const text = unacked.get(frame.clientId);
          if (text && socket.readyState === WebSocket.OPEN) {
            socket.send(JSON.stringify({ type: "message", id: frame.clientId, text }));
          }
        }, frame.retryAfterMs);
      }
    }
  };
  socket.onclose = () => {
    statusEl.textContent = "reconnecting…";
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 15000);
  };
}

document.getElementById("form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  const id = crypto.randomUUID();
  unacked.set(id, text);
  bubble(null, "inbound", text, id);
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "message", id, text }));
});

connect();
</script>
</body>
</html>
`;
}
