#pragma once
// The social office's broadcasts from the command line (issue 20, gateway/broadcast): the same
// steps as the page and the API, each as the office user named by --as (the role and region
// rules are that user's: a manager approves, never their own broadcast). Every change is one
// transaction with its audit row (actor cli:<login>, purpose "broadcast as <user>"). The
// running gateway's broadcast runner picks up an approval within broadcast.interval_ms.
//   satupintu broadcast list|show|create|upload|preview|approve|pause|resume|cancel|resend|report
// Returns the exit code (0 done, 1 failed or refused, 2 usage).

#include "cli/args.hpp"

namespace satupintu::cli {

int BroadcastList(const Args& flags);
int BroadcastShow(const Args& flags);
int BroadcastCreate(const Args& flags);
int BroadcastUpload(const Args& flags);
int BroadcastPreview(const Args& flags);
int BroadcastApprove(const Args& flags);
int BroadcastPause(const Args& flags);
int BroadcastResume(const Args& flags);
int BroadcastCancel(const Args& flags);
int BroadcastResend(const Args& flags);
int BroadcastReport(const Args& flags);

}  // namespace satupintu::cli
