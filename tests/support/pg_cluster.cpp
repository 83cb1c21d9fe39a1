#include "tests/support/pg_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "core/random.h"

#ifndef CW_PG_TEMPLATE_DIR
#error "CW_PG_TEMPLATE_DIR must name a folder for the initdb template"
#endif

namespace causeway::testing {
namespace {

constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";
constexpr const char* kTestUser = "causeway-test";

core::Error Fail(std::string text) {
  return core::MakeError(core::Code::kInternal, "CAUSEWAY/TEST", "001", std::move(text));
}

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Tail(const std::string& path, size_t max_lines = 15) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i)
    out += "\n  " + lines[i];
  return out;
}

core::Status Shell(const std::string& command) {
  int rc = std::system(command.c_str());
  if (rc == 0) return core::Status::Ok();
  return Fail("command failed (" + std::to_string(WIFEXITED(rc) ? WEXITSTATUS(rc) : rc) + "): " + command);
}

// The owner of the cluster's files: a dedicated system user when root (initdb refuses root).
core::Result<passwd*> EnsureTestUser() {
  if (passwd* pw = getpwnam(kTestUser)) return pw;
  // Two test processes may race here; whoever loses finds the user afterwards.
  (void)std::system(
      "useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin causeway-test "
      ">/dev/null 2>&1");
  if (passwd* pw = getpwnam(kTestUser)) return pw;
  return Fail("cannot create the system user causeway-test");
}

core::Result<int> FreeLoopbackPort() {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return Fail("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int rc = ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc == 0) rc = ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(s);
  if (rc != 0) return Fail("cannot find a free port on 127.0.0.1");
  return static_cast<int>(ntohs(addr.sin_port));
}

struct PgConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgResultCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};

}  // namespace

bool PgCluster::Installed() { return ::access((std::string(kBinDir) + "/initdb").c_str(), X_OK) == 0; }

core::Status PgCluster::RunAsOwner(const std::string& command, const std::string& log) const {
  return Shell(run_as_ + command + " >>" + Quote(log) + " 2>&1");
}

std::string PgCluster::PgCtl(const std::string& action) const {
  std::string cmd = std::string(kBinDir) + "/pg_ctl -D " + Quote(dir_ + "/data") + " -l " + Quote(dir_ + "/server.log");
  if (action == "start") {
    std::string opts = "-c port=" + std::to_string(port_) + " -c listen_addresses=127.0.0.1" +
                       " -c unix_socket_directories=" + dir_ + " -c fsync=on -c synchronous_commit=on";
    for (const std::string& s : settings_) opts += " -c " + s;
    cmd += " -w -t 60 -o " + Quote(opts) + " start";
  } else {
    cmd += " -w -t 60 -m fast stop";
  }
  return cmd;
}

