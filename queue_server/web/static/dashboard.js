// The live dashboard: one EventSource on /api/live, every picture rendered with DOM
// nodes and textContent (never HTML from data). Strings come from the page's catalogue.
"use strict";
(function () {
  const T = JSON.parse(document.getElementById("catalogue").textContent);
  // the op catalogue's pause reasons, as the server rendered them into the page
  const PAUSE_REASONS = JSON.parse(document.getElementById("pause-reasons").textContent);
  const LANG = document.documentElement.lang || "id";
  const CSRF = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  let last = null, soundOn = false, audio = null, knownAlerts = null;

  function t(key, values) {
    let text = T[key] !== undefined ? T[key] : key;
    for (const [k, v] of Object.entries(values || {})) text = text.split("{" + k + "}").join(String(v));
    return text;
  }
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function dur(s) {
    if (s === null || s === undefined) return "—";
    s = Math.max(0, Math.round(s));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
  }
  function skew(s) {  // a device's clock against the server's, signed
    return (s < 0 ? "−" : "+") + dur(Math.abs(s));
  }
  let zone = undefined;  // the site's time zone, from the snapshot
  function clock(epoch) {
    return new Date(epoch * 1000).toLocaleTimeString(LANG === "id" ? "id-ID" : "en-GB", {hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: zone});
  }
  function toast(text, bad) {
    const node = $("toast");
    node.textContent = text;
    node.className = bad ? "bad" : "good";
  }

  async function act(url, body) {
    try {
      const resp = await fetch(url, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": CSRF},
        body: JSON.stringify(body || {})});
      const data = await resp.json().catch(() => ({}));
      if (resp.status === 401) { location.href = "/login?next=/"; return null; }
      if (!resp.ok) { toast((data.error && data.error.message) || t("error.unknown", {code: resp.status}), true); return null; }
      toast(t("actions.done"), false);
      return data;
    } catch (err) {
      toast(t("error.network"), true);
      return null;
    }
  }
  function button(text, id, onClick, cls) {
    const b = el("button", text, cls);
    b.type = "button";
    if (id) b.id = id;
    b.addEventListener("click", onClick);
    return b;
  }

  // -- sound: a short two-tone beep on a new alert (browsers allow audio after a click)
  function beep() {
    if (!soundOn) return;
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    [880, 660].forEach((freq, i) => {
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + i * 0.25);
      osc.stop(audio.currentTime + i * 0.25 + 0.2);
    });
    document.body.dataset.beeps = String(Number(document.body.dataset.beeps || 0) + 1);
  }
  // an alert nobody has acknowledged beeps again every minute
  setInterval(() => {
    if (last && last.alerts.some((a) => !a.acked_by)) beep();
  }, 60000);
  $("sound-toggle").addEventListener("click", () => {
    soundOn = !soundOn;
    $("sound-toggle").setAttribute("aria-pressed", String(soundOn));
    $("sound-toggle").textContent = soundOn ? t("alerts.sound_off") : t("alerts.sound_on");
    if (soundOn) beep();
  });

  // -- rendering
  function renderAlerts(snap) {
    const list = $("alerts");
    list.replaceChildren();
    const fresh = [], names = {};
    for (const agency of snap.agencies) for (const s of agency.services) names[s.id] = s.name[LANG];
    for (const c of snap.counters) names[c.id] = c.name;
    for (const d of snap.devices) names[d.id] = d.name;
    for (const a of snap.alerts) {
      const li = el("li", null, "alert " + a.kind + (a.acked_by ? " acked" : ""));
      li.dataset.key = a.key;
      li.appendChild(el("span", t("alert." + a.kind, {subject: names[a.subject] || a.subject, value: a.kind === "wait_over_target" || a.kind === "counter_paused_long" || a.kind === "outbox_stale" ? dur(a.value) : a.kind === "clock_skew" ? skew(a.value) : (a.value || "")}), "text"));
      if (a.acked_by) li.appendChild(el("span", t("alerts.acked_by", {user: a.acked_by}), "muted"));
      else li.appendChild(button(t("alerts.ack"), null, () => act("/api/alerts/ack", {key: a.key}), "ack"));
      list.appendChild(li);
      if (!a.acked_by && knownAlerts !== null && !knownAlerts.has(a.key)) fresh.push(a.key);
    }
    knownAlerts = new Set(snap.alerts.map((a) => a.key));
    const open = snap.alerts.filter((a) => !a.acked_by).length;
    $("alert-count").textContent = String(open);
    $("alert-count").className = "badge" + (open ? " hot" : "");
    $("no-alerts").hidden = snap.alerts.length > 0;
    if (fresh.length) beep();
  }

  function renderServices(snap) {
    const body = $("services").tBodies[0];
    body.replaceChildren();
    const select = $("move-service"), chosen = select.value;
    select.replaceChildren();
    for (const agency of snap.agencies) {
      const head = el("tr", null, "agency");
      const th = el("th", agency.name[LANG]);
      th.colSpan = 9;
      head.appendChild(th);
      body.appendChild(head);
      for (const s of agency.services) {
        const tr = el("tr", null, s.over_target ? "over" : "");
        tr.dataset.service = s.id;
        tr.appendChild(el("td", `${s.prefix} · ${s.name[LANG]}`));
        tr.appendChild(el("td", s.waiting, "num waiting"));
        tr.appendChild(el("td", dur(s.longest_wait_s), "num longest"));
        tr.appendChild(el("td", dur(s.avg_wait_s), "num"));
        tr.appendChild(el("td", dur(s.avg_service_s), "num"));
        tr.appendChild(el("td", dur(s.target_wait_s), "num"));
        tr.appendChild(el("td", s.quota ? `${s.issued_today ?? 0} / ${s.quota}` : (s.issued_today ?? "—"), "num issued"));
        tr.appendChild(el("td", s.open ? t("service.open") : t("service.closed." + (s.closed_reason || "unknown")), s.open ? "state ok" : "state closed"));
        const cell = el("td", null, "actions");
        const byUs = s.closed_reason === "supervisor";
        cell.appendChild(button(byUs ? t("actions.open") : t("actions.close"), `svc-${s.id}-${byUs ? "open" : "close"}`,
          () => act(`/api/services/${s.id}/${byUs ? "open" : "close"}`)));
        const quota = el("input");
        quota.type = "number"; quota.min = "1"; quota.max = "100000"; quota.id = `quota-${s.id}`;
        quota.placeholder = t("actions.quota"); quota.className = "quota";
        cell.appendChild(quota);
        cell.appendChild(button(t("actions.set_quota"), `quota-${s.id}-set`, () => {
          const value = quota.value.trim();
          act(`/api/services/${s.id}/quota`, {quota: value === "" ? null : Number(value)});
        }));
        tr.appendChild(cell);
        body.appendChild(tr);
        const opt = el("option", `${s.prefix} · ${s.name[LANG]}`);
        opt.value = s.id;
        select.appendChild(opt);
      }
    }
    if (chosen) select.value = chosen;
  }

  function renderCounters(snap) {
    const body = $("counters").tBodies[0];
    body.replaceChildren();
    for (const c of snap.counters) {
      const tr = el("tr", null, "counter " + c.status);
      tr.dataset.counter = c.id;
      tr.appendChild(el("td", c.name));
      let state = t("counter." + c.status);
      if (c.status === "paused" && c.reason) state += " · " + t("reason." + c.reason);
      tr.appendChild(el("td", state, "state"));
      tr.appendChild(el("td", c.ticket ? `${c.ticket} (${t("ticket." + c.ticket_status)})` : "—", "ticket"));
      tr.appendChild(el("td", c.ticket ? dur(c.ticket_for_s) : dur(c.for_s), "num"));
      tr.appendChild(el("td", c.officer ? (c.officer_name ? `${c.officer_name} (${c.officer})` : c.officer) : "—", "officer"));
      const cell = el("td", null, "actions");
      if (c.status === "open") {
        const reason = el("select");
        reason.id = `reason-${c.id}`;
        for (const r of PAUSE_REASONS) {
          const o = el("option", t("reason." + r)); o.value = r; reason.appendChild(o);
        }
        cell.appendChild(reason);
        cell.appendChild(button(t("actions.pause"), `ctr-${c.id}-pause`, () => act(`/api/counters/${c.id}/pause`, {reason: reason.value})));
      }
      if (c.status === "open" || c.status === "paused") {
        cell.appendChild(button(t("actions.close_counter"), `ctr-${c.id}-close`, () => act(`/api/counters/${c.id}/close`)));
      }
      tr.appendChild(cell);
      body.appendChild(tr);
    }
  }

  function renderDevices(snap) {
    const body = $("devices").tBodies[0];
    body.replaceChildren();
    for (const d of snap.devices) {
      const tr = el("tr", null, "device " + d.status);
      tr.dataset.device = d.id;
      tr.appendChild(el("td", d.name));
      tr.appendChild(el("td", t("role." + d.role)));
      tr.appendChild(el("td", t("device." + d.status), "state"));
      const p = d.printer;
      tr.appendChild(el("td", p ? t("paper." + (p.paper || "unknown")) + (p.state && p.state !== "ready" && !p.state.startsWith("paper_") ? " · " + t("printer." + p.state) : "") : "—", "printer"));
      tr.appendChild(el("td", d.last_seen ? (d.stale ? t("devices.before_start") : clock(d.last_seen)) : "—"));
      const off = d.clock_skew_s !== null && Math.abs(d.clock_skew_s) > snap.clock_skew_max_s;
      tr.appendChild(el("td", d.clock_skew_s === null ? "—" : off ? skew(d.clock_skew_s) : t("devices.clock_ok"), off ? "clock off" : "clock"));
      body.appendChild(tr);
    }
  }

  // the link to the city's central: the WAN, the outbox's backlog and age, the last delivery
  function renderWan(o) {
    const node = $("wan");
    node.hidden = !o;
    if (!o) return;
    const parts = [t("wan." + o.wan)];
    if (o.enabled || o.backlog) parts.push(t("wan.backlog", {n: o.backlog}));
    if (o.backlog && o.oldest_age_s !== null) parts.push(t("wan.oldest", {age: dur(o.oldest_age_s)}));
    if (o.enabled) parts.push(o.last_delivery_at ? t("wan.last", {at: o.last_delivery_at.slice(11, 19)}) : t("wan.never"));
    node.textContent = parts.join(" · ");
    node.className = "wan " + (o.alert ? "bad" : o.wan === "up" || o.wan === "off" ? "on" : "off");
  }

  function render(snap) {
    last = snap;
    zone = snap.timezone || undefined;
    document.body.dataset.version = String(snap.version);
    $("clock").textContent = clock(snap.now);
    const conn = $("conn");
    const ok = snap.mqtt_connected && snap.server_online;
    conn.textContent = ok ? t("live.online") : t("live.server_offline");
    conn.className = "conn " + (ok ? "on" : "off");
    const tot = snap.totals;
    $("totals").textContent = t("totals.line", {waiting: tot.waiting, issued: tot.issued_today,
      called: tot.called_today, open: tot.counters_open, paused: tot.counters_paused});
    renderWan(snap.outbox);
    renderAlerts(snap);
    renderServices(snap);
    renderCounters(snap);
    renderDevices(snap);
    const m = snap.message;
    // state/message: {"text": {"id", "en"}, "at", "by"}
    const text = m && m.text ? (typeof m.text === "string" ? m.text : (m.text[LANG] || m.text.id)) : "";
    $("message-current").textContent = text || "—";
  }

  $("move-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const done = await act("/api/tickets/move", {ticket: $("move-ticket").value.trim(), service: $("move-service").value, front: $("move-front").checked});
    if (done) $("move-ticket").value = "";
  });
  $("void-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {ticket: $("void-ticket").value.trim()};
    const reason = $("void-reason").value.trim();
    if (reason) body.reason = reason;
    if (await act("/api/tickets/void", body)) { $("void-ticket").value = ""; $("void-reason").value = ""; }
  });
  $("message-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {text: $("message-text").value.trim()};
    const en = $("message-text-en").value.trim();
    if (en) body.text_en = en;
    await act("/api/message", body);
  });

  // -- accounts (the panel exists for administrators only; the API checks the role too)
  async function loadAccounts() {
    const resp = await fetch("/api/accounts", {credentials: "same-origin"});
    if (!resp.ok) return;
    const body = $("accounts").tBodies[0];
    body.replaceChildren();
    const me = $("who").dataset.user;
    for (const a of await resp.json()) {
      const tr = el("tr");
      tr.dataset.account = a.username;
      tr.appendChild(el("td", a.username));
      tr.appendChild(el("td", t("role." + a.role)));
      const cell = el("td");
      if (a.username !== me) {
        cell.appendChild(button(t("accounts.disable"), `account-${a.username}-disable`, async () => {
          if (await act(`/api/accounts/${encodeURIComponent(a.username)}/disable`)) loadAccounts();
        }));
      }
      tr.appendChild(cell);
      body.appendChild(tr);
    }
  }
  if ($("accounts-panel")) {
    loadAccounts();
    $("account-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const done = await act("/api/accounts", {username: $("account-name").value.trim(),
        password: $("account-password").value, role: $("account-role").value});
      $("account-password").value = "";
      if (done) { $("account-name").value = ""; loadAccounts(); }
    });
  }

  // -- boxes waiting to be installed (administrators; the API checks the role too). Rows
  // are kept by request id, so a code being typed survives the refresh.
  function bundleSelect(select, bundles, host) {
    const ids = bundles.map((b) => b.device).join(" ");
    if (select.dataset.ids === ids) return;
    const chosen = select.value || host.split(".")[0].toLowerCase();
    select.replaceChildren();
    const pick = el("option", t(bundles.length ? "pairing.choose" : "pairing.no_bundles"));
    pick.value = "";  // nothing is sent before someone picks the box's bundle
    select.appendChild(pick);
    for (const b of bundles) {
      const o = el("option", `${b.device} · ${t("pairing.role." + b.role)}${b.name ? " · " + b.name : ""}`);
      o.value = b.device;
      select.appendChild(o);
    }
    if (bundles.some((b) => b.device === chosen)) select.value = chosen;
    select.dataset.ids = ids;
  }
  function boxRow(r) {
    const tr = el("tr", null, "box " + r.state);
    tr.dataset.request = r.id;
    tr.appendChild(el("td", r.host, "host"));
    tr.appendChild(el("td", r.address, "address"));
    tr.appendChild(el("td", null, "num age"));
    tr.appendChild(el("td", null, "state"));
    tr.appendChild(el("td", null, "code"));
    tr.appendChild(el("td", null, "bundle"));
    tr.appendChild(el("td", null, "actions"));
    return tr;
  }
  function boxActions(tr, r) {
    const [code, bundle, actions] = [".code", ".bundle", ".actions"].map((c) => tr.querySelector("td" + c));
    code.replaceChildren(); bundle.replaceChildren(); actions.replaceChildren();
    if (r.state === "waiting") {
      const input = el("input", null, "box-code");
      input.id = `box-${r.id}-code`; input.maxLength = 20; input.autocomplete = "off";
      input.spellcheck = false; input.placeholder = "XXXX-XXXX-XXXX";
      input.setAttribute("aria-label", t("pairing.code"));
      code.appendChild(input);
      const select = el("select");
      select.id = `box-${r.id}-bundle`;
      select.setAttribute("aria-label", t("pairing.bundle"));
      bundle.appendChild(select);
      actions.appendChild(button(t("pairing.approve"), `box-${r.id}-approve`, async () => {
        if (!select.value) { toast(t("pairing.pick_first"), true); return; }
        const done = await act(`/api/pairing/${r.id}/approve`, {code: input.value, device: select.value});
        if (done) input.value = "";
        loadBoxes();
      }));
    }
    if (r.state === "waiting" || r.state === "sent") {
      actions.appendChild(button(t("pairing.refuse"), `box-${r.id}-refuse`, async () => {
        await act(`/api/pairing/${r.id}/refuse`);
        loadBoxes();
      }));
    }
  }
  function renderBoxes(data) {
    const body = $("boxes").tBodies[0];
    const rows = new Map([...body.rows].map((tr) => [tr.dataset.request, tr]));
    const seen = new Set();
    for (const r of data.requests) {
      seen.add(r.id);
      let tr = rows.get(r.id);
      if (!tr) { tr = boxRow(r); body.appendChild(tr); }
      if (tr.dataset.state !== r.state) {
        tr.dataset.state = r.state;
        tr.className = "box " + r.state;
        tr.querySelector("td.state").textContent = t("pairing.state." + r.state, {device: r.device || "", user: r.by || ""});
        boxActions(tr, r);
      }
      tr.querySelector("td.age").textContent = dur(r.age_s);
      const select = tr.querySelector("td.bundle select");
      if (select) bundleSelect(select, data.bundles, r.host);
    }
    for (const [id, tr] of rows) if (!seen.has(id)) tr.remove();
    const waiting = data.requests.filter((r) => r.state === "waiting").length;
    $("boxes-count").textContent = String(waiting);
    $("boxes-count").className = "badge" + (waiting ? " hot" : "");
    $("no-boxes").hidden = data.requests.length > 0;
    $("boxes").hidden = $("boxes-help").hidden = !data.requests.length;  // small when idle
    $("boxes-folder").textContent = data.folder === null ? t("pairing.off") : t("pairing.folder", {folder: data.folder, count: data.bundles.length});
    document.body.dataset.boxes = String(data.requests.length);
  }
  async function loadBoxes() {
    const resp = await fetch("/api/pairing", {credentials: "same-origin"}).catch(() => null);
    if (resp && resp.ok) renderBoxes(await resp.json());
  }
  if ($("boxes-panel")) {
    loadBoxes();
    setInterval(loadBoxes, Number($("boxes-panel").dataset.pollMs) || 3000);
  }

  function connect() {
    const source = new EventSource("/api/live");
    source.addEventListener("snapshot", (ev) => render(JSON.parse(ev.data)));
    source.addEventListener("signed_out", () => { source.close(); location.href = "/login"; });
    source.onerror = async () => {
      $("conn").textContent = t("live.reconnecting");
      $("conn").className = "conn off";
      if (source.readyState !== EventSource.CLOSED) return;  // the browser retries by itself
      // refused (session over) or the server restarted: ask who we are, then go on
      const me = await fetch("/api/me", {credentials: "same-origin"}).catch(() => null);
      if (me && me.status === 401) { location.href = "/login?next=/"; return; }
      setTimeout(connect, 2000);
    };
  }
  connect();
  window.mppDashboard = {last: () => last};
})();
