// Parley minimal client: plain ES module, no dependencies, no build step.
// Protocol: one JSON object per WebSocket text frame on /ws?nickname=NICK.
// User data is only ever rendered with textContent.

const ROOM = 'general';
const HISTORY_LIMIT = 50;
const MAX_RENDERED = 500;
const PING_EVERY_MS = 25_000;
const TYPING_SEND_EVERY_MS = 3_000;
const TYPING_SHOW_MS = 4_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

const $ = (id) => document.getElementById(id);
const ui = {
  login: $('login'), nickname: $('nickname'), join: $('join'), loginError: $('login-error'),
  chat: $('chat'), me: $('me'), state: $('state'), leave: $('leave'),
  messages: $('messages'), typing: $('typing'), composer: $('composer'), input: $('input'),
  online: $('online'), onlineCount: $('online-count'),
};

let ws = null;              // current socket; events from older sockets are ignored
let nickname = '', me = '';
let everWelcomed = false;   // a session was established: reconnect + resume from now on
let attempt = 0;            // consecutive failed reconnects (reset by welcome)
let reconnectTimer = 0, pingTimer = 0, awaitingPong = false, lastTypingSent = 0, nextId = 1;
let lastSeq = 0;                  // highest seq seen in ROOM
const rendered = new Set();       // seqs in the DOM (dedupe)
const pending = new Map();        // client id -> text, awaiting ack
const online = new Set();
const typers = new Map();         // user -> hide timeout

const newId = (prefix) => `${prefix}${nextId++}`;

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text != null) node.textContent = String(text);
  return node;
}

function setState(state, label) {
  ui.state.dataset.state = state;
  ui.state.textContent = label;
  ui.input.disabled = state !== 'online';
}

// ---- connection ----------------------------------------------------------

