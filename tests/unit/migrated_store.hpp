#pragma once
// A test on a real SQLite file migrated to the whole schema, opened directly (no writer
// thread), with one-value query helpers that fail the test on an SQL error.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"

namespace satupintu::testing {

class MigratedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Db::Open(dir_.File("store.db"), false);
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, schema::Migrations()).ok());
  }

  void Exec(const std::string& sql) { ASSERT_TRUE(db_->Exec(sql).ok()) << sql; }
  std::int64_t Int(const std::string& sql) {
    auto v = db_->QueryInt(sql);
    EXPECT_TRUE(v.ok()) << sql;
    return v.ok() ? v.value() : -1;
  }
  std::string Text(const std::string& sql) {
    auto v = db_->QueryText(sql);
    EXPECT_TRUE(v.ok()) << sql;
    return v.ok() ? v.value() : "<error>";
  }

  TempDir dir_;
  std::unique_ptr<storage::Db> db_;
};

}  // namespace satupintu::testing
