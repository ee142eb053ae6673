// Writes deploy/holidays/holidays-id.json: Indonesia's national holidays (public) for the
// years given, from the npm package date-holidays (deploy/holidays, `npm ci`), in the format
// gateway/tickets/calendar.hpp reads. Collective leave (cuti bersama) is decreed each year by
// the SKB 3 Menteri and is not in the package: the file keeps the "collective_leave" entries
// it already has, so the admin adds them once per year and a regeneration keeps them.
//
//   node tools/holidays.mjs 2026 2027
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'deploy/holidays/package.json'));
const Holidays = require('date-holidays');
const out = join(root, 'deploy/holidays/holidays-id.json');

const years = process.argv.slice(2).map(Number).filter((y) => y >= 2000 && y < 2100);
if (years.length === 0) {
  console.error('usage: node tools/holidays.mjs YEAR [YEAR...]');
  process.exit(2);
}
const kept = existsSync(out)
  ? JSON.parse(readFileSync(out, 'utf8')).holidays.filter((h) => h.kind === 'collective_leave')
  : [];
const byDate = new Map();
const hd = new Holidays('ID');
for (const year of years) {
  for (const h of hd.getHolidays(year)) {
    if (h.type !== 'public') continue;
    const date = h.date.slice(0, 10);
    // The package names some days twice (one date, two holidays): one entry, both names.
    const prev = byDate.get(date);
    byDate.set(date, { date, name: prev ? `${prev.name} / ${h.name}` : h.name, kind: 'public' });
  }
}
for (const h of kept) if (!byDate.has(h.date)) byDate.set(h.date, h);
const holidays = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
const doc = {
  source: `npm date-holidays ${require('date-holidays/package.json').version} (public holidays of ID); collective leave from the SKB 3 Menteri, added by hand`,
  holidays,
};
writeFileSync(out, JSON.stringify(doc, null, 1) + '\n');
console.log(`${out}: ${holidays.length} days`);
