// `causeway job …` end to end in process: the real CLI, libcurl and the CSRF session against the
// mock Gateway (testing/fake_job_service.h) over real loopback sockets (port 0).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <sstream>
#include <thread>

#include "client/exit_codes.h"
#include "client/job_commands.h"
#include "client/testing/fake_job_service.h"
#include "client/testing/mock_http_server.h"
#include "tests/support/test_pki.h"

namespace causeway::client {
namespace {

using testing::FakeJobService;
using testing::FakeTemplate;
using testing::MockHttpServer;
using testing::MockRequest;
using testing::MockTls;
using testing::ResponseShape;

constexpr const char* kPassword = "Secret#Pw-42";

int Code(ExitCode c) { return static_cast<int>(c); }

class JobClientMockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.AddTemplate({"TPL_OK", "Finishing template", 2, "RRF"});
    fake_.AddTemplate({"TPL_FAIL", "Failing template", 1, "RA"});
    fake_.AddTemplate({"TPL_WARN", "Warning template", 1, "RW"});
    fake_.AddTemplate({"TPL_LONG", "Long running template", 1, "R"});
    env_ = {{"CAUSEWAY_USER", "COMM_USER"}, {"CAUSEWAY_PASSWORD", kPassword},
            {"HOME", "/nonexistent-cw-home"}};
  }

  void Start(std::optional<MockTls> tls = std::nullopt) {
    server_ = std::make_unique<MockHttpServer>(fake_.Handler(), std::move(tls));
  }

