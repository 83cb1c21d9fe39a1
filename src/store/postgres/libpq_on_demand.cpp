// libpq, opened the first time a PostgreSQL store is opened (libpq_on_demand.h says why).
//
// This file defines the libpq functions Causeway calls, with libpq's own declarations
// (libpq-fe.h: a signature that differs does not compile), each forwarding to the function of
// the same name in the library dlopen() loaded, looked up once. A function missing here is a
// link error ("undefined reference to PQ…"): add a line below.
#include "store/postgres/libpq_on_demand.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace causeway::store {

namespace {

// PQerrorMessage's text while libpq cannot be opened: the connection attempt reports it.
char* Unavailable() {
  static const std::string text = "PostgreSQL's client library is not available: " + Libpq().why() + "\n";
  return const_cast<char*>(text.c_str());
}

char kEmpty[] = "";

}  // namespace

const core::SharedLibrary& Libpq() {
  static const core::SharedLibrary lib("libpq.so.5");  // Debian's libpq5 (the ABI since PostgreSQL 8.0)
  return lib;
}

}  // namespace causeway::store

// `fallback`: what libpq answers for a null handle.
#define CW_LIBPQ(...) CW_FORWARD_TO_LIBRARY(causeway::store::Libpq(), __VA_ARGS__)

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
