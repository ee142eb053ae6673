// The triage page: one file, no framework, no build step. Talks only to our own origin
// (/api/v1, /ui/locales). Every text shown comes from locales/ui/<lang>.json; nothing personal
// is put in the URL or in localStorage (the token lives in sessionStorage, the language choice
// in localStorage). Views: login, queue, ticket, reports, catalogue, broadcasts. One request per
// view; the history and the citizen conversation load only when asked for (both reads are
// audited).
'use strict';
(() => {
  // The queue's rules and the requests already sent live in boot.js, loaded first.
  const boot = window.satupintuBoot;
  const { API, TABS, CLAIM_ROLES } = boot;
  const STATUSES = ['received', 'verified', 'forwarded', 'reviewed', 'referred', 'resolved', 'closed'];
  const CATEGORIES = ['pkh', 'sembako', 'pbi_jk', 'pip', 'rutilahu', 'disabilitas', 'lansia',
    'bencana', 'data', 'lainnya'];
  const REASONS = ['solved', 'duplicate', 'not_eligible', 'withdrawn', 'unreachable'];
  const ANSWERS = ['accepted', 'rejected', 'needs_info'];
  const PURPOSES = ['verifikasi', 'tindak_lanjut', 'pelaporan'];
  // The fast-track reasons of the workflow ('' takes the ticket off the fast track).
  const PRIORITIES = ['', 'pregnant', 'elderly', 'disability', 'violence'];
  // Who composes and approves the office's broadcasts (the server decides; this shows the menu).
  const BROADCAST_ROLES = ['broadcaster', 'manager'];
  // Actions that are one tap; refer, answer, prioritize and close need a choice first.
  const SIMPLE_ACTIONS = ['claim', 'release', 'verify', 'forward', 'review', 'resolve', 'escalate'];

  const store = {
    get token() { return sessionStorage.getItem('sp_token'); },
    set token(v) { v ? sessionStorage.setItem('sp_token', v) : sessionStorage.removeItem('sp_token'); },
    // The role only picks the first queue tab before /me answers; the server decides the rest.
    get role() { return sessionStorage.getItem('sp_role'); },
    set role(v) { v ? sessionStorage.setItem('sp_role', v) : sessionStorage.removeItem('sp_role'); },
    get purpose() { return sessionStorage.getItem('sp_purpose'); },
    set purpose(v) { v ? sessionStorage.setItem('sp_purpose', v) : sessionStorage.removeItem('sp_purpose'); },
  };
  const state = {
    lang: localStorage.getItem('sp_lang') === 'en' ? 'en' : 'id',
    texts: {},
    user: null,
    programmes: null,
    filter: { status: '', category: '' },
    seq: 0,  // bumped by every view: a late answer for an older view is dropped
  };
  const main = document.getElementById('main');
  const header = document.getElementById('header');
  const notice = document.getElementById('notice');

  // ---- texts and formats ----
  function t(key, args) {
    const s = state.texts[key] ?? key;
    return args ? s.replace(/\{(\w+)\}/g, (m, k) => (k in args ? String(args[k]) : m)) : s;
  }
  // A label for a value the server names ("status.received"), the raw value when unknown.
  function label(prefix, value) {
    const key = prefix + '.' + value;
    return key in state.texts ? state.texts[key] : String(value);
  }
  // The API names a channel "<kind>:<name>" ("telegram:tg", "kannel:dinsos"); officers see the kind.
  function channelLabel(channel) {
    const kind = String(channel).split(':')[0];
    return label('channel', kind === 'kannel' || kind === 'gammu' ? 'sms' : kind);
  }
  const locale = () => state.lang + '-ID';
  const fmtDate = (ms) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
  const fmtDay = (ms) => new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short' }).format(ms);
  // A calendar day "YYYY-MM-DD" as the same day everywhere ("31 Des 1985").
  function fmtCalendarDay(day) {
    const ms = Date.parse(day + 'T00:00:00Z');
    return Number.isNaN(ms) ? day : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
  }
  const fmtNum = (n, digits = 0) => new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
  function age(ms) {
    const minutes = Math.max(0, Math.floor((Date.now() - ms) / 60000));
    if (minutes < 60) return t('age.minutes', { n: minutes });
    if (minutes < 1440) return t('age.hours', { n: Math.floor(minutes / 60) });
    return t('age.days', { n: Math.floor(minutes / 1440) });
  }
  async function loadTexts(lang) {
    const r = await fetch('locales/' + lang + '.json');
    if (!r.ok) throw new Error('locale ' + lang);
    state.texts = await r.json();
    state.lang = lang;
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }

  // ---- DOM ----
  function put(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    put(el, attrs);
    el.append(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== false));
    return el;
  }
  function s(tag, attrs, ...kids) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    put(el, attrs);
    el.append(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== false));
    return el;
  }
  function show(...nodes) {
    main.removeAttribute('aria-busy');
    main.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));
    main.focus({ preventScroll: true });
  }
  function say(text, kind = 'ok') {
    notice.textContent = text;
    notice.className = 'notice ' + kind;
    notice.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { notice.hidden = true; }, kind === 'ok' ? 4000 : 8000);
  }
  const badge = (cls, text, test) => h('span', { class: 'badge ' + cls, 'data-test': test }, text);
  function field(labelText, control) {
    return h('label', { class: 'field' }, h('span', {}, labelText), control);
  }
  function select(attrs, options, current) {
    return h('select', attrs, options.map(([v, text]) => h('option', { value: v, selected: v === current }, text)));
  }
  function dl(rows) {
    return h('dl', { class: 'facts' }, rows.filter((r) => r[1] !== '' && r[1] !== null && r[1] !== undefined)
      .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  }
  // First time a view is shown, for tests/browser/perf.mjs.
  const markOnce = (name) => performance.getEntriesByName(name).length || performance.mark(name);
  const loading = () => h('p', { class: 'muted', 'data-test': 'loading' }, t('common.loading'));

  // ---- API ----
  class ApiError extends Error {
    constructor(code, retryAfter) { super(code); this.code = code; this.retryAfter = retryAfter; }
  }
  // `body`: an object sent as JSON, or a File/Blob sent as it is (a CSV upload).
  async function call(method, path, body, raw) {
    // A request boot.js already sent is taken once, by the first GET of its path.
    const early = method === 'GET' && boot.sent.get(path);
    if (early) boot.sent.delete(path);
    const headers = {};
    if (store.token) headers.Authorization = 'Bearer ' + store.token;
    const file = body instanceof Blob;
    if (body) headers['Content-Type'] = file ? 'text/csv' : 'application/json';
    let r;
    try {
      r = await (early || fetch(API + path, { method, headers, body: body ? (file ? body : JSON.stringify(body)) : undefined, cache: 'no-store' }));
    } catch {
      throw new ApiError('network');
    }
    if (r.status === 401 && path !== '/session') {
      endSession();
      say(t('error.session_expired'), 'error');
      route();
      throw new ApiError('unauthenticated');
    }
    if (!r.ok) {
      let code = 'unknown';
      try { code = (await r.json()).error.code || code; } catch { /* not our JSON */ }
      throw new ApiError(code, Number(r.headers.get('Retry-After')) || 0);
    }
    if (r.status === 204) return null;
    return raw ? r : r.json();
  }
  function errorText(e) {
    if (!(e instanceof ApiError)) return t('error.unknown');
    if (e.code === 'rate_limited' && e.retryAfter) return t('error.retry_after', { s: e.retryAfter });
    return label('error', e.code) === e.code ? t('error.unknown') : label('error', e.code);
  }
  // Runs a request for the view `seq`; errors are shown unless the view has moved on.
  async function fetchFor(seq, method, path, body) {
    try {
      const data = await call(method, path, body);
      return seq === state.seq ? data : undefined;
    } catch (e) {
      if (seq === state.seq && e.code !== 'unauthenticated') {
        show(h('p', { class: 'error', role: 'alert', 'data-test': 'view-error' }, errorText(e)),
          h('button', { type: 'button', onclick: route }, t('common.retry')));
      }
      return undefined;
    }
  }
  function endSession() {
    store.token = null;
    store.role = null;
    boot.sent.clear();
    store.purpose = null;
    state.user = null;
    state.programmes = null;
  }
  const enc = encodeURIComponent;

  // ---- header ----
  function renderHeader() {
    const other = state.lang === 'id' ? 'en' : 'id';
    const lang = h('button', {
      type: 'button', class: 'link', 'data-test': 'lang-toggle', lang: other,
      'aria-label': t('lang.switch'),
      onclick: async () => {
        localStorage.setItem('sp_lang', other);
        await loadTexts(other);
        route();
      },
    }, t('lang.other'));
    const u = state.user;
    const items = [h('strong', { class: 'brand' }, t('app.title'))];
    if (u) {
      const here = ['reports', 'catalogue', 'broadcasts'].find((v) => location.hash.startsWith('#/' + v)) || 'queue';
      const views = ['queue', 'reports', 'catalogue', ...(BROADCAST_ROLES.includes(u.role) ? ['broadcasts'] : [])];
      items.push(h('nav', { 'aria-label': t('nav.label') }, views.map((v) =>
        h('a', { href: '#/' + v, 'data-test': 'nav-' + v, 'aria-current': here === v ? 'page' : null }, t('nav.' + v)))));
    }
    items.push(lang);
    if (u) {
      items.push(h('button', { type: 'button', class: 'link', 'data-test': 'logout', onclick: logout }, t('nav.logout')));
    }
    header.replaceChildren(h('div', { class: 'bar' }, items),
      u ? h('p', { class: 'who', 'data-test': 'who' },
        t('header.who', { name: u.display_name, role: label('role', u.role), region: u.region_name })) : '');
  }

  // ---- login ----
  function showLogin() {
    state.seq++;
    renderHeader();
    const err = h('p', { class: 'error', role: 'alert', 'data-test': 'login-error' });
    const user = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', 'data-test': 'login-username' });
    const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-test': 'login-password' });
    const submit = h('button', { type: 'submit', class: 'primary', 'data-test': 'login-submit' }, t('login.submit'));
    const form = h('form', {
      class: 'card narrow',
      onsubmit: async (ev) => {
        ev.preventDefault();
        submit.disabled = true;
        err.textContent = '';
        try {
          const r = await call('POST', '/session', { username: user.value.trim(), password: pass.value });
          store.token = r.token;
          state.user = r.user;
          store.role = r.user.role;
          // A changed address routes by itself (hashchange); routing here too would ask twice.
          // A broadcaster's work is the broadcasts; everyone else starts on the queue.
          const home = r.user.role === 'broadcaster' ? '#/broadcasts' : '#/queue';
          if (location.hash.startsWith('#/t/') || location.hash === home) route();
          else location.hash = home;
        } catch (e) {
          err.textContent = e.code === 'unauthenticated' ? t('login.wrong') : errorText(e);
          pass.value = '';
          pass.focus();
        } finally {
          submit.disabled = false;
        }
      },
    }, h('h1', {}, t('login.title')), field(t('login.username'), user), field(t('login.password'), pass), err, submit);
    show(form);
    user.focus();
    markOnce('sp:login');
  }
  async function logout() {
    try { await call('DELETE', '/session'); } catch { /* the token ends here anyway */ }
    endSession();
    location.hash = '';
    route();
    say(t('login.logged_out'));
  }

  // ---- queue ----
  const defaultTab = () => boot.defaultTab(state.user && state.user.role);
  const queueQuery = (tab) => boot.queueQuery(tab, state.filter);
  function slaBadge(sla) {
    return sla && sla !== 'on_time' ? badge('sla-' + sla, label('sla', sla), 'sla') : null;
  }
  function priorityBadge(p) {
    return p ? badge('priority', label('priority', p), 'priority') : null;
  }
  function queueRow(x) {
    return h('li', {},
      h('a', { class: 'row', href: '#/t/' + enc(x.code), 'data-test': 'queue-row', 'data-code': x.code },
        h('span', { class: 'row-top' }, h('strong', { class: 'code' }, x.code),
          h('span', { class: 'muted' }, age(x.opened_at_ms))),
        h('span', { class: 'row-mid' }, label('category', x.category || x.type), ' · ', x.village_name),
        h('span', { class: 'row-badges' }, badge('status', label('status', x.status), 'row-status'),
          slaBadge(x.sla), priorityBadge(x.priority),
          x.unplaced ? badge('unplaced', t('queue.unplaced'), 'row-unplaced') : null,
          x.claimed_by_me ? badge('mine', t('queue.claimed_by_me'), 'row-mine') : null)));
  }
  async function showQueue(tab) {
    const seq = ++state.seq;
    renderHeader();
    const query = boot.queuePageQuery(tab, state.filter);
    // The first page is asked for before the view is built and the view is shown once, with its
    // rows: one layout instead of two, the costly part on a slow phone (perf.mjs). Meanwhile the
    // previous view is dimmed.
    const first = fetchFor(seq, 'GET', '/tickets?' + query);
    main.setAttribute('aria-busy', 'true');
    const list = h('ul', { class: 'rows', 'data-test': 'queue-list' });
    const more = h('button', { type: 'button', 'data-test': 'queue-more', hidden: true }, t('queue.more'));
    const filters = h('div', { class: 'filters' },
      field(t('queue.filter_status'), select({
        'data-test': 'filter-status',
        onchange: (ev) => { state.filter.status = ev.target.value; route(); },
      }, [['', t('queue.status_open')], ...STATUSES.map((x) => [x, label('status', x)])], state.filter.status)),
      field(t('queue.filter_category'), select({
        'data-test': 'filter-category',
        onchange: (ev) => { state.filter.category = ev.target.value; route(); },
      }, [['', t('queue.category_all')], ...CATEGORIES.map((x) => [x, label('category', x)])], state.filter.category)));
    const csv = h('button', { type: 'button', class: 'link', 'data-test': 'queue-csv', onclick: () => download('/tickets.csv?' + queueQuery(tab), 'tiket.csv') }, t('queue.csv'));
    function fill(data) {
      list.append(...data.items.map(queueRow));
      if (!list.children.length) list.append(h('li', { class: 'muted', 'data-test': 'queue-empty' }, t('queue.empty')));
      more.hidden = data.next_after === null || data.next_after === undefined;
      more.disabled = false;
      more.onclick = () => page(data.next_after);
      list.setAttribute('data-loaded', 'true');
    }
    async function page(after) {
      query.set('after', String(after));
      more.disabled = true;
      const data = await fetchFor(seq, 'GET', '/tickets?' + query);
      if (data) fill(data);
    }
    const data = await first;
    if (!data) return;
    fill(data);
    show(h('h1', {}, t('queue.title')),
      h('nav', { class: 'tabs', 'aria-label': t('queue.title') }, TABS.map((x) => h('a', {
        href: '#/queue/' + x, 'data-test': 'tab-' + x, 'aria-current': x === tab ? 'page' : null,
      }, t('queue.tab_' + x)))),
      h('details', { class: 'filter-box' }, h('summary', {}, t('queue.filters')), filters, csv),
      list, more);
    markOnce('sp:queue');
  }
  // Saves a file the API answers (with the bearer token, so not a plain link).
  async function download(path, name) {
    try {
      const r = await call('GET', path, null, true);
      const url = URL.createObjectURL(await r.blob());
      const a = h('a', { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      if (e.code !== 'unauthenticated') say(errorText(e), 'error');
    }
  }

  // ---- ticket ----
  function askPurpose(then) {
    state.seq++;
    renderHeader();
    const sel = select({ 'data-test': 'purpose-select', required: true },
      [['', t('purpose.choose')], ...PURPOSES.map((p) => [p, label('purpose', p)])], '');
    show(h('form', {
      class: 'card narrow',
      onsubmit: (ev) => {
        ev.preventDefault();
        if (!sel.value) return;
        store.purpose = sel.value;
        then();
      },
    }, h('h1', {}, t('purpose.title')), h('p', {}, t('purpose.why')), field(t('purpose.label'), sel),
    h('button', { type: 'submit', class: 'primary', 'data-test': 'purpose-submit' }, t('common.continue'))));
  }
  async function programmes() {
    if (!state.programmes) state.programmes = (await call('GET', '/programmes')).items;
    return state.programmes;
  }
  function programmeName(id) {
    const p = (state.programmes || []).find((x) => x.id === id);
    return p ? p.short_name || p.name : id;
  }
  async function showTicket(code) {
    if (!store.purpose) return askPurpose(() => showTicket(code));
    const seq = ++state.seq;
    renderHeader();
    show(loading());
    const tk = await fetchFor(seq, 'GET', '/tickets/' + enc(code) + '?purpose=' + enc(store.purpose));
    if (!tk) return;
    const needsCatalogue = tk.referrals.length || tk.allowed_actions.includes('refer');
    if (needsCatalogue && !state.programmes) {
      try { await programmes(); } catch { /* ids are shown instead of names */ }
      if (seq !== state.seq) return;
    }
    renderTicket(tk, seq);
  }
  function registryFacts(obj) {
    if (!obj || typeof obj !== 'object' || !Object.keys(obj).length) {
      return h('p', { class: 'muted' }, t('ticket.registry_none'));
    }
    return dl(Object.entries(obj).map(([k, v]) => [label('registry', k),
      v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)]));
  }
  function renderTicket(tk, seq) {
    const allowed = new Set(tk.allowed_actions);
    const c = tk.citizen || {};
    const claimed = tk.claimed_by_me ? t('ticket.claimed_me') : tk.claimed_by ? t('ticket.claimed_other') : t('ticket.claimed_none');
    const ctl = actions(tk, allowed, seq);
    show(
      h('p', {}, h('a', { href: '#/queue', 'data-test': 'back' }, '← ' + t('ticket.back'))),
      h('h1', {}, h('span', { 'data-test': 'ticket-code', 'data-code': tk.code }, tk.code)),
      h('p', { class: 'row-badges' },
        h('span', { class: 'badge status', 'data-test': 'ticket-status', 'data-status': tk.status }, label('status', tk.status)),
        badge('level', label('level', tk.level), 'ticket-level'), slaBadge(tk.sla), priorityBadge(tk.priority),
        tk.claimed_by_me ? badge('mine', t('queue.claimed_by_me'), 'ticket-mine') : null),
      ctl.section,
      h('section', {}, h('h2', {}, t('ticket.details')), dl([
        [t('ticket.type'), label('type', tk.type)],
        [t('ticket.category'), tk.category ? label('category', tk.category) : ''],
        [t('ticket.village'), tk.village_name],
        [t('ticket.opened'), fmtDate(tk.opened_at_ms) + ' (' + age(tk.opened_at_ms) + ')'],
        [t('ticket.updated'), fmtDate(tk.updated_at_ms)],
        [t('ticket.claimed'), claimed],
        [t('ticket.close_reason'), tk.close_reason ? label('reason', tk.close_reason) : ''],
      ]), tk.description ? h('blockquote', { class: 'description', 'data-test': 'ticket-description' }, tk.description) : null),
      h('section', {}, h('h2', {}, t('ticket.citizen')), dl([
        [t('citizen.name'), c.name],
        [t('citizen.nik'), c.nik_masked],
        [t('citizen.kk'), c.kk_masked],
        [t('citizen.birth_date'), c.birth_date ? fmtCalendarDay(c.birth_date) : ''],
        [t('citizen.language'), c.language ? label('language', c.language) : ''],
        [t('citizen.channel'), c.channel ? channelLabel(c.channel) : ''],
      ])),
      h('details', {}, h('summary', {}, t('ticket.registry')), registryFacts(tk.registry)),
      referrals(tk, allowed, ctl),
      lazySection('history', tk.code, seq),
      lazySection('conversation', tk.code, seq),
      allowed.size ? messageForm(tk, seq) : null,
      h('p', { class: 'muted small' }, t('ticket.purpose_note', { purpose: label('purpose', store.purpose) })));
  }
  // A message to the citizen on their channel (the server frames it with the ticket code).
  function messageForm(tk, seq) {
    const text = h('textarea', { rows: 3, maxlength: 600, 'data-test': 'message-input' });
    const b = h('button', {
      type: 'button', class: 'primary', 'data-test': 'action-message',
      onclick: async () => {
        const value = text.value.trim();
        if (!value) { say(t('error.message_required'), 'error'); return text.focus(); }
        b.disabled = true;
        try {
          await call('POST', '/tickets/' + enc(tk.code) + '/messages', { text: value });
          if (seq !== state.seq) return;
          text.value = '';
          text.dataset.sent = String(Number(text.dataset.sent || 0) + 1);  // messages sent from this view
          say(t('ticket.message_sent'));
        } catch (e) {
          if (e.code !== 'unauthenticated') say(errorText(e), 'error');
        }
        b.disabled = false;
      },
    }, label('action', 'message'));
    return h('section', { class: 'card', 'data-test': 'message' }, h('h2', {}, t('ticket.message_title')),
      h('p', { class: 'muted small' }, t('ticket.message_hint')), field(t('ticket.message_title'), text), h('div', { class: 'buttons' }, b));
  }
  // Sends an action; the answer is the ticket after it, shown at once (no second request).
  async function perform(tk, seq, body, buttons) {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const after = await call('POST', '/tickets/' + enc(tk.code) + '/actions', body);
      if (seq !== state.seq) return;
      say(label('done', body.action));
      renderTicket(after, seq);
    } catch (e) {
      if (e.code !== 'unauthenticated') say(errorText(e), 'error');
      buttons.forEach((b) => { b.disabled = false; });
    }
  }
  // The action controls; `answer` and `buttons` are shared with the referrals section, where a
  // programme's answer is recorded per referral.
  function actions(tk, allowed, seq) {
    const buttons = [];
    if (!allowed.size) return { section: null, answer: null, buttons };
    const note = h('textarea', { rows: 2, maxlength: 1000, 'data-test': 'note-input' });
    const send = (body) => {
      const text = note.value.trim();
      if (body.action === 'note' && !text) {
        say(t('error.note_required'), 'error');
        note.focus();
        return;
      }
      if (text) body.note = text;
      perform(tk, seq, body, buttons);
    };
    const button = (action, onclick, cls = '') => {
      const b = h('button', { type: 'button', class: cls, 'data-test': 'action-' + action, onclick }, label('action', action));
      buttons.push(b);
      return b;
    };
    const parts = [];
    const simple = SIMPLE_ACTIONS.filter((a) => allowed.has(a))
      .map((a, i) => button(a, () => send({ action: a }), i === 0 ? 'primary' : ''));
    if (simple.length) parts.push(h('div', { class: 'buttons' }, simple));
    if (allowed.has('refer')) {
      const taken = new Set(tk.referrals.map((r) => r.programme));
      const boxes = (state.programmes || []).filter((p) => p.active && !taken.has(p.id)).map((p) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', value: p.id, 'data-test': 'refer-programme', 'data-programme': p.id }),
          ' ', p.name + (p.short_name && p.short_name !== p.name ? ' (' + p.short_name + ')' : '')));
      parts.push(h('fieldset', {}, h('legend', {}, t('ticket.refer_to')), boxes.length ? boxes : h('p', { class: 'muted' }, t('ticket.no_programmes')),
        button('refer', () => {
          const chosen = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
          if (!chosen.length) return say(t('error.choose_programme'), 'error');
          send({ action: 'refer', programmes: chosen });
        })));
    }
    if (allowed.has('prioritize')) {
      const priority = select({ 'data-test': 'priority-select' },
        PRIORITIES.map((p) => [p, label('priority', p || 'none')]), tk.priority || '');
      parts.push(h('fieldset', {}, h('legend', {}, t('ticket.priority_title')),
        field(t('ticket.priority_label'), priority),
        button('prioritize', () => send({ action: 'prioritize', priority: priority.value }))));
    }
    if (allowed.has('place') && tk.unplaced) {
      // The village (or kecamatan) code of a ticket opened without one, e.g. 32.06.05.2002.
      const code = h('input', { type: 'text', inputmode: 'decimal', maxlength: 13, placeholder: '32.06.05.2002', 'data-test': 'place-code' });
      parts.push(h('fieldset', {}, h('legend', {}, t('ticket.place_title')), field(t('ticket.place_label'), code),
        button('place', () => {
          const value = code.value.trim();
          if (!/^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/.test(value)) return say(t('error.place_code'), 'error');
          send({ action: 'place', village_code: value });
        })));
    }
    if (allowed.has('close')) {
      const reason = select({ 'data-test': 'close-reason' }, [['', t('ticket.choose_reason')], ...REASONS.map((r) => [r, label('reason', r)])], '');
      parts.push(h('fieldset', {}, h('legend', {}, t('ticket.close_title')), field(t('ticket.close_reason'), reason),
        button('close', () => {
          if (!reason.value) return say(t('error.choose_reason'), 'error');
          send({ action: 'close', reason: reason.value });
        })));
    }
    parts.push(field(t('ticket.note'), note));
    if (allowed.has('note')) parts.push(h('div', { class: 'buttons' }, button('note', () => send({ action: 'note' }))));
    return {
      section: h('section', { class: 'card', 'data-test': 'actions' }, h('h2', {}, t('ticket.actions')), parts),
      answer: allowed.has('answer') ? send : null,
      buttons,
    };
  }
  function referrals(tk, allowed, ctl) {
    if (!tk.referrals.length) return null;
    const answer = ctl.answer;
    return h('section', {}, h('h2', {}, t('ticket.referrals')), h('ul', { class: 'rows' }, tk.referrals.map((r) => {
      let controls = null;
      if (allowed.has('answer') && answer && r.status !== 'accepted' && r.status !== 'rejected') {
        const sel = select({ 'data-test': 'answer-select', 'aria-label': t('ticket.answer_for', { programme: programmeName(r.programme) }) },
          ANSWERS.map((a) => [a, label('referral', a)]), 'accepted');
        const b = h('button', { type: 'button', 'data-test': 'action-answer', onclick: () => answer({ action: 'answer', programme: r.programme, answer: sel.value }) },
          label('action', 'answer'));
        ctl.buttons.push(b);
        controls = h('span', { class: 'inline' }, sel, b);
      }
      return h('li', { class: 'referral', 'data-test': 'referral', 'data-programme': r.programme, 'data-status': r.status },
        h('strong', {}, programmeName(r.programme)), ' ', badge('ref-' + r.status, label('referral', r.status), 'referral-status'), controls);
    })));
  }
  // The history and the conversation: a button that loads the list once, on request.
  function lazySection(kind, code, seq) {
    const body = h('div', { 'data-test': kind });
    const b = h('button', {
      type: 'button', 'data-test': kind + '-toggle',
      onclick: async () => {
        b.disabled = true;
        body.replaceChildren(loading());
        try {
          const q = kind === 'conversation' ? '?purpose=' + enc(store.purpose) : '';
          const data = await call('GET', '/tickets/' + enc(code) + '/' + kind + q);
          if (seq !== state.seq) return;
          body.replaceChildren(kind === 'history' ? historyList(data.events) : conversationList(data.messages));
          b.hidden = true;
        } catch (e) {
          body.replaceChildren(h('p', { class: 'error' }, errorText(e)));
          b.disabled = false;
        }
      },
    }, t('ticket.show_' + kind));
    return h('section', {}, h('h2', {}, t('ticket.' + kind)), b, body);
  }
  function detailText(d) {
    if (!d) return '';
    const parts = [];
    if (d.reason) parts.push(label('reason', d.reason));
    if (d.programmes) parts.push(d.programmes.map(programmeName).join(', '));
    if (d.programme) parts.push(programmeName(d.programme) + ': ' + label('referral', d.answer));
    if (d.note) parts.push('“' + d.note + '”');
    return parts.join(' · ');
  }
  function historyList(events) {
    if (!events.length) return h('p', { class: 'muted' }, t('ticket.history_empty'));
    return h('ol', { class: 'rows' }, events.map((e) => h('li', { 'data-test': 'history-item', 'data-action': e.action },
      h('span', { class: 'muted small' }, fmtDate(e.at_ms)), ' ',
      h('strong', {}, e.actor ? e.actor.display_name : t(e.action === 'open' ? 'actor.citizen' : 'actor.system')), ': ',
      label('action', e.action),
      e.from !== e.to && e.to ? ' (' + (e.from ? label('status', e.from) + ' → ' : '') + label('status', e.to) + ')' : '',
      detailText(e.detail) ? h('div', { class: 'small' }, detailText(e.detail)) : null)));
  }
  function conversationList(messages) {
    if (!messages.length) return h('p', { class: 'muted' }, t('ticket.conversation_empty'));
    return h('ol', { class: 'chat' }, messages.map((m) => h('li', { class: 'msg ' + m.direction, 'data-test': 'conversation-message', 'data-direction': m.direction },
      h('span', { class: 'muted small' }, fmtDate(m.at_ms) + ' · ' + channelLabel(m.channel) + ' · ' + label('direction', m.direction)),
      h('p', {}, m.text))));
  }

  // ---- views in scripts of their own, loaded the first time they are opened (not part of the
  // first load): web/ui/reports.js and web/ui/broadcasts.js. Each script defines
  // window.<name>(helpers), which returns the view's function.
  const modules = {};
  function loadModule(file, name, helpers) {
    modules[file] ??= new Promise((resolve, reject) => {
      document.head.append(h('script', {
        src: file,
        onload: () => resolve(window[name](helpers)),
        onerror: () => { delete modules[file]; reject(new Error(file)); },
      }));
    });
    return modules[file];
  }
  async function showModule(file, name, helpers, ...args) {
    try {
      (await loadModule(file, name, helpers))(...args);
    } catch {
      show(h('p', { class: 'error', role: 'alert', 'data-test': 'view-error' }, t('error.network')),
        h('button', { type: 'button', onclick: route }, t('common.retry')));
    }
  }
  const showReports = (which, arg) => showModule('reports.js', 'satupintuReports',
    { h, s, t, label, fmtNum, fmtDay, field, select, show, renderHeader, fetchFor, loading, state }, which, arg);
  const showBroadcasts = (arg) => showModule('broadcasts.js', 'satupintuBroadcasts',
    { h, t, label, field, select, dl, badge, show, renderHeader, fetchFor, call, say, errorText, loading, fmtDate,
      fmtNum, fmtCalendarDay, channelLabel, download, state, STATUSES, CATEGORIES }, arg);

  // ---- routing ----
  async function route() {
    if (!store.token) return showLogin();
    if (!state.user) {
      const seq = ++state.seq;
      const me = await fetchFor(seq, 'GET', '/me');
      if (!me) return;
      state.user = me;
    }
    const [, view, arg, extra] = location.hash.split('/');
    if (view === 't' && arg) return showTicket(decodeURIComponent(arg));
    if (view === 'reports') return showReports(arg, extra);
    if (view === 'broadcasts') return showBroadcasts(arg);
    // web/ui/catalogue.js (loaded by index.html) draws the catalogue with these helpers.
    if (view === 'catalogue') {
      return window.satupintuCatalogue({ h, t, label, field, show, renderHeader, fetchFor, call, say, errorText, loading, state })();
    }
    return showQueue(TABS.includes(arg) ? arg : defaultTab());
  }
  window.addEventListener('hashchange', route);
  // Start: the texts and, with a session, who we are, in parallel (two round trips on 3G
  // cost more than the bytes).
  const me = store.token ? call('GET', '/me').then((u) => { state.user = u; store.role = u.role; }, () => {}) : null;
  Promise.all([loadTexts(state.lang).catch(() => loadTexts('id')), me]).then(route, () => {
    main.textContent = 'satupintu: the page texts could not be loaded (locales).';
  });
})();
