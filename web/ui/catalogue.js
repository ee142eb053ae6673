// The catalogue view (#/catalogue): the programmes a ticket can be referred to and the complaint
// categories citizens choose from. Every officer reads it; the regency's administrator adds,
// renames, retires and restores (the server decides: others get 403, and a category that would
// make the citizens' list longer than one SMS gets 409). Loaded by index.html; app.js calls
// window.satupintuCatalogue with its helpers when the route is #/catalogue.
'use strict';
window.satupintuCatalogue = (ui) => {
  const { h, t, label, field, show, renderHeader, fetchFor, call, say, errorText, loading, state } = ui;

  // A refusal in the catalogue's own words; anything else as the page says it everywhere.
  function refusal(e) {
    if (e && e.code === 'conflict') return t('catalogue.error_conflict');
    if (e && e.code === 'invalid_argument') return t('catalogue.error_invalid');
    return errorText(e);
  }
  async function send(path, body) {
    try {
      await call('POST', path, body);
      say(t('catalogue.saved'));
      return true;
    } catch (e) {
      say(refusal(e), 'error');
      return false;
    }
  }
  const input = (test, value = '', max = 100) =>
    h('input', { type: 'text', 'data-test': test, value, maxlength: String(max), required: true });
  function categoryLabel(c) {
    return c.labels[state.lang] || c.labels.id || label('category', c.id);
  }
  function status(active) {
    return h('span', { class: 'badge ' + (active ? 'ref-accepted' : 'ref-rejected'), 'data-test': 'catalogue-status' },
      t(active ? 'catalogue.active' : 'catalogue.retired'));
  }
  // Retire or restore, one tap.
  function toggle(kind, item, refresh) {
    const action = item.active ? 'retire' : 'restore';
    return h('button', { type: 'button', class: 'secondary', 'data-test': 'catalogue-' + action,
      onclick: async () => { if (await send('/' + kind + '/' + item.id + '/actions', { action })) refresh(); } },
    t('catalogue.' + action));
  }
  // An inline form: the fields, then one button that sends what `body` makes of them.
  function form(test, fields, buttonText, body, after) {
    return h('form', { class: 'inline wrap', 'data-test': test,
      onsubmit: async (ev) => {
        ev.preventDefault();
        if (await send(...body(fields.map((f) => f[1].value.trim())))) after();
      } },
    fields.map(([text, control]) => field(text, control)),
    h('button', { type: 'submit' }, buttonText));
  }

  function programmeRow(p, admin, refresh) {
    const parts = [h('strong', {}, p.short_name), ' ', p.name, ' ', h('code', {}, p.id), ' ', status(p.active)];
    if (admin) {
      parts.push(h('details', {}, h('summary', {}, t('catalogue.rename')),
        form('catalogue-rename-programme',
          [[t('catalogue.name'), input('programme-name', p.name)], [t('catalogue.short_name'), input('programme-short-name', p.short_name, 24)]],
          t('catalogue.save'),
          ([name, shortName]) => ['/programmes/' + p.id + '/actions', { action: 'rename', name, short_name: shortName }], refresh)),
      toggle('programmes', p, refresh));
    }
    return h('li', { 'data-test': 'catalogue-programme', 'data-id': p.id, 'data-active': String(p.active) }, parts);
  }
  function categoryRow(c, admin, refresh) {
    const parts = [h('strong', {}, categoryLabel(c)), ' ', h('code', {}, c.id), ' ', status(c.active)];
    if (admin) {
      parts.push(h('details', {}, h('summary', {}, t('catalogue.rename')),
        form('catalogue-rename-category',
          [[t('catalogue.label_id'), input('category-label-id', c.labels.id || label('category', c.id), 24)],
            [t('catalogue.label_en'), input('category-label-en', c.labels.en || '', 24)]],
          t('catalogue.save'),
          ([id, en]) => ['/categories/' + c.id + '/actions', { action: 'rename', labels: { id, en } }], refresh)),
      toggle('categories', c, refresh));
    }
    return h('li', { 'data-test': 'catalogue-category', 'data-id': c.id, 'data-active': String(c.active) }, parts);
  }

  return async function showCatalogue() {
    const seq = ++state.seq;
    renderHeader();
    show(loading());
    const [programmes, categories] = await Promise.all([
      fetchFor(seq, 'GET', '/programmes?all=1'), fetchFor(seq, 'GET', '/categories?all=1')]);
    if (!programmes || !categories) return;
    const admin = state.user && state.user.role === 'admin';
    const refresh = () => showCatalogue();
    const sections = [h('h1', {}, t('catalogue.title'))];
    if (!admin) sections.push(h('p', { class: 'muted' }, t('catalogue.read_only')));
    sections.push(h('h2', {}, t('catalogue.programmes')),
      h('ul', { class: 'rows' }, programmes.items.map((p) => programmeRow(p, admin, refresh))));
    if (admin) {
      sections.push(form('catalogue-add-programme',
        [[t('catalogue.id'), input('programme-id', '', 24)], [t('catalogue.name'), input('programme-name')],
          [t('catalogue.short_name'), input('programme-short-name', '', 24)]],
        t('catalogue.add'),
        ([id, name, shortName]) => ['/programmes', { id, name, short_name: shortName }], refresh));
    }
    sections.push(h('h2', {}, t('catalogue.categories')),
      h('ul', { class: 'rows' }, categories.items.map((c) => categoryRow(c, admin, refresh))));
    if (admin) {
      sections.push(h('p', { class: 'muted small' }, t('catalogue.one_sms')),
        form('catalogue-add-category',
          [[t('catalogue.id'), input('category-id', '', 24)], [t('catalogue.label_id'), input('category-label-id', '', 24)],
            [t('catalogue.label_en'), input('category-label-en', '', 24)]],
          t('catalogue.add'),
          ([id, labelId, labelEn]) => ['/categories', { id, labels: { id: labelId, en: labelEn } }], refresh));
    }
    show(...sections);
  };
};
