// libpq, opened the first time a PostgreSQL store is opened (libpq_on_demand.h says why).
//
// This file defines the libpq functions Causeway calls, with libpq's own declarations
// (libpq-fe.h: a signature that differs does not compile), each forwarding to the function of
// the same name in the library dlopen() loaded, looked up once. A function missing here is a
// link error ("undefined reference to PQ…"): add a line below.
#include "store/postgres/libpq_on_demand.h"

#include <dlfcn.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace causeway::store {

namespace {

constexpr const char* kLibpqSoname = "libpq.so.5";  // Debian's libpq5 (the ABI since PostgreSQL 8.0)

struct Loaded {
  void* handle = nullptr;
  std::string why;  // when handle is null; PQerrorMessage's text then
};

const Loaded& Library() {
  static const Loaded loaded = [] {
    Loaded l;
    // RTLD_LOCAL: nothing else binds to its symbols by accident; it stays loaded until exit.
    l.handle = dlopen(kLibpqSoname, RTLD_NOW | RTLD_LOCAL);
    if (l.handle == nullptr) {
      const char* err = dlerror();
      l.why = std::string("PostgreSQL's client library is not available: ") +
              (err != nullptr ? err : kLibpqSoname) + "\n";
    }
    return l;
  }();
  return loaded;
}

template <typename F>
F Resolve(const char* name) {
  void* lib = Library().handle;
  return lib != nullptr ? reinterpret_cast<F>(dlsym(lib, name)) : nullptr;
}

char* Unavailable() { return const_cast<char*>(Library().why.c_str()); }

char kEmpty[] = "";

}  // namespace

bool LibpqLoaded(std::string* why) {
  const Loaded& l = Library();
  if (l.handle == nullptr && why != nullptr) *why = l.why;
  return l.handle != nullptr;
}

}  // namespace causeway::store

using causeway::store::Resolve;