function connect() {
  clearTimeout(reconnectTimer);
  setState('connecting', everWelcomed ? 'Reconnecting…' : 'Connecting…');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws?nickname=${encodeURIComponent(nickname)}`);
  ws = socket;
  socket.onmessage = (e) => { if (ws === socket) handle(e.data); };
  socket.onclose = (e) => { if (ws === socket) onClosed(e.code, e.reason); };
}

function send(frame) {
  if (ws?.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(frame));
  return true;
}

function onClosed(code, reason) {
  ws = null;
  clearInterval(pingTimer);
  clearTypers();
  if (pending.size) notice(`${pending.size} message(s) may not have been delivered.`);
  pending.clear();

  if (!everWelcomed) { // never got in: back to the form instead of retrying forever
    setState('offline', 'Disconnected');
    ui.join.disabled = false;
    ui.loginError.textContent ||= reason || 'Could not connect. Check the nickname or try again later.';
    return;
  }
  let delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt++);
  delay = delay / 2 + Math.random() * delay / 2;          // equal jitter
  if (code === 1001) delay += Math.random() * 2_000;      // spread the herd after a restart
  const why = code === 4000 ? 'Fell behind' : code === 1001 ? 'Server restarting' : 'Connection lost';
  setState('waiting', `${why} · retrying in ${Math.ceil(delay / 1000)}s`);
  reconnectTimer = setTimeout(connect, delay);
}

function drop() { // connection looks dead: abandon it without waiting for the close handshake
  ws?.close();
  onClosed(1006, ''); // sets ws = null first, so the socket's own close event is ignored
}

function startHeartbeat() {
  clearInterval(pingTimer);
  awaitingPong = false;
  pingTimer = setInterval(() => {
    if (awaitingPong) return drop();
    awaitingPong = true;
    send({ type: 'ping', id: newId('p') });
  }, PING_EVERY_MS);
}

// ---- incoming frames -----------------------------------------------------

function handle(raw) {
  let f;
  try { f = JSON.parse(raw); } catch { return; }
  awaitingPong = false; // any frame proves the connection is alive
  switch (f.type) {
    case 'welcome': return onWelcome(f);
    case 'message': return addMessage(f);
    case 'history': return (f.messages ?? []).forEach(addMessage);
    case 'ack': return void pending.delete(f.id);
    case 'resumed':
      if (f.rooms?.[ROOM]?.truncated) {
        notice('Some messages were missed while offline.');
        send({ type: 'history', room: ROOM, limit: HISTORY_LIMIT, id: newId('h') });
      }
      return;
    case 'presence':
      if (f.online) online.add(f.user); else { online.delete(f.user); hideTyping(f.user); }
      return renderOnline();
    case 'typing': return f.room === ROOM && f.user !== me && showTyping(f.user);
    case 'error': return onError(f);
  }
}

function onWelcome(f) {
  me = f.user;
  attempt = 0;
  ui.me.textContent = f.guest ? `${me} (guest)` : me;
  online.clear();
  for (const u of f.online ?? []) online.add(u);
  online.add(me);
  renderOnline();
  setState('online', 'Connected');
  startHeartbeat();
  if (everWelcomed) {
    send({ type: 'resume', after: { [ROOM]: lastSeq }, id: newId('r') });
  } else {
    everWelcomed = true;
    ui.login.hidden = true;
    ui.chat.hidden = ui.leave.hidden = false;
    send({ type: 'history', room: ROOM, limit: HISTORY_LIMIT, id: newId('h') });
  }
  ui.input.focus();
}

function onError(f) {
  const detail = f.message || f.code || 'unknown error';
  if (!everWelcomed) return void (ui.loginError.textContent = detail);
  notice(pending.has(f.id) ? `Not sent: “${pending.get(f.id)}” (${detail})` : `Error: ${detail}`);
  pending.delete(f.id);
}

// ---- rendering -----------------------------------------------------------

function nearBottom() {
  const m = ui.messages;
  return m.scrollHeight - m.scrollTop - m.clientHeight < 48;
}

function addMessage(m) {
  if (m.room !== ROOM || typeof m.seq !== 'number' || rendered.has(m.seq)) return;
  const stick = nearBottom();
  const li = el('li', m.from === me ? 'msg mine' : 'msg');
  li.dataset.seq = m.seq;
  const meta = el('div', 'meta');
  const date = new Date(m.ts);
  const valid = !Number.isNaN(date.getTime());
  const time = el('time', '', valid ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');
  if (valid) { time.dateTime = m.ts; time.title = date.toLocaleString(); }
  meta.append(el('span', 'from', m.from), time);
  li.append(meta, el('p', 'text', m.text));

  // Keep seq order: live frames may overtake a history reply. Usually appends.
  let before = null;
  for (let n = ui.messages.lastElementChild; n; n = n.previousElementSibling) {
    if (!n.dataset.seq) continue;
    if (Number(n.dataset.seq) < m.seq) break;
    before = n;
  }
  ui.messages.insertBefore(li, before);
  rendered.add(m.seq);
  lastSeq = Math.max(lastSeq, m.seq);
  hideTyping(m.from);

  if (rendered.size > MAX_RENDERED) {
    const oldest = ui.messages.querySelector('li[data-seq]');
    rendered.delete(Number(oldest.dataset.seq));
    oldest.remove();
  }
  if (stick) ui.messages.scrollTop = ui.messages.scrollHeight;
}

function notice(text) {
  const stick = nearBottom();
  ui.messages.append(el('li', 'notice', text));
  if (stick) ui.messages.scrollTop = ui.messages.scrollHeight;
}

function renderOnline() {
  const users = [...online].sort((a, b) => a.localeCompare(b));
  ui.online.replaceChildren(...users.map((u) => el('li', u === me ? 'self' : '', u)));
  ui.onlineCount.textContent = String(online.size);
}

function showTyping(user) {
  clearTimeout(typers.get(user));
  typers.set(user, setTimeout(() => hideTyping(user), TYPING_SHOW_MS));
  renderTyping();
}

function hideTyping(user) {
  if (!typers.has(user)) return;
  clearTimeout(typers.get(user));
  typers.delete(user);
  renderTyping();
}

function clearTypers() {
  for (const t of typers.values()) clearTimeout(t);
  typers.clear();
  renderTyping();
}

function renderTyping() {
  const names = [...typers.keys()];
  ui.typing.textContent = names.length === 0 ? '' : names.length > 3 ? 'Several people are typing…'
    : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

// ---- user actions --------------------------------------------------------

ui.nickname.value = localStorage.getItem('parley.nickname') ?? '';

ui.login.addEventListener('submit', (e) => {
  e.preventDefault();
  nickname = ui.nickname.value.trim();
  if (!nickname) return;
  localStorage.setItem('parley.nickname', nickname);
  ui.loginError.textContent = '';
  ui.join.disabled = true;
  connect();
});

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = ui.input.value.trim();
  const id = newId('c');
  if (text && send({ type: 'send', room: ROOM, text, id })) {
    pending.set(id, text);
    ui.input.value = '';
  }
});

ui.input.addEventListener('input', () => {
  const now = Date.now();
  if (ui.input.value && now - lastTypingSent > TYPING_SEND_EVERY_MS) {
    lastTypingSent = now;
    send({ type: 'typing', room: ROOM });
  }
});

ui.leave.addEventListener('click', () => { // simplest full reset: close cleanly and reload
  const socket = ws;
  ws = null;
  socket?.close(1000, 'bye');
  location.reload();
});

// Back online after a network outage: retry now instead of waiting out the backoff.
window.addEventListener('online', () => {
  if (everWelcomed && !ws) connect();
});
