#include "regions/schema.hpp"

namespace satupintu::regions {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {6, "regions",
     R"sql(
-- The official region tree (Kemendagri codes with dots: 32, 32.01, 32.01.01, 32.01.01.2001),
-- replaced as a whole by `satupintu regions import`. No foreign key on parent: the importer
-- checks the links before it writes, and other tables may keep codes of regions a later
-- list no longer has.
CREATE TABLE region (
  code   TEXT    PRIMARY KEY,
  parent TEXT,                                     -- NULL for a province
  level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),  -- 1 province, 2 regency/city,
                                                          -- 3 kecamatan, 4 desa/kelurahan
  name   TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX region_parent ON region (parent);
-- Where the tree came from (ODbL attribution, and which list a code was valid in).
CREATE TABLE region_source (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  package        TEXT    NOT NULL,                -- "idn-area-data"
  version        TEXT    NOT NULL,                -- "4.0.1"
  imported_at_ms INTEGER NOT NULL,
  provinces      INTEGER NOT NULL,
  regencies      INTEGER NOT NULL,
  districts      INTEGER NOT NULL,
  villages       INTEGER NOT NULL
);
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::regions