core::Result<std::unique_ptr<PgCluster>> PgCluster::Start(const Options& options) {
  if (!Installed()) return Fail(std::string("PostgreSQL 15 server binaries not found in ") + kBinDir);
  auto cluster = std::unique_ptr<PgCluster>(new PgCluster());
  PgCluster& c = *cluster;
  c.settings_ = {"deadlock_timeout=100ms", "max_connections=200", "shared_buffers=32MB"};
  c.settings_.insert(c.settings_.end(), options.settings.begin(), options.settings.end());

  // A short path: the socket's full name must fit in sockaddr_un (107 bytes).
  char tmpl[] = "/tmp/cw_pg_XXXXXX";
  if (!::mkdtemp(tmpl)) return Fail("mkdtemp failed");
  c.dir_ = tmpl;

  // The watchdog stops the server and removes the folder when this process lets go of the
  // pipe: at ~PgCluster, or when the process dies, however it dies.
  std::string owner_chown;
  if (::geteuid() == 0) {
    CW_ASSIGN_OR_RETURN(passwd * pw, EnsureTestUser());
    if (::chown(c.dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return Fail("chown " + c.dir_ + " failed");
    c.run_as_ = std::string("runuser -u ") + kTestUser + " -- ";
    owner_chown = std::string("chown -R ") + kTestUser + ": ";
  }
  {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Fail("pipe2 failed");
    std::string script = "exec >/dev/null 2>&1; read _; " + c.run_as_ +
                         std::string(kBinDir) + "/pg_ctl -D " + Quote(c.dir_ + "/data") + " -m immediate -w stop; rm -rf " +
                         Quote(c.dir_);
    pid_t pid = ::fork();
    if (pid < 0) return Fail("fork failed");
    if (pid == 0) {
      ::dup2(fds[0], 0);
      ::setsid();  // outlives a kill of this process's group
      ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[0]);
    c.watchdog_fd_ = fds[1];
    c.watchdog_pid_ = pid;
  }

  const std::string log = c.dir_ + "/setup.log";
  const std::string data = c.dir_ + "/data";
  const std::string template_dir = CW_PG_TEMPLATE_DIR;
  if (::access((template_dir + "/PG_VERSION").c_str(), R_OK) == 0) {
    CW_RETURN_IF_ERROR(Shell("cp -a " + Quote(template_dir) + " " + Quote(data)));
    if (!owner_chown.empty()) CW_RETURN_IF_ERROR(Shell(owner_chown + Quote(data)));
  } else {
    core::Status st = c.RunAsOwner(std::string(kBinDir) + "/initdb -D " + Quote(data) + " -U " + c.superuser_ +
                                 " --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync"
                                 " --no-instructions",
                             log);
    if (!st.ok()) return Fail("initdb failed:" + Tail(log));
    // Keep it for the next cluster; of two processes racing here, the first rename wins.
    std::string partial = template_dir + ".partial." + std::to_string(::getpid());
    (void)Shell("mkdir -p " + Quote(template_dir + "/..") + " && cp -a " + Quote(data) + " " + Quote(partial));
    if (::rename(partial.c_str(), template_dir.c_str()) != 0) (void)Shell("rm -rf " + Quote(partial));
  }

  core::Status started = Fail("not started");
  for (int attempt = 0; attempt < 3 && !started.ok(); ++attempt) {
    CW_ASSIGN_OR_RETURN(c.port_, FreeLoopbackPort());  // another process may take it first: retry
    started = c.RunAsOwner(c.PgCtl("start"), log);
  }
  if (!started.ok()) return Fail("the PostgreSQL server did not start:" + Tail(c.dir_ + "/server.log"));

  c.password_ = core::RandomHexUpper(12);
  auto set = c.AdminQuery("ALTER ROLE " + c.superuser_ + " PASSWORD '" + c.password_ + "'");
  if (!set.ok()) return std::move(set).error();
  return cluster;
}

PgCluster::~PgCluster() {
  if (watchdog_fd_ >= 0) ::close(watchdog_fd_);
  if (watchdog_pid_ > 0) ::waitpid(watchdog_pid_, nullptr, 0);
}

PgCluster* PgCluster::Shared(std::string* why) {
  static std::once_flag once;
  static std::unique_ptr<PgCluster> shared;
  static std::string error;
  std::call_once(once, [] {
    auto c = Start();
    if (c.ok()) shared = std::move(c).value();
    else error = c.error().text;
  });
  if (!shared && why) *why = error;
  return shared.get();
}

std::string PgCluster::SocketConnInfo(std::string_view dbname) const {
  return "host=" + dir_ + " port=" + std::to_string(port_) + " dbname=" + std::string(dbname) + " user=" + superuser_;
}

std::string PgCluster::TcpUri(std::string_view dbname) const {
  return "postgresql://" + superuser_ + ":" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/" +
         std::string(dbname);
}

core::Result<std::string> PgCluster::AdminQuery(std::string_view sql, std::string_view dbname) {
  std::unique_ptr<PGconn, PgConnCloser> conn(PQconnectdb(SocketConnInfo(dbname).c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) return Fail(std::string("admin connection: ") + PQerrorMessage(conn.get()));
  std::unique_ptr<PGresult, PgResultCloser> r(PQexec(conn.get(), std::string(sql).c_str()));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    return Fail(std::string(sql) + ": " + PQresultErrorMessage(r.get()));
  if (st == PGRES_TUPLES_OK && PQntuples(r.get()) > 0) return std::string(PQgetvalue(r.get(), 0, 0));
  return std::string();
}

core::Result<std::string> PgCluster::CreateDatabase(std::string_view prefix) {
  std::string name;
  for (char ch : prefix) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    name += (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') ? l : '_';
  }
  name = name.substr(0, 40) + "_" + std::to_string(++databases_);
  auto created = AdminQuery("CREATE DATABASE " + name);
  if (!created.ok()) return std::move(created).error();
  return SocketConnInfo(name);
}

core::Result<int> PgCluster::TerminateBackends(std::string_view dbname) {
  CW_ASSIGN_OR_RETURN(std::string n,
                      AdminQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                                 std::string(dbname) + "' AND pid <> pg_backend_pid()"));
  return std::atoi(n.c_str());
}

core::Status PgCluster::StopServer() {
  if (RunAsOwner(PgCtl("stop"), dir_ + "/setup.log").ok()) return core::Status::Ok();
  return Fail("pg_ctl stop failed:" + Tail(dir_ + "/setup.log"));
}

core::Status PgCluster::StartServer() {
  if (RunAsOwner(PgCtl("start"), dir_ + "/setup.log").ok()) return core::Status::Ok();
  return Fail("pg_ctl start failed:" + Tail(dir_ + "/server.log"));
}

}  // namespace causeway::testing
