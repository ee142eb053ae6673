// `satupintu users ...` on the real binary: a user added with the password on stdin, listed
// with the phone masked, the password changed, the user disabled; each change audited; nothing
// secret on the terminal or in clear in the store.

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "gateway_harness.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

class UsersCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.File("satupintu.json");
    WriteFile(config_, TestConfig(dir_));
  }

  // Runs `satupintu <args> --config FILE` with `stdin_text` on its stdin; returns the exit
  // code, the output in out_.
  int Run(const std::string& args, const std::string& stdin_text = "") {
    out_ = dir_.File("run-" + std::to_string(++runs_) + ".out");
    WriteFile(dir_.File("stdin"), stdin_text);
    Child child({"/bin/sh", "-c",
                 "'" + SatupintuBinary() + "' " + args + " --config '" + config_ + "' < '" +
                     dir_.File("stdin") + "'"},
                out_);
    return child.Wait(60s);
  }
  std::string Out() const { return ReadFile(out_); }

  TempDir dir_;
  std::string config_;
  std::string out_;
  int runs_ = 0;
};

TEST_F(UsersCliTest, AddListPasswdDisable) {
  const std::string password = "kopi-tubruk-2025";
  ASSERT_EQ(Run("users add --username siti.rahayu --name 'Siti Rahayu' --role facilitator"
                " --region 32.06.05.2002 --phone 0812-3456-7890 --password-stdin",
                password + "\n"),
            0)
      << Out();
  EXPECT_NE(Out().find("user siti.rahayu created"), std::string::npos) << Out();
  // The users key was created beside the store, 0600.
  struct stat st {};
  ASSERT_EQ(::stat(dir_.File("users.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  ASSERT_EQ(Run("users add --username pak.kades --name 'Pak Kades' --role viewer"
                " --region 32.06.05"),
            0)
      << Out();
  EXPECT_NE(Out().find("SMS-only"), std::string::npos) << Out();

  ASSERT_EQ(Run("users list"), 0) << Out();
  const std::string list = Out();
  EXPECT_NE(list.find("siti.rahayu"), std::string::npos) << list;
  EXPECT_NE(list.find("facilitator"), std::string::npos) << list;
  EXPECT_NE(list.find("32.06.05.2002"), std::string::npos) << list;
  EXPECT_NE(list.find("62812****7890"), std::string::npos) << list;
  EXPECT_NE(list.find("pak.kades"), std::string::npos) << list;
  for (const std::string& secret : {std::string("6281234567890"), std::string("081234567890"),
                                    std::string("3456-7890"), password, std::string("scrypt$")}) {
    EXPECT_EQ(list.find(secret), std::string::npos) << secret << "\n" << list;
  }
  ASSERT_EQ(Run("users list --within 32.06.05.2002"), 0) << Out();
  EXPECT_NE(Out().find("siti.rahayu"), std::string::npos) << Out();
  EXPECT_EQ(Out().find("pak.kades"), std::string::npos) << Out();

  // Refusals: a bad role, a taken username, a short password, no password on stdin.
  EXPECT_EQ(Run("users add --username budi --name Budi --role chief --region 32.06.05"), 2);
  EXPECT_NE(Out().find("role:"), std::string::npos) << Out();
  EXPECT_EQ(Run("users add --username SITI.RAHAYU --name Siti --role viewer --region 32.06"), 1);
  EXPECT_NE(Out().find("already taken"), std::string::npos) << Out();
  EXPECT_EQ(Run("users passwd --username siti.rahayu --password-stdin", "pendek\n"), 2);
  EXPECT_EQ(Out().find("pendek"), std::string::npos) << Out();
  EXPECT_EQ(Run("users passwd --username siti.rahayu --password-stdin", ""), 2);
  EXPECT_EQ(Run("users passwd --username siti.rahayu"), 2);

  // The phone given at creation is where the user's alerts go (sealed at rest; shown masked).
  ASSERT_EQ(Run("users alerts --username siti.rahayu"), 0) << Out();
  EXPECT_NE(Out().find("alerts on, to 62812****7890 on the officer SMS channel"), std::string::npos)
      << Out();
  ASSERT_EQ(Run("users alerts --username siti.rahayu --off"), 0) << Out();
  EXPECT_NE(Out().find("alerts off"), std::string::npos) << Out();
  ASSERT_EQ(Run("users alerts --username pak.kades --address tg:5550123 --channel telegram:bot"), 0)
      << Out();
  EXPECT_NE(Out().find("alerts on, to tg:*** on telegram:bot"), std::string::npos) << Out();
  EXPECT_EQ(Run("users alerts --username pak.kades --address 123"), 2) << Out();
  EXPECT_EQ(Run("users alerts --username pak.kades --on --off"), 2) << Out();

  ASSERT_EQ(Run("users passwd --username siti.rahayu --password-stdin", "teh-manis-hangat\n"), 0)
      << Out();
  ASSERT_EQ(Run("users disable --username siti.rahayu"), 0) << Out();
  ASSERT_EQ(Run("users list"), 0) << Out();
  EXPECT_NE(Out().find("(disabled)"), std::string::npos) << Out();
  EXPECT_EQ(Run("users disable --username nobody"), 2);

  {
    SqliteFile db(dir_.File("satupintu.db"));
    ASSERT_TRUE(db.IsOpen()) << db.LastError();
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM app_user"), 2);
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM app_user WHERE password_hash LIKE 'scrypt$15$8$1$%'"),
              1);
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM app_user WHERE phone_hash IS NOT NULL"), 1);
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'users.%'"), 6);
  }
  ASSERT_EQ(Run("audit verify"), 0) << Out();
  const std::string bytes =
      ReadFile(dir_.File("satupintu.db")) + ReadFile(dir_.File("satupintu.db-wal"));
  for (const std::string& secret :
       {std::string("6281234567890"), password, std::string("teh-manis-hangat")}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace satupintu::testing