  int Run(std::vector<std::string> args) {
    if (!server_) Start();
    out_.str("");
    err_.str("");
    std::vector<std::string> full{"causeway-job"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--url");
    full.push_back(server_->BaseUrl() + FakeJobService::kRoot);
    JobCliIo io;
    io.out = &out_;
    io.err = &err_;
    io.interactive = false;
    io.retry_delay = std::chrono::milliseconds(10);
    auto env = env_;
    io.env = [env](const char* name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    return RunJobCli(full, io);
  }

  boost::json::object JsonOut() { return boost::json::parse(out_.str()).as_object(); }

  FakeJobService fake_{"COMM_USER", kPassword};
  std::unique_ptr<MockHttpServer> server_;
  std::map<std::string, std::string> env_;
  std::ostringstream out_, err_;
};

class ShapeTest : public JobClientMockTest, public ::testing::WithParamInterface<ResponseShape> {};

TEST_P(ShapeTest, RunFinishesWithEveryResponseShape) {
  fake_.SetShape(GetParam());
  EXPECT_EQ(Run({"run", "--template", "TPL_OK", "--user", "BUSR", "--poll", "50ms", "--json"}),
            Code(ExitCode::kFinished))
      << err_.str();
  auto summary = JsonOut();
  EXPECT_EQ(summary["status"].as_string(), "F");
  EXPECT_EQ(summary["exit_reason"].as_string(), "finished");
  EXPECT_EQ(summary["job_name"].as_string(), "CW1_TPL_OK");
  EXPECT_EQ(summary["job_run_count"].as_string(), "13254600");
  EXPECT_EQ(summary["steps"].as_array().size(), 2u);
  EXPECT_EQ(fake_.Calls("JobSchedule"), 1);
  EXPECT_GE(fake_.Calls("JobStatusGet"), 3);
  EXPECT_EQ(fake_.LastParam("JobSchedule", "JobTemplateName"), "'TPL_OK'");
  EXPECT_EQ(fake_.LastParam("JobSchedule", "JobUser"), "'BUSR'");
  EXPECT_EQ(fake_.LastParam("JobStatusGet", "$format"), "json");
}

INSTANTIATE_TEST_SUITE_P(Client, ShapeTest,
                         ::testing::Values(ResponseShape::kEntity, ResponseShape::kResults,
                                           ResponseShape::kFunctionWrapped, ResponseShape::kAtom));

TEST_F(JobClientMockTest, CsrfFetchedWithHeadOnServiceRootAndCookiesKept) {
  EXPECT_EQ(Run({"schedule", "--template", "TPL_OK", "--user", "BUSR"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("JobName=CW1_TPL_OK\nJobRunCount=13254600"), std::string::npos);
  EXPECT_EQ(fake_.Calls("HEAD"), 1);
  EXPECT_EQ(fake_.Calls("token_fetch"), 1);
  EXPECT_EQ(fake_.Calls("csrf_403"), 0);  // the POST carried the token *and* the session cookie
}

TEST_F(JobClientMockTest, CsrfFallsBackToGetWhenHeadIsRejected) {
  fake_.SetHeadAllowed(false);
  EXPECT_EQ(Run({"schedule", "--template", "TPL_OK", "--user", "BUSR"}), 0) << err_.str();
  EXPECT_EQ(fake_.Calls("HEAD"), 1);
  EXPECT_EQ(fake_.Calls(""), 1);  // GET on the root with X-CSRF-Token: Fetch
  EXPECT_EQ(fake_.Calls("token_fetch"), 1);
}

TEST_F(JobClientMockTest, ExpiredSessionGets403RequiredThenOneRefetchAndRetry) {
  std::atomic<int> seen{0};
  fake_.SetOnRequest([&](const MockRequest&, const std::string& function) {
    if (function == "JobSchedule" && seen++ == 0) fake_.ExpireSessions();
  });
  EXPECT_EQ(Run({"schedule", "--template", "TPL_OK", "--user", "BUSR"}), 0) << err_.str();
  EXPECT_EQ(fake_.Calls("csrf_403"), 1);
  EXPECT_EQ(fake_.Calls("token_fetch"), 2);
  EXPECT_EQ(fake_.Calls("JobSchedule"), 2);
  EXPECT_NE(out_.str().find("JobName=CW1_TPL_OK"), std::string::npos);  // exactly one job made
}

TEST_F(JobClientMockTest, Post405WithoutTokenIsTreatedLikeCsrfRequired) {
  fake_.WithholdTokens(2);  // HEAD and GET of the first fetch offer no token
  fake_.SetCsrfReject405(true);
  EXPECT_EQ(Run({"schedule", "--template", "TPL_OK", "--user", "BUSR"}), 0) << err_.str();
  EXPECT_EQ(fake_.Calls("csrf_405"), 1);
  EXPECT_EQ(fake_.Calls("token_fetch"), 1);
  EXPECT_EQ(fake_.Calls("JobSchedule"), 2);
}

TEST_F(JobClientMockTest, Post405TwiceIsRejectedWithAHint) {
  fake_.WithholdTokens(100);  // the server never offers a token
  fake_.SetCsrfReject405(true);
  EXPECT_EQ(Run({"schedule", "--template", "TPL_OK", "--user", "BUSR"}), Code(ExitCode::kRejected));
  EXPECT_EQ(fake_.Calls("csrf_405"), 2);  // one re-fetch, one retry, no more
  EXPECT_NE(err_.str().find("without a CSRF token"), std::string::npos) << err_.str();
}

TEST_F(JobClientMockTest, HtmlLoginPageIsReportedAsAuthProblem) {
  fake_.SetLoginPage(true);
  EXPECT_EQ(Run({"status", "CW1_TPL_OK", "13254600"}), Code(ExitCode::kAuth));
  EXPECT_NE(err_.str().find("HTML page ('SAP Logon')"), std::string::npos) << err_.str();
}

TEST_F(JobClientMockTest, ServerErrorWithGatewayBodyIsOneLineAndRetriedForGet) {
  fake_.SetServerError("JobStatusGet");
  EXPECT_EQ(Run({"status", "CW9_TPL_OK", "13254600"}), Code(ExitCode::kServerError));
  EXPECT_NE(err_.str().find("HTTP 500 /IWBEP/CM_MGW_RT/004: Internal server error"),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(fake_.Calls("JobStatusGet"), 4);  // 1 + 3 retries (idempotent GET)
}

TEST_F(JobClientMockTest, PostIsNeverRetriedOnServerError) {
  fake_.SetServerError("JobSchedule");
  EXPECT_EQ(Run({"run", "--template", "TPL_OK", "--user", "BUSR"}), Code(ExitCode::kServerError));
  EXPECT_EQ(fake_.Calls("JobSchedule"), 1);
}

TEST_F(JobClientMockTest, WrongPasswordIsAuthErrorAndNeverEchoed) {
  env_["CAUSEWAY_PASSWORD"] = "wrong-pw-value";
  EXPECT_EQ(Run({"status", "X", "1"}), Code(ExitCode::kAuth));
  EXPECT_NE(err_.str().find("HTTP 401"), std::string::npos) << err_.str();
  EXPECT_EQ(err_.str().find("wrong-pw-value"), std::string::npos);
}

TEST_F(JobClientMockTest, UnknownTemplateIsRejectedWithGatewayCode) {
  EXPECT_EQ(Run({"run", "--template", "NOPE", "--user", "BUSR"}), Code(ExitCode::kRejected));
  EXPECT_NE(err_.str().find("APJ_RT/015: Job template NOPE doesn't exist."), std::string::npos)
      << err_.str();
}

TEST_F(JobClientMockTest, AtomErrorBodyForUnknownJob) {
  fake_.SetShape(ResponseShape::kAtom);
  EXPECT_EQ(Run({"status", "GHOST", "1"}), Code(ExitCode::kRejected));
  EXPECT_NE(err_.str().find("APJ_RT/003: Job doesn't exist."), std::string::npos) << err_.str();
}

TEST_F(JobClientMockTest, FailedAndWarningJobsMapToTheirExitCodes) {
  EXPECT_EQ(Run({"run", "--template", "TPL_FAIL", "--user", "B", "--poll", "50ms"}),
            Code(ExitCode::kFailed));
  EXPECT_NE(out_.str().find("JobStatus=A"), std::string::npos);
  EXPECT_EQ(Run({"run", "--template", "TPL_WARN", "--user", "B", "--poll", "50ms"}),
            Code(ExitCode::kFinishedWithWarning));
}

TEST_F(JobClientMockTest, PlainProgressIsOneLinePerStatusChange) {
  EXPECT_EQ(Run({"run", "--template", "TPL_OK", "--user", "B", "--poll", "50ms"}), 0);
  std::string log = err_.str();
  size_t running_lines = 0;
  for (size_t p = 0; (p = log.find(" R (In Process) step 1 of 2", p)) != std::string::npos; ++p) {
    ++running_lines;
  }
  EXPECT_EQ(running_lines, 1u) << log;  // two R polls, one line
  EXPECT_NE(log.find(" F (Finished) step 2 of 2"), std::string::npos) << log;
  EXPECT_EQ(log.find('\r'), std::string::npos);
}

TEST_F(JobClientMockTest, TimeoutCancelsTheJobAndWaitsForConfirmation) {
  EXPECT_EQ(Run({"run", "--template", "TPL_LONG", "--user", "B", "--poll", "50ms", "--timeout",
                 "300ms", "--json"}),
            Code(ExitCode::kTimedOut))
      << err_.str();
  EXPECT_EQ(fake_.Calls("JobCancel"), 1);
  auto summary = JsonOut();
  EXPECT_TRUE(summary["cancel_requested"].as_bool());
  EXPECT_TRUE(summary["cancel_confirmed"].as_bool());
  EXPECT_EQ(summary["status"].as_string(), "C");
  EXPECT_EQ(summary["exit_reason"].as_string(), "timed_out");
}

TEST_F(JobClientMockTest, TimeoutLeaveDoesNotCancel) {
  EXPECT_EQ(Run({"run", "--template", "TPL_LONG", "--user", "B", "--poll", "50ms", "--timeout",
                 "200ms", "--on-timeout", "leave"}),
            Code(ExitCode::kTimedOut));
  EXPECT_EQ(fake_.Calls("JobCancel"), 0);
  EXPECT_NE(err_.str().find("left running"), std::string::npos);
}

TEST_F(JobClientMockTest, SigtermDuringWaitCancelsRemoteJob) {
  std::atomic<bool> sent{false};
  fake_.SetOnRequest([&](const MockRequest&, const std::string& function) {
    if (function == "JobStatusGet" && !sent.exchange(true)) kill(getpid(), SIGTERM);
  });
  EXPECT_EQ(Run({"run", "--template", "TPL_LONG", "--user", "B", "--poll", "10s", "--json"}),
            Code(ExitCode::kSigTerm))
      << err_.str();
  EXPECT_EQ(fake_.Calls("JobCancel"), 1);
  auto summary = JsonOut();
  EXPECT_EQ(summary["signal"].as_int64(), SIGTERM);
  EXPECT_TRUE(summary["cancel_confirmed"].as_bool());
  EXPECT_EQ(summary["status"].as_string(), "C");
  // The one-shot handler was removed again: default disposition restored.
  struct sigaction now {};
  sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
}

TEST_F(JobClientMockTest, SigtermBeforeSchedulingSchedulesNothing) {
  fake_.SetOnRequest([&](const MockRequest& req, const std::string&) {
    if (req.method == "HEAD") kill(getpid(), SIGTERM);  // while the client fetches its token
  });
  EXPECT_EQ(Run({"run", "--template", "TPL_LONG", "--user", "B", "--poll", "50ms"}), Code(ExitCode::kSigTerm))
      << err_.str();
  EXPECT_EQ(fake_.Calls("JobSchedule"), 0);
  EXPECT_NE(err_.str().find("nothing was scheduled"), std::string::npos) << err_.str();
}

// A server that stops answering holds neither a SIGTERM nor the cancel for the request
// timeout: the status read is given up at the signal, and the cancel and its confirmation are
// waited for within --cancel-wait.
TEST_F(JobClientMockTest, SigtermWhileTheServerHangsEndsWithinTheCancelWait) {
  std::atomic<int> polls{0};
  fake_.SetOnRequest([&](const MockRequest&, const std::string& function) {
    if (function == "JobStatusGet" && polls.fetch_add(1) == 1) {
      kill(getpid(), SIGTERM);
      std::this_thread::sleep_for(std::chrono::seconds(8));  // the mock's one thread hangs
    }
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(Run({"run", "--template", "TPL_LONG", "--user", "B", "--poll", "50ms", "--cancel-wait", "1s",
                 "--request-timeout", "120s"}),
            Code(ExitCode::kSigTerm))
      << err_.str();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(6)) << err_.str();
}

TEST_F(JobClientMockTest, TooManyRequestsWhileWaitingIsRetriedNotARejection) {
  fake_.BusyStatusGets(5);  // more than one GET's retries: the wait itself carries on
  EXPECT_EQ(Run({"run", "--template", "TPL_OK", "--user", "B", "--poll", "50ms"}), 0) << err_.str();
  EXPECT_GE(fake_.Calls("JobStatusGet"), 8);  // 5 busy + R, R, F
}

TEST_F(JobClientMockTest, OnIbpACancelledJobShowsAAndIsStillOurTimeout) {
  fake_.SetCancelledStatus('A');  // IBP: "A - Aborted (Failed or Canceled)"
  EXPECT_EQ(Run({"run", "--template", "TPL_LONG", "--user", "B", "--poll", "50ms", "--timeout", "300ms", "--json"}),
            Code(ExitCode::kTimedOut))
      << err_.str();
  auto summary = JsonOut();
  EXPECT_EQ(summary["status"].as_string(), "A");
  EXPECT_TRUE(summary["cancel_confirmed"].as_bool());
}

TEST_F(JobClientMockTest, TimeoutZeroMeansNoLimit) {
  EXPECT_EQ(Run({"run", "--template", "TPL_OK", "--user", "B", "--poll", "50ms", "--timeout", "0"}), 0) << err_.str();
  EXPECT_EQ(fake_.Calls("JobCancel"), 0);
}

TEST_F(JobClientMockTest, LostConnectionDuringWaitIsRetried) {
  fake_.DropStatusGets(2);
  EXPECT_EQ(Run({"run", "--template", "TPL_OK", "--user", "B", "--poll", "50ms"}), 0)
      << err_.str();
  EXPECT_GE(fake_.Calls("JobStatusGet"), 5);  // 2 dropped + R, R, F
}

TEST_F(JobClientMockTest, StatusUnreadableLongerThanLostWaitEndsWithServerError) {
  fake_.SetServerError("JobStatusGet");
  EXPECT_EQ(Run({"run", "--template", "TPL_OK", "--user", "B", "--poll", "50ms", "--lost-wait",
                 "300ms"}),
            Code(ExitCode::kServerError))
      << err_.str();
  EXPECT_NE(err_.str().find("lost track of job"), std::string::npos) << err_.str();
  EXPECT_EQ(fake_.Calls("JobCancel"), 0);
}

TEST_F(JobClientMockTest, UnknownStatusLetterDoesNotPollForever) {
  fake_.AddTemplate({"TPL_ODD", "Odd status", 1, "Q"});
  EXPECT_EQ(Run({"run", "--template", "TPL_ODD", "--user", "B", "--poll", "50ms", "--lost-wait",
                 "300ms"}),
            Code(ExitCode::kServerError))
      << err_.str();
  EXPECT_NE(err_.str().find("unknown status 'Q'"), std::string::npos) << err_.str();
}

TEST_F(JobClientMockTest, ConnectionRefusedIsConnectionError) {
  Start();
  std::string url = server_->BaseUrl();
  server_.reset();  // nothing listens on that port any more
  std::vector<std::string> args{"causeway-job", "status", "X", "1", "--url", url + "/x",
                                "--logon-user", "U", "--connect-timeout", "2s"};
  JobCliIo io;
  io.out = &out_;
  io.err = &err_;
  io.retry_delay = std::chrono::milliseconds(1);
  io.env = [](const char* name) -> std::optional<std::string> {
    if (std::string(name) == "CAUSEWAY_PASSWORD") return "p";
    return std::nullopt;
  };
  EXPECT_EQ(RunJobCli(args, io), Code(ExitCode::kConnection)) << err_.str();
}

TEST_F(JobClientMockTest, TemplateTextAndParametersAreEncoded) {
  EXPECT_EQ(Run({"schedule", "--template-text", "Finishing template", "--user", "B", "--text",
                 "Nightly 'run'", "--param", "1:P_NOTE=It's 100% done", "--param", "2:P_FLAG=X"}),
            0)
      << err_.str();
  EXPECT_EQ(fake_.LastParam("JobTemplateSet", "$filter"),
            "substringof('Finishing template',JobTemplateText)");
  EXPECT_EQ(fake_.LastParam("JobSchedule", "JobTemplateName"), "'TPL_OK'");
  EXPECT_EQ(fake_.LastParam("JobSchedule", "JobText"), "'Nightly ''run'''");
  EXPECT_EQ(fake_.LastParam("JobSchedule", "JobParameterValuesSimple"),
            R"('{"VALUES":[{"STEP_NR":1,"NAME":"P_NOTE","T_VALUE":[{"SIGN":"I","OPTION":"EQ",)"
            R"("LOW":"It''s 100% done","HIGH":""}]},{"STEP_NR":2,"NAME":"P_FLAG","T_VALUE":)"
            R"([{"SIGN":"I","OPTION":"EQ","LOW":"X","HIGH":""}]}]}')");
}

TEST_F(JobClientMockTest, VerboseTraceNeverShowsSecrets) {
  EXPECT_EQ(Run({"-v", "schedule", "--template", "TPL_OK", "--user", "B", "--password", kPassword}),
            0)
      << err_.str();
  const std::string err = err_.str();
  EXPECT_NE(err.find("[http] POST"), std::string::npos) << err;
  EXPECT_NE(err.find("warning: a password on the command line"), std::string::npos);
  for (const char* secret : {kPassword, "dFL6AjPANgi6xca09", "SAP_SESSIONID", "Authorization",
                             "Basic "}) {
    EXPECT_EQ(err.find(secret), std::string::npos) << secret;
    EXPECT_EQ(out_.str().find(secret), std::string::npos) << secret;
  }
}

TEST_F(JobClientMockTest, UsageErrors) {
  EXPECT_EQ(Run({"run", "--user", "B"}), Code(ExitCode::kUsage));  // no template
  EXPECT_EQ(Run({"run", "--template", "T", "--user", "B", "--param", "nonsense"}),
            Code(ExitCode::kUsage));
  EXPECT_EQ(Run({"status", "ONLY_NAME"}), Code(ExitCode::kUsage));
  EXPECT_EQ(Run({"restart", "J", "1", "--mode", "Z"}), Code(ExitCode::kUsage));
  EXPECT_EQ(fake_.Calls("JobSchedule"), 0);
}

TEST_F(JobClientMockTest, TlsWithClientCertificate) {
  causeway::testing::TestPki pki;
  ASSERT_TRUE(pki.ok()) << "openssl CLI failed";
  fake_.SetAcceptClientCert(true);
  Start(MockTls{pki.server_cert(), pki.server_key(), pki.ca_cert()});
  env_.erase("CAUSEWAY_PASSWORD");
  env_.erase("CAUSEWAY_USER");
  EXPECT_EQ(Run({"run", "--template", "TPL_OK", "--user", "B", "--poll", "50ms", "--client-cert",
                 pki.client_cert(), "--client-key", pki.client_key(), "--ca-bundle", pki.ca_cert()}),
            0)
      << err_.str();
  EXPECT_NE(fake_.LastAuthSubject().find("CN=COMM_USER"), std::string::npos);

  // Without the CA bundle the server certificate cannot be verified: a TLS (connection) error.
  EXPECT_EQ(Run({"status", "X", "1", "--client-cert", pki.client_cert(), "--client-key",
                 pki.client_key()}),
            Code(ExitCode::kConnection))
      << err_.str();
  // --insecure by name skips verification (and warns).
  EXPECT_EQ(Run({"status", "CW1_TPL_OK", "13254600", "--client-cert", pki.client_cert(),
                 "--client-key", pki.client_key(), "--insecure"}),
            0)
      << err_.str();
  EXPECT_NE(err_.str().find("--insecure"), std::string::npos);
}

}  // namespace
}  // namespace causeway::client
