// The reports of the triage page (weekly tickets by category, SLA compliance by kecamatan, IKM
// gauge and ratings, yearly recap), drawn as SVG. Loaded by app.js the first time an officer
// opens the reports, so the first load carries only login, queue and ticket; `ui` is app.js's
// own helpers and state. Returns showReports(which, arg).
'use strict';
window.satupintuReports = (ui) => {
  const { h, s, t, label, fmtNum, fmtDay, field, select, show, renderHeader, fetchFor, loading, state } = ui;
  const PALETTE = ['#1b5e9e', '#d9822b', '#2e7d32', '#8e24aa', '#c62828', '#00838f', '#6d4c41',
    '#5c6bc0', '#9e9d24', '#757575'];
  const REPORTS = ['weekly', 'sla', 'ikm', 'yearly'];
  async function showReports(which, arg) {
    if (!REPORTS.includes(which)) which = 'weekly';
    const seq = ++state.seq;
    renderHeader();
    const year = Number(arg) || new Date().getFullYear();
    const weeks = [8, 12, 26, 52].includes(Number(arg)) ? Number(arg) : 12;
    const paths = { weekly: '/reports/weekly?weeks=' + weeks, sla: '/reports/sla', ikm: '/reports/ikm', yearly: '/reports/yearly?year=' + year };
    const body = h('div', { 'data-test': 'report-' + which }, loading());
    let picker = null;
    if (which === 'yearly') {
      const now = new Date().getFullYear();
      picker = field(t('report.year'), select({ 'data-test': 'report-year', onchange: (ev) => { location.hash = '#/reports/yearly/' + ev.target.value; } },
        [0, 1, 2, 3].map((i) => [String(now - i), String(now - i)]), String(year)));
    } else if (which === 'weekly') {
      picker = field(t('report.weeks'), select({ 'data-test': 'report-weeks', onchange: (ev) => { location.hash = '#/reports/weekly/' + ev.target.value; } },
        [8, 12, 26, 52].map((n) => [String(n), t('report.n_weeks', { n })]), String(weeks)));
    }
    show(h('h1', {}, t('report.title')),
      h('nav', { class: 'tabs', 'aria-label': t('report.title') }, REPORTS.map((x) => h('a', {
        href: '#/reports/' + x, 'data-test': 'report-tab-' + x, 'aria-current': x === which ? 'page' : null,
      }, t('report.tab_' + x)))),
      h('section', {}, h('h2', {}, t('report.' + which + '_title')), picker, body));
    const data = await fetchFor(seq, 'GET', paths[which]);
    if (!data) return;
    const draw = { weekly: weeklyChart, sla: slaChart, ikm: ikmChart, yearly: yearlyChart }[which];
    body.replaceChildren(...[draw(data)].flat());
  }
  const W = 360;  // chart width in SVG units; the SVG scales to the screen
  function chart(height, title, ...kids) {
    return s('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': title, class: 'chart' },
      s('title', {}, title), ...kids);
  }
  const txt = (x, y, text, attrs = {}) => s('text', { x, y, ...attrs }, String(text));
  const niceMax = (m) => {
    if (m <= 5) return 5;
    const p = 10 ** Math.floor(Math.log10(m));
    return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= m);
  };
  const legend = (items) => h('ul', { class: 'legend' }, items.map(([name, color]) =>
    h('li', {}, s('svg', { class: 'swatch', viewBox: '0 0 1 1', 'aria-hidden': 'true' }, s('rect', { width: 1, height: 1, fill: color })), name)));
  const empty = () => h('p', { class: 'muted', 'data-test': 'report-empty' }, t('report.empty'));
  function weeklyChart(data) {
    const weeks = data.weeks || [];
    if (!weeks.length) return empty();
    const cats = [...new Set(weeks.flatMap((w) => Object.keys(w.counts)))];
    const color = (c) => PALETTE[cats.indexOf(c) % PALETTE.length];
    const totals = weeks.map((w) => Object.values(w.counts).reduce((a, b) => a + b, 0));
    const max = niceMax(Math.max(1, ...totals));
    const H = 220, left = 30, bottom = 24, top = 8, plot = H - top - bottom;
    const step = (W - left - 4) / weeks.length, bw = Math.max(2, step * 0.7);
    const y = (v) => top + plot - (v / max) * plot;
    const grid = [0, max / 2, max].map((v) => [s('line', { x1: left, x2: W, y1: y(v), y2: y(v), class: 'grid' }),
      txt(left - 4, y(v) + 4, fmtNum(v), { 'text-anchor': 'end', class: 'axis' })]);
    const bars = weeks.map((w, i) => {
      let acc = 0;
      const x = left + i * step + (step - bw) / 2;
      const label_every = Math.ceil(weeks.length / 6);
      return s('g', { 'data-test': 'week-bar' }, cats.filter((c) => w.counts[c]).map((c) => {
        const v = w.counts[c];
        const r = s('rect', { x, y: y(acc + v), width: bw, height: (v / max) * plot, fill: color(c) },
          s('title', {}, `${fmtDay(w.week_start_ms)} · ${label('category', c)}: ${fmtNum(v)}`));
        acc += v;
        return r;
      }), i % label_every === 0 ? txt(x + bw / 2, H - 8, fmtDay(w.week_start_ms), { 'text-anchor': 'middle', class: 'axis' }) : null);
    });
    const total = totals.reduce((a, b) => a + b, 0);
    return [chart(H, t('report.weekly_title'), grid, bars),
      legend(cats.map((c) => [label('category', c), color(c)])),
      h('p', { class: 'muted' }, t('report.weekly_total', { n: fmtNum(total) }))];
  }
  function slaChart(data) {
    const rows = data.rows || [];
    if (!rows.length) return empty();
    const rowH = 40, left = 0, H = rows.length * rowH + 4;
    const bars = rows.map((r, i) => {
      const y0 = i * rowH;
      const n = r.on_time + r.breached;
      const ok = n ? r.on_time / n : 0;
      const pct = n ? fmtNum(ok * 100) + '%' : '–';
      return s('g', { 'data-test': 'sla-row', 'data-kecamatan': r.kecamatan_code },
        txt(left, y0 + 13, `${r.kecamatan_name} · ${pct} (${fmtNum(r.on_time)}/${fmtNum(n)})`, { class: 'axis' }),
        s('rect', { x: left, y: y0 + 18, width: W, height: 14, class: 'track' }),
        n ? s('rect', { x: left, y: y0 + 18, width: ok * W, height: 14, fill: '#2e7d32' }) : null,
        n && r.breached ? s('rect', { x: left + ok * W, y: y0 + 18, width: (1 - ok) * W, height: 14, fill: '#c62828' }) : null);
    });
    return [chart(H, t('report.sla_title'), bars),
      legend([[t('report.on_time'), '#2e7d32'], [t('report.breached'), '#c62828']])];
  }
  // IKM grades of PermenPAN-RB 14/2017 (converted index 25-100).
  function ikmGrade(v) {
    if (v >= 88.31) return 'a';
    if (v >= 76.61) return 'b';
    if (v >= 65) return 'c';
    return 'd';
  }
  function ikmChart(data) {
    if (!data.responses) return empty();
    const v = Math.max(0, Math.min(100, data.ikm));
    const cx = W / 2, cy = 130, r = 100;
    const point = (f) => [cx - r * Math.cos(Math.PI * f), cy - r * Math.sin(Math.PI * f)];
    const arc = (f0, f1, color) => {
      const [x0, y0] = point(f0), [x1, y1] = point(f1);
      return s('path', { d: `M${x0} ${y0} A${r} ${r} 0 0 1 ${x1} ${y1}`, stroke: color, 'stroke-width': 22, fill: 'none' });
    };
    const grade = ikmGrade(v);
    const gauge = chart(150, t('report.ikm_title') + ': ' + fmtNum(v, 2),
      arc(0, 1, '#e0e0e0'), v > 0 ? arc(0, v / 100, grade === 'd' ? '#c62828' : grade === 'c' ? '#d9822b' : '#2e7d32') : null,
      txt(cx, cy - 20, fmtNum(v, 2), { 'text-anchor': 'middle', class: 'big', 'data-test': 'ikm-value' }),
      txt(cx, cy + 2, label('ikm', grade), { 'text-anchor': 'middle', class: 'axis' }));
    const by = data.by_rating || {};
    const max = Math.max(1, ...['1', '2', '3', '4', '5'].map((k) => by[k] || 0));
    const rowH = 26;
    const dist = chart(5 * rowH, t('report.ikm_distribution'), ['5', '4', '3', '2', '1'].map((k, i) => {
      const n = by[k] || 0;
      return s('g', { 'data-test': 'rating-bar' },
        txt(0, i * rowH + 16, t('report.stars', { n: k }), { class: 'axis' }),
        s('rect', { x: 70, y: i * rowH + 5, width: ((W - 120) * n) / max, height: 16, fill: '#1b5e9e' }),
        txt(W, i * rowH + 16, fmtNum(n), { 'text-anchor': 'end', class: 'axis' }));
    }));
    return [gauge, h('p', {}, t('report.ikm_summary', { n: fmtNum(data.responses), avg: fmtNum(data.average, 2) })),
      h('h3', {}, t('report.ikm_distribution')), dist];
  }
  function yearlyChart(data) {
    const rows = data.rows || [];
    if (!rows.length) return empty();
    const cols = ['received', 'resolved', 'closed', 'referred'];
    const table = h('table', { 'data-test': 'yearly-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('report.type')), cols.map((c) => h('th', { scope: 'col' }, t('report.' + c))))),
      h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, label('type', r.type)), cols.map((c) => h('td', {}, fmtNum(r[c] || 0)))))));
    const max = niceMax(Math.max(1, ...rows.map((r) => r.received)));
    const groupH = 52;
    const bars = chart(rows.length * groupH, t('report.yearly_title'), rows.map((r, i) => s('g', { 'data-test': 'yearly-bar' },
      txt(0, i * groupH + 12, label('type', r.type), { class: 'axis' }),
      [['received', '#1b5e9e'], ['resolved', '#2e7d32']].map(([c, color], j) => [
        s('rect', { x: 0, y: i * groupH + 17 + j * 15, width: Math.max(1, ((W - 60) * (r[c] || 0)) / max), height: 12, fill: color }),
        txt(W, i * groupH + 27 + j * 15, fmtNum(r[c] || 0), { 'text-anchor': 'end', class: 'axis' })]))));
    return [h('div', { class: 'scroll' }, table), bars, legend([[t('report.received'), '#1b5e9e'], [t('report.resolved'), '#2e7d32']])];
  }

  return showReports;
};
