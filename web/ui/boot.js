// The first requests of a reload, sent while app.js is still on its way: a logged-in officer
// reopening the queue (the page's most common first load) gets /me and the queue's first page
// a round trip and a script parse sooner (docs/BENCHMARKS.md, "Triage page"). Loaded with
// `defer` before app.js, so it runs as soon as it arrives and always before app.js, which takes
// the answers (and the queue's rules below) from `window.satupintuBoot`.
'use strict';
(() => {
  const API = '/api/v1';
  const PAGE = 20;
  const TABS = ['mine', 'unclaimed', 'overdue', 'all'];
  const CLAIM_ROLES = ['facilitator', 'supervisor', 'manager'];
  const defaultTab = (role) => (CLAIM_ROLES.includes(role) ? 'unclaimed' : 'all');
  // The queue's query for a tab and the filters ({status, category}).
  function queueQuery(tab, filter) {
    const q = new URLSearchParams();
    if (tab === 'mine') q.set('mine', '1');
    if (tab === 'unclaimed') q.set('unclaimed', '1');
    if (tab === 'overdue') q.set('overdue', '1');
    if (filter.status) q.set('status', filter.status);
    if (filter.category) q.set('category', filter.category);
    return q;
  }
  function queuePageQuery(tab, filter) {
    const q = queueQuery(tab, filter);
    q.set('limit', String(PAGE));
    return q;
  }
  // path -> the fetch already sent; app.js's first GET of that path takes it.
  const sent = new Map();
  const token = sessionStorage.getItem('sp_token');
  // The role (kept after the login form) only picks the default tab; the server decides.
  const role = sessionStorage.getItem('sp_role');
  const [, view, tab] = location.hash.split('/');
  if (token && role && (!view || view === 'queue')) {
    const paths = ['/me', '/tickets?' + queuePageQuery(TABS.includes(tab) ? tab : defaultTab(role), {})];
    for (const path of paths) {
      const p = fetch(API + path, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
      p.catch(() => { /* app.js's call sees the failure */ });
      sent.set(path, p);
    }
  }
  window.satupintuBoot = { API, PAGE, TABS, CLAIM_ROLES, defaultTab, queueQuery, queuePageQuery, sent };
})();