// Defines libpq's `name` with its parameter list `params`, forwarding `args`; `fallback` is
// what the call returns while libpq cannot be opened (what libpq answers for a null handle).
#define CW_LIBPQ(ret, name, params, args, fallback)         \
  ret(name) params {                                        \
    static const auto fn = Resolve<decltype(&name)>(#name); \
    if (fn == nullptr) return fallback;                     \
    return fn args;                                         \
  }

extern "C" {

// Connections.
CW_LIBPQ(PGconn*, PQconnectdb, (const char* conninfo), (conninfo), nullptr)
CW_LIBPQ(PGconn*, PQconnectdbParams, (const char* const* keywords, const char* const* values, int expand_dbname),
         (keywords, values, expand_dbname), nullptr)
CW_LIBPQ(void, PQfinish, (PGconn * conn), (conn), )
CW_LIBPQ(ConnStatusType, PQstatus, (const PGconn* conn), (conn), CONNECTION_BAD)
CW_LIBPQ(PGTransactionStatusType, PQtransactionStatus, (const PGconn* conn), (conn), PQTRANS_UNKNOWN)
CW_LIBPQ(char*, PQerrorMessage, (const PGconn* conn), (conn), causeway::store::Unavailable())
CW_LIBPQ(int, PQsocket, (const PGconn* conn), (conn), -1)
CW_LIBPQ(int, PQsetnonblocking, (PGconn * conn, int arg), (conn, arg), -1)
CW_LIBPQ(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn * conn, PQnoticeProcessor proc, void* arg),
         (conn, proc, arg), nullptr)
CW_LIBPQ(PQconninfoOption*, PQconninfoParse, (const char* conninfo, char** errmsg), (conninfo, errmsg),
         (errmsg != nullptr ? (*errmsg = strdup(causeway::store::Unavailable())) : nullptr, nullptr))
CW_LIBPQ(void, PQconninfoFree, (PQconninfoOption * options), (options), )
CW_LIBPQ(char*, PQescapeLiteral, (PGconn * conn, const char* str, size_t len), (conn, str, len), nullptr)
// Only what PQconninfoParse's fallback allocated reaches the fallback here.
CW_LIBPQ(void, PQfreemem, (void* ptr), (ptr), free(ptr))

// Queries, synchronous and pipelined.
CW_LIBPQ(PGresult*, PQexec, (PGconn * conn, const char* query), (conn, query), nullptr)
CW_LIBPQ(PGresult*, PQexecParams,
         (PGconn * conn, const char* command, int n, const Oid* types, const char* const* values, const int* lengths,
          const int* formats, int result_format),
         (conn, command, n, types, values, lengths, formats, result_format), nullptr)
CW_LIBPQ(PGresult*, PQprepare, (PGconn * conn, const char* name, const char* query, int n, const Oid* types),
         (conn, name, query, n, types), nullptr)
CW_LIBPQ(PGresult*, PQexecPrepared,
         (PGconn * conn, const char* name, int n, const char* const* values, const int* lengths, const int* formats,
          int result_format),
         (conn, name, n, values, lengths, formats, result_format), nullptr)
CW_LIBPQ(int, PQsendQuery, (PGconn * conn, const char* query), (conn, query), 0)
CW_LIBPQ(int, PQsendQueryParams,
         (PGconn * conn, const char* command, int n, const Oid* types, const char* const* values, const int* lengths,
          const int* formats, int result_format),
         (conn, command, n, types, values, lengths, formats, result_format), 0)
CW_LIBPQ(int, PQsendPrepare, (PGconn * conn, const char* name, const char* query, int n, const Oid* types),
         (conn, name, query, n, types), 0)
CW_LIBPQ(int, PQsendQueryPrepared,
         (PGconn * conn, const char* name, int n, const char* const* values, const int* lengths, const int* formats,
          int result_format),
         (conn, name, n, values, lengths, formats, result_format), 0)
CW_LIBPQ(PGresult*, PQgetResult, (PGconn * conn), (conn), nullptr)
CW_LIBPQ(int, PQisBusy, (PGconn * conn), (conn), 0)
CW_LIBPQ(int, PQconsumeInput, (PGconn * conn), (conn), 0)
CW_LIBPQ(int, PQflush, (PGconn * conn), (conn), -1)
CW_LIBPQ(int, PQenterPipelineMode, (PGconn * conn), (conn), 0)
CW_LIBPQ(int, PQexitPipelineMode, (PGconn * conn), (conn), 0)
CW_LIBPQ(int, PQpipelineSync, (PGconn * conn), (conn), 0)
CW_LIBPQ(PGnotify*, PQnotifies, (PGconn * conn), (conn), nullptr)

// Results.
CW_LIBPQ(void, PQclear, (PGresult * res), (res), )
CW_LIBPQ(ExecStatusType, PQresultStatus, (const PGresult* res), (res), PGRES_FATAL_ERROR)
CW_LIBPQ(char*, PQresultErrorMessage, (const PGresult* res), (res), causeway::store::Unavailable())
CW_LIBPQ(char*, PQresultErrorField, (const PGresult* res, int field), (res, field), nullptr)
CW_LIBPQ(int, PQntuples, (const PGresult* res), (res), 0)
CW_LIBPQ(int, PQnfields, (const PGresult* res), (res), 0)
CW_LIBPQ(char*, PQgetvalue, (const PGresult* res, int row, int field), (res, row, field), causeway::store::kEmpty)
CW_LIBPQ(int, PQgetlength, (const PGresult* res, int row, int field), (res, row, field), 0)
CW_LIBPQ(int, PQgetisnull, (const PGresult* res, int row, int field), (res, row, field), 1)
CW_LIBPQ(char*, PQcmdStatus, (PGresult * res), (res), causeway::store::kEmpty)
CW_LIBPQ(char*, PQcmdTuples, (PGresult * res), (res), causeway::store::kEmpty)

}  // extern "C"

#undef CW_LIBPQ
