// The broadcasts view (#/broadcasts, issue 20): the social office's messages to many
// households. A broadcaster or manager composes a draft (the text is checked by the server as
// it is typed: SMS parts, GSM-7 or UCS-2, the content rules), previews its audience and cost,
// and a manager who is not its author approves it; then the page follows the sending (polled
// every 2 s while it runs), pauses, resumes, cancels or resends to the failed, lists the
// recipients (masked; the read is audited) and saves the report. The server decides every
// rule; the page only hides what the role cannot do. Loaded by app.js the first time the view
// is opened; `ui` is app.js's own helpers and state. Returns showBroadcasts(arg).
'use strict';
window.satupintuBroadcasts = (ui) => {
  const { h, t, label, field, select, dl, badge, show, renderHeader, fetchFor, call, say, errorText, loading,
    fmtDate, fmtNum, fmtCalendarDay, channelLabel, download, state, STATUSES, CATEGORIES } = ui;
  const SOURCES = ['registry', 'tickets', 'upload'];
  const LIVE = ['approved', 'planning', 'sending'];  // the progress is polled in these states
  const OUTCOMES = ['planned', 'queued', 'sent', 'delivered', 'read', 'failed', 'unknown', 'excluded', 'cancelled'];
  const COUNTS = ['sent', 'delivered', 'read', 'queued', 'planned', 'outside_window', 'failed', 'unknown',
    'excluded', 'opted_out', 'cancelled'];
  const POLL_MS = 2000;
  const CHECK_MS = 300;  // the text is checked once the officer pauses typing this long
  const PAGE = 50;
  const path = (b, rest = '') => '/broadcasts/' + encodeURIComponent(b.id) + rest;
  const rupiah = (n) => new Intl.NumberFormat(state.lang + '-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(n);
  const words = (text) => text.split(/[\s,;]+/).filter(Boolean);
  // "YYYY-MM-DDTHH:MM" of a moment on this device's clock (date and datetime-local inputs).
  const local = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 16);

  // A refusal in the broadcasts' own words; anything else as the page says it everywhere.
  function refusal(e) {
    return e && ['conflict', 'permission_denied', 'invalid_argument', 'not_found'].includes(e.code)
      ? t('broadcast.error_' + e.code) : errorText(e);
  }
  const stateBadge = (st) => h('span', { class: 'badge status', 'data-test': 'bc-state', 'data-state': st }, label('broadcast_state', st));
  function table(test, head, rows) {
    return h('div', { class: 'scroll' }, h('table', { 'data-test': test },
      h('thead', {}, h('tr', {}, head.map((x) => h('th', {}, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x, i) => h(i ? 'td' : 'th', {}, x)))))));
  }
  const isSms = (c) => /^(kannel|gammu):/.test(c);
  const channelName = (c) => (c && c !== '-' ? channelLabel(c) + ' (' + c.split(':')[1] + ')' : t('broadcast.no_channel'));
  // replaceChildren without the nulls of optional parts.
  const fill = (el, ...nodes) => el.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined));
  const back = () => h('p', {}, h('a', { href: '#/broadcasts', 'data-test': 'bc-back' }, '← ' + t('broadcast.back')));

  // ---- list ----
  async function showList() {
    const seq = ++state.seq;
    renderHeader();
    show(loading());
    const data = await fetchFor(seq, 'GET', '/broadcasts');
    if (!data) return;
    const rows = data.items.map((b) => h('li', {},
      h('a', { class: 'row', href: '#/broadcasts/' + b.id, 'data-test': 'bc-row', 'data-id': b.id, 'data-state': b.state },
        h('span', { class: 'row-top' }, h('strong', {}, b.title), h('span', { class: 'muted' }, fmtDate(b.updated_at_ms))),
        h('span', { class: 'row-badges' }, stateBadge(b.state)))));
    show(h('h1', {}, t('broadcast.title')),
      h('div', { class: 'buttons' }, h('button', {
        type: 'button', class: 'primary', 'data-test': 'bc-new', onclick: () => { location.hash = '#/broadcasts/new'; },
      }, t('broadcast.new'))),
      h('ul', { class: 'rows', 'data-test': 'bc-list' }, rows.length ? rows : h('li', { class: 'muted' }, t('broadcast.empty'))));
  }

  // ---- one broadcast ----
  async function showBroadcast(id) {
    const seq = ++state.seq;
    renderHeader();
    if (id === 'new') return renderDraft(null, seq);
    show(loading());
    const b = await fetchFor(seq, 'GET', '/broadcasts/' + encodeURIComponent(id));
    if (!b) return;
    if (b.state === 'draft') renderDraft(b, seq);
    else renderLive(b, seq);
  }

  // What the server says of a text as typed: problems explained, SMS parts, the sample.
  function checkView(r) {
    const problem = (kind, text) => h('p', { class: 'error', 'data-test': 'bc-problem', 'data-kind': kind }, text);
    if (r.error) return [problem('syntax', t('broadcast_problem.syntax'))];
    if (r.unknown_placeholders.length) {
      return [problem('placeholder', t('broadcast_problem.placeholder', { names: r.unknown_placeholders.map((x) => '{' + x + '}').join(', ') }))];
    }
    return [
      ...r.problems.map((p) => problem(p.kind, t('broadcast_problem.' + p.kind, { detail: p.detail }))),
      r.ok ? h('p', { class: 'ok', 'data-test': 'bc-check-ok' }, t('broadcast.check_ok')) : null,
      h('p', { class: 'small', 'data-test': 'bc-segments', 'data-segments': r.sms_segments, 'data-ucs2': String(r.sms_ucs2) },
        t('broadcast.segments', { n: r.sms_segments, encoding: t(r.sms_ucs2 ? 'broadcast.ucs2' : 'broadcast.gsm7') })),
      h('p', { class: 'muted small' }, t('broadcast.sample')),
      h('blockquote', { class: 'description', 'data-test': 'bc-sample' }, r.sample),
    ];
  }

  // The draft: the form, the number list, the preview and the approval.
  function renderDraft(b, seq) {
    const mine = !b || b.author === state.user.id;
    const approver = b && state.user.role === 'manager' && !mine;
    const form = composeForm(b, seq, !approver);
    const previewBox = h('div', { 'data-test': 'bc-preview-panel' });
    const approveBox = h('div', { 'data-test': 'bc-approval' });
    function setPreview(p) {
      if (b) b.preview = p;
      fill(previewBox, p ? previewView(p) : h('p', { class: 'muted' }, t('broadcast.preview_none')));
      approveBox.replaceChildren(approval(b, seq));
    }
    const previewButton = h('button', {
      type: 'button', 'data-test': 'bc-preview',
      onclick: async () => {
        if (form.dirty()) return say(t('broadcast.save_first'), 'error');
        previewButton.disabled = true;
        try {
          const p = await call('POST', path(b, '/preview'));
          if (seq !== state.seq) return;
          setPreview(p);
        } catch (e) {
          if (e.code !== 'unauthenticated') say(e.code === 'conflict' ? t('broadcast.error_preview_conflict') : refusal(e), 'error');
        }
        previewButton.disabled = false;
      },
    }, t('broadcast.preview'));
    const sections = [back(), h('h1', {}, b ? b.title : t('broadcast.new')), b ? h('p', { class: 'row-badges' }, stateBadge(b.state)) : null];
    if (approver) {
      // The approver reads what they approve first; editing stays possible (a manager composes too).
      sections.push(summary(b), h('details', {}, h('summary', { 'data-test': 'bc-edit' }, t('broadcast.edit')), form.el));
    } else {
      sections.push(form.el);
    }
    if (b) {
      if (b.audience.source === 'upload') sections.push(uploadCard(b, seq, () => setPreview(null)));
      sections.push(h('section', { class: 'card' }, h('h2', {}, t('broadcast.preview_title')), previewBox,
        h('div', { class: 'buttons' }, previewButton)),
      h('section', { class: 'card' }, h('h2', {}, t('broadcast.approval')), approveBox),
      h('div', { class: 'buttons' }, actionButtons(b, seq)));
      setPreview(b.preview);
    }
    show(...sections);
  }

  // `eager`: the saved texts are checked at once (the approver's form is folded away: only
  // when they type).
  function composeForm(b, seq, eager) {
    const a = b ? b.audience : { source: 'registry', region: state.user.region };
    let dirty = false;
    const input = (test, value, attrs = {}) => h('input', { type: 'text', 'data-test': test, value: value ?? '', ...attrs });
    const title = input('bc-title', b && b.title, { maxlength: '120', required: true });
    const texts = {};
    const checks = {};
    const asked = { id: 0, en: 0 };
    const timers = {};
    async function check(lang) {
      const text = texts[lang].value;
      const n = ++asked[lang];
      if (!text.trim()) return checks[lang].replaceChildren();
      try {
        const r = await call('POST', '/broadcasts/check', { text, language: lang });
        if (n === asked[lang] && seq === state.seq) fill(checks[lang], checkView(r));
      } catch (e) {
        if (n === asked[lang] && e.code !== 'unauthenticated') checks[lang].replaceChildren(h('p', { class: 'error' }, errorText(e)));
      }
    }
    for (const lang of ['id', 'en']) {
      texts[lang] = h('textarea', { rows: 5, maxlength: '1600', 'data-test': 'bc-text-' + lang, required: lang === 'id' });
      texts[lang].value = (b && b.texts[lang]) || '';
      checks[lang] = h('div', { 'data-test': 'bc-check-' + lang, 'aria-live': 'polite' });
      texts[lang].addEventListener('input', () => {
        clearTimeout(timers[lang]);
        timers[lang] = setTimeout(() => check(lang), CHECK_MS);
      });
      if (eager && texts[lang].value) check(lang);
    }
    const source = select({ 'data-test': 'bc-source', onchange: () => sync() }, SOURCES.map((x) => [x, label('broadcast_source', x)]), a.source);
    const region = input('bc-region', a.region, { inputmode: 'decimal', maxlength: '13', placeholder: '32.06' });
    const desil = (v, test) => select({ 'data-test': test },
      [['0', t('broadcast.desil_any')], ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => [String(i), String(i)])], String(v || 0));
    const desilMin = desil(a.desil_min, 'bc-desil-min');
    const desilMax = desil(a.desil_max, 'bc-desil-max');
    const statuses = input('bc-statuses', (a.statuses || []).join(', '), { placeholder: 'aktif' });
    const programmes = input('bc-programmes', (a.programmes || []).join(', '), { placeholder: 'PKH, BPNT' });
    const boxes = (values, chosen, prefix, test) => values.map((v) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: v, checked: (chosen || []).includes(v), 'data-test': test, 'data-value': v }), ' ', label(prefix, v)));
    const ticketStates = boxes(STATUSES, a.ticket_states, 'status', 'bc-ticket-state');
    const ticketCategories = boxes(CATEGORIES, a.ticket_categories, 'category', 'bc-ticket-category');
    const registryBox = h('fieldset', {}, h('legend', {}, t('broadcast.registry_filters')),
      h('div', { class: 'filters' }, field(t('broadcast.desil_min'), desilMin), field(t('broadcast.desil_max'), desilMax)),
      field(t('broadcast.statuses'), statuses), field(t('broadcast.programmes'), programmes));
    const ticketBox = h('fieldset', {}, h('legend', {}, t('broadcast.ticket_filters')),
      h('p', { class: 'small' }, t('broadcast.ticket_states')), ticketStates,
      h('p', { class: 'small' }, t('broadcast.ticket_categories')), ticketCategories);
    const uploadNote = h('p', { class: 'muted small' }, t(b && b.audience.source === 'upload' ? 'broadcast.upload_below' : 'broadcast.upload_after_save'));
    function sync() {
      registryBox.hidden = source.value !== 'registry';
      ticketBox.hidden = source.value !== 'tickets';
      uploadNote.hidden = source.value !== 'upload';
    }
    sync();
    const since = h('input', { type: 'date', 'data-test': 'bc-not-heard-since', value: a.not_heard_since_ms ? local(a.not_heard_since_ms).slice(0, 10) : '' });
    const clock = (test, value) => input(test, value, { inputmode: 'numeric', maxlength: '5', placeholder: value, pattern: '([01][0-9]|2[0-3]):[0-5][0-9]|24:00', required: true });
    const windowStart = clock('bc-window-start', b ? b.window_start : '08:00');
    const windowEnd = clock('bc-window-end', b ? b.window_end : '20:00');
    const startAt = h('input', { type: 'datetime-local', 'data-test': 'bc-start-at', value: b && b.start_at_ms ? local(b.start_at_ms) : '' });

    function body() {
      const audience = { source: source.value };
      if (region.value.trim()) audience.region = region.value.trim();
      if (source.value === 'registry') {
        if (+desilMin.value) audience.desil_min = +desilMin.value;
        if (+desilMax.value) audience.desil_max = +desilMax.value;
        if (words(statuses.value).length) audience.statuses = words(statuses.value);
        if (words(programmes.value).length) audience.programmes = words(programmes.value);
      }
      const checked = (list) => list.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      if (source.value === 'tickets') {
        if (checked(ticketStates).length) audience.ticket_states = checked(ticketStates);
        if (checked(ticketCategories).length) audience.ticket_categories = checked(ticketCategories);
      }
      if (since.value) audience.not_heard_since_ms = Date.parse(since.value + 'T00:00');  // local midnight
      const out = { title: title.value.trim(), texts: { id: texts.id.value }, audience,
        window_start: windowStart.value.trim(), window_end: windowEnd.value.trim() };
      if (texts.en.value.trim()) out.texts.en = texts.en.value;
      if (startAt.value) out.start_at_ms = new Date(startAt.value).getTime();
      return out;
    }
    const save = h('button', { type: 'submit', class: 'primary', 'data-test': 'bc-save' }, t('broadcast.save'));
    const el = h('form', {
      class: 'card', 'data-test': 'bc-form',
      oninput: () => { dirty = true; },
      onchange: () => { dirty = true; },
      onsubmit: async (ev) => {
        ev.preventDefault();
        if (!texts.id.value.trim()) {
          say(t('broadcast.text_required'), 'error');
          return texts.id.focus();
        }
        save.disabled = true;
        try {
          const saved = await call(b ? 'PUT' : 'POST', b ? path(b) : '/broadcasts', body());
          if (seq !== state.seq) return;
          say(t('broadcast.saved'));
          if (b) renderDraft(saved, seq);
          else location.hash = '#/broadcasts/' + saved.id;
        } catch (e) {
          if (e.code !== 'unauthenticated') say(refusal(e), 'error');
        }
        save.disabled = false;
      },
    },
    h('h2', {}, t('broadcast.compose')),
    field(t('broadcast.field_title'), title),
    field(t('broadcast.text_id'), texts.id), checks.id,
    field(t('broadcast.text_en'), texts.en), checks.en,
    h('p', { class: 'muted small' }, t('broadcast.placeholders')),
    h('fieldset', {}, h('legend', {}, t('broadcast.audience')),
      field(t('broadcast.source'), source), field(t('broadcast.region'), region), registryBox, ticketBox, uploadNote,
      field(t('broadcast.not_heard_since'), since)),
    h('fieldset', {}, h('legend', {}, t('broadcast.window')),
      h('div', { class: 'filters' }, field(t('broadcast.window_start'), windowStart), field(t('broadcast.window_end'), windowEnd)),
      field(t('broadcast.start_at'), startAt)),
    h('div', { class: 'buttons' }, save));
    return { el, dirty: () => dirty };
  }

  // A number list for an upload audience; the answer says what was taken and what not.
  function uploadCard(b, seq, changed) {
    const file = h('input', { type: 'file', accept: '.csv,.txt,text/csv,text/plain', 'data-test': 'bc-upload-file' });
    const report = h('div', { 'data-test': 'bc-upload-report' });
    const go = h('button', {
      type: 'button', 'data-test': 'bc-upload',
      onclick: async () => {
        const f = file.files[0];
        if (!f) return say(t('broadcast.upload_choose'), 'error');
        go.disabled = true;
        try {
          const r = await call('POST', path(b, '/audience.csv'), f);
          if (seq !== state.seq) return;
          changed();  // the list is part of the broadcast (a new revision): its preview is gone
          const shown = r.rejected.slice(0, 100);
          fill(report,
            h('p', { 'data-test': 'bc-upload-result', 'data-accepted': r.accepted, 'data-rejected': r.rejected.length },
              t('broadcast.upload_result', { accepted: fmtNum(r.accepted), duplicates: fmtNum(r.duplicates), rejected: fmtNum(r.rejected.length) })),
            shown.length ? h('ul', { class: 'small' }, shown.map((x) => h('li', { 'data-test': 'bc-upload-reject' },
              t('broadcast.upload_line', { line: x.line, reason: label('broadcast_reject', x.reason) })))) : null,
            r.rejected.length > shown.length ? h('p', { class: 'small' }, t('broadcast.upload_more', { n: fmtNum(r.rejected.length - shown.length) })) : null);
        } catch (e) {
          if (e.code !== 'unauthenticated') say(e.code === 'invalid_argument' || e.code === 'network' ? t('broadcast.upload_failed') : refusal(e), 'error');
        }
        go.disabled = false;
      },
    }, t('broadcast.upload'));
    return h('section', { class: 'card' }, h('h2', {}, t('broadcast.upload_title')),
      h('p', { class: 'muted small' }, t('broadcast.upload_hint')), field(t('broadcast.upload_file'), file),
      h('div', { class: 'buttons' }, go), report);
  }

  function previewView(p) {
    const excluded = Object.entries(p.excluded || {});
    return [
      h('p', { 'data-test': 'bc-preview-summary', 'data-households': p.households, 'data-reached': p.reached },
        t('broadcast.preview_summary', { households: fmtNum(p.households), reached: fmtNum(p.reached), excluded: fmtNum(p.households - p.reached) })),
      p.blockers.length ? h('ul', { class: 'rows', 'data-test': 'bc-blockers' }, p.blockers.map((x) =>
        h('li', { class: 'error', 'data-test': 'bc-blocker', 'data-kind': x.kind }, t('broadcast_blocker.' + x.kind, { n: fmtNum(x.households) })))) : null,
      ...(p.warnings || []).map((w) => h('p', { class: 'error', 'data-test': 'bc-warning', 'data-kind': w.kind },
        t('broadcast_warning.' + w.kind, { channel: channelName(w.channel), days: w.days }))),
      excluded.length ? h('div', { 'data-test': 'bc-preview-excluded' }, h('h3', {}, t('broadcast.excluded_by_reason')),
        dl(excluded.map(([k, n]) => [label('broadcast_excluded', k), fmtNum(n)]))) : null,
      h('h3', {}, t('broadcast.by_channel')),
      table('bc-preview-channels', [t('broadcast.col_channel'), t('broadcast.col_households'), t('broadcast.col_parts'), t('broadcast.col_cost'), t('broadcast.col_finish')],
        p.channels.map((c) => [channelName(c.channel), fmtNum(c.households), fmtNum(c.parts), rupiah(c.cost), fmtDate(c.finish_at_ms)])),
      h('h3', {}, t('broadcast.by_kecamatan')),
      table('bc-preview-kecamatan', [t('broadcast.col_kecamatan'), t('broadcast.col_households'), t('broadcast.col_reached')],
        p.kecamatan.map((k) => [k.kecamatan || '-', fmtNum(k.households), fmtNum(k.reached)])),
      dl([
        [t('broadcast.total_cost'), rupiah(p.cost) + (!p.prices_configured && p.channels.some((c) => isSms(c.channel)) ? ' (' + t('broadcast.no_prices') + ')' : '')],
        [t('broadcast.starts'), fmtDate(p.start_at_ms)],
        [t('broadcast.finishes'), fmtDate(p.finish_at_ms)],
        ...Object.entries(p.sms || {}).map(([lang, x]) => [t('broadcast.sms_of', { language: label('language', lang) }),
          t('broadcast.segments', { n: x.segments, encoding: t(x.ucs2 ? 'broadcast.ucs2' : 'broadcast.gsm7') })]),
      ]),
    ];
  }

  // Approve: a manager who is not the author, of the revision previewed; blockers accepted
  // explicitly. Others are told who approves.
  function approval(b, seq) {
    const note = (test, key) => h('p', { class: 'muted', 'data-test': test }, t(key));
    if (state.user.role !== 'manager') return note('bc-waiting', 'broadcast.waiting_approval');
    if (b.author === state.user.id) return note('bc-own', 'broadcast.own_needs_other');
    if (!b.preview) return note('bc-preview-first', 'broadcast.preview_first');
    const accept = b.preview.blockers.length ? h('input', { type: 'checkbox', 'data-test': 'bc-accept-blockers' }) : null;
    const go = h('button', {
      type: 'button', class: 'primary', 'data-test': 'bc-approve',
      onclick: async () => {
        if (accept && !accept.checked) return say(t('broadcast.accept_blockers_first'), 'error');
        go.disabled = true;
        try {
          await call('POST', path(b, '/approve'), { revision: b.preview.revision, accept_blockers: Boolean(accept && accept.checked) });
          if (seq !== state.seq) return;
          say(t('broadcast.approved'));
          showBroadcast(String(b.id));
        } catch (e) {
          if (e.code !== 'unauthenticated') say(refusal(e), 'error');
          go.disabled = false;
        }
      },
    }, t('broadcast.approve'));
    return h('div', {}, h('p', {}, t('broadcast.approve_hint')),
      accept ? h('label', { class: 'check' }, accept, ' ', t('broadcast.accept_blockers')) : null,
      h('div', { class: 'buttons' }, go));
  }

  // Pause, resume, cancel and resend, as the state allows (the server decides).
  function actionButtons(b, seq) {
    const failed = b.progress ? b.progress.total.failed + b.progress.total.unknown : 0;
    const actions = [];
    if (LIVE.includes(b.state)) actions.push('pause');
    if (b.state === 'paused') actions.push('resume');
    if (b.state === 'done' && failed > 0 && state.user.role === 'manager') actions.push('resend');
    if (b.state !== 'done' && b.state !== 'cancelled') actions.push('cancel');
    return actions.map((action) => {
      const button = h('button', {
        type: 'button', class: action === 'cancel' ? '' : 'primary', 'data-test': 'bc-' + action,
        onclick: async () => {
          if (action === 'cancel' && !window.confirm(t('broadcast.confirm_cancel'))) return;
          button.disabled = true;
          try {
            await call('POST', path(b, '/' + action));
            if (seq !== state.seq) return;
            say(t('broadcast.done_' + action));
            showBroadcast(String(b.id));
          } catch (e) {
            if (e.code !== 'unauthenticated') say(refusal(e), 'error');
            button.disabled = false;
          }
        },
      }, t('broadcast.action_' + action));
      return button;
    });
  }

  // What is sent to whom, read only (the approver's view and every state after the draft).
  function summary(b) {
    const a = b.audience;
    const names = (list, prefix) => (list || []).map((x) => (prefix ? label(prefix, x) : x)).join(', ');
    const desil = a.desil_min || a.desil_max ? (a.desil_min || 1) + '–' + (a.desil_max || 10) : '';
    return h('section', { class: 'card', 'data-test': 'bc-summary' }, dl([
      [t('broadcast.text_id'), h('blockquote', { class: 'description', 'data-test': 'bc-summary-text' }, b.texts.id)],
      [t('broadcast.text_en'), b.texts.en ? h('blockquote', { class: 'description' }, b.texts.en) : ''],
      [t('broadcast.source'), label('broadcast_source', a.source)],
      [t('broadcast.region'), a.region],
      [t('broadcast.col_desil'), desil],
      [t('broadcast.statuses'), names(a.statuses)],
      [t('broadcast.programmes'), names(a.programmes)],
      [t('broadcast.ticket_states'), names(a.ticket_states, 'status')],
      [t('broadcast.ticket_categories'), names(a.ticket_categories, 'category')],
      [t('broadcast.not_heard_since'), a.not_heard_since_ms ? fmtCalendarDay(local(a.not_heard_since_ms).slice(0, 10)) : ''],
      [t('broadcast.window'), b.window_start + '–' + b.window_end],
      [t('broadcast.start_at'), b.start_at_ms ? fmtDate(b.start_at_ms) : ''],
    ]));
  }

  // ---- after the approval ----
  function renderLive(b, seq) {
    const badgeBox = h('span', { class: 'row-badges' });
    const progressBox = h('section', { class: 'card', 'data-test': 'bc-progress-card' });
    const actionsBox = h('div', { class: 'buttons' });
    function update(x) {
      badgeBox.replaceChildren(stateBadge(x.state));
      fill(progressBox, progressView(x));
      actionsBox.replaceChildren(...actionButtons(x, seq));
    }
    update(b);
    show(back(), h('h1', {}, b.title), badgeBox, actionsBox, progressBox,
      h('details', {}, h('summary', {}, t('broadcast.what')), summary(b)),
      recipients(b, seq),
      h('p', {}, h('button', {
        type: 'button', class: 'link', 'data-test': 'bc-report',
        onclick: () => download(path(b, '/report.csv'), 'siaran-' + b.id + '.csv'),
      }, t('broadcast.report_csv'))));
    poll(b, seq, update);
  }
  // While it runs, GET /broadcasts/{id} every POLL_MS; stops when the view changes.
  function poll(b, seq, update) {
    if (!LIVE.includes(b.state)) return;
    setTimeout(async () => {
      if (seq !== state.seq) return;
      let next = b;
      try {
        next = await call('GET', path(b));
      } catch (e) {
        if (e.code === 'unauthenticated') return;  // a failed poll is tried again
      }
      if (seq !== state.seq) return;
      update(next);
      poll(next, seq, update);
    }, POLL_MS);
  }
  function progressView(b) {
    const p = b.progress;
    if (!p) return [];
    const c = p.total;
    // Of those it is for (not excluded, not cancelled): how many have an outcome.
    const reach = c.households - c.excluded - c.cancelled;
    const settled = c.sent + c.failed + c.unknown;
    const attrs = { max: String(Math.max(reach, 1)), value: String(settled), 'aria-label': t('broadcast.progress_label'),
      'data-test': 'bc-progress', 'data-state': b.state, 'data-reach': reach, 'data-households': c.households };
    for (const k of COUNTS) attrs['data-' + k.replace('_', '-')] = c[k];
    const rows = Object.entries(p.channels).filter(([ch]) => ch !== '-');
    return [
      h('h2', {}, t('broadcast.progress_title')),
      h('progress', attrs),
      h('p', { 'data-test': 'bc-progress-text' }, t('broadcast.progress', { settled: fmtNum(settled), reach: fmtNum(reach), pct: reach ? Math.floor((100 * settled) / reach) : 0 })),
      b.state === 'approved' && b.start_at_ms > Date.now() ? h('p', { class: 'muted' }, t('broadcast.starts_at', { at: fmtDate(b.start_at_ms) })) : null,
      b.state === 'approved' || b.state === 'planning' ? h('p', { class: 'muted' }, t('broadcast.planning')) : null,
      c.outside_window ? h('p', { class: 'muted' }, t('broadcast.outside_window', { n: fmtNum(c.outside_window) })) : null,
      dl([[t('broadcast_count.households'), fmtNum(c.households)],
        ...COUNTS.filter((k) => c[k]).map((k) => [label('broadcast_count', k), fmtNum(c[k])]),
        [t('broadcast.col_cost'), c.cost ? rupiah(c.cost) : '']]),
      rows.length ? table('bc-progress-channels',
        [t('broadcast.col_channel'), t('broadcast_count.sent'), t('broadcast_count.delivered'), t('broadcast_count.read'), t('broadcast_count.failed'), t('broadcast.col_waiting')],
        rows.map(([ch, x]) => [channelName(ch), fmtNum(x.sent), fmtNum(x.delivered), fmtNum(x.read), fmtNum(x.failed + x.unknown), fmtNum(x.planned + x.queued)])) : null,
      Object.keys(p.kecamatan).length ? h('details', {}, h('summary', {}, t('broadcast.by_kecamatan')), table('bc-progress-kecamatan',
        [t('broadcast.col_kecamatan'), t('broadcast_count.households'), t('broadcast_count.sent'), t('broadcast_count.failed'), t('broadcast_count.excluded')],
        Object.entries(p.kecamatan).map(([k, x]) => [k, fmtNum(x.households), fmtNum(x.sent), fmtNum(x.failed + x.unknown), fmtNum(x.excluded)]))) : null,
    ];
  }

  // The recipients, masked, a page at a time; read (and audited) only when asked for.
  function recipients(b, seq) {
    const filter = select({ 'data-test': 'bc-recipients-state' },
      [['', t('broadcast.all_states')], ...OUTCOMES.map((x) => [x, label('broadcast_outcome', x)])], '');
    const list = h('ul', { class: 'rows', 'data-test': 'bc-recipients' });
    const more = h('button', { type: 'button', 'data-test': 'bc-recipients-more', hidden: true }, t('queue.more'));
    async function page(after) {
      more.disabled = true;
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (filter.value) q.set('state', filter.value);
      if (after) q.set('after', String(after));
      try {
        const data = await call('GET', path(b, '/recipients?' + q));
        if (seq !== state.seq) return;
        if (!after) list.replaceChildren();
        list.append(...data.items.map(recipientRow));
        if (!list.children.length) list.append(h('li', { class: 'muted', 'data-test': 'bc-recipients-empty' }, t('broadcast.no_recipients')));
        list.setAttribute('data-loaded', 'true');
        more.hidden = data.next_after === null || data.next_after === undefined;
        more.onclick = () => page(data.next_after);
      } catch (e) {
        if (e.code !== 'unauthenticated') say(refusal(e), 'error');
      }
      more.disabled = false;
    }
    filter.addEventListener('change', () => { if (list.hasAttribute('data-loaded')) page(0); });
    return h('section', {}, h('h2', {}, t('broadcast.recipients')),
      h('p', { class: 'muted small' }, t('broadcast.recipients_note')),
      h('div', { class: 'inline wrap' }, field(t('broadcast.filter_state'), filter),
        h('button', { type: 'button', 'data-test': 'bc-recipients-show', onclick: () => page(0) }, t('broadcast.show_recipients'))),
      list, more);
  }
  function recipientRow(r) {
    const facts = [r.channel ? channelLabel(r.channel) : '', r.kecamatan, r.reason ? label('broadcast_excluded', r.reason) : '',
      r.sms_parts ? t('broadcast.n_parts', { n: r.sms_parts }) : ''].filter(Boolean);
    return h('li', { 'data-test': 'bc-recipient', 'data-state': r.state, 'data-channel': r.channel },
      h('span', { class: 'row-top' }, h('span', { class: 'code' }, r.address || '—'),
        badge('status', label('broadcast_outcome', r.state), 'bc-recipient-state')),
      h('span', { class: 'small muted' }, facts.join(' · ')));
  }

  return (arg) => (arg ? showBroadcast(decodeURIComponent(arg)) : showList());
};
