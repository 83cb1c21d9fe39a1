// The one translation unit that compiles Asio, Asio SSL and Beast (separate compilation, see
// BOOST_ASIO_SEPARATE_COMPILATION in the top-level CMakeLists.txt). Everything else only
// includes their headers, which keeps incremental builds fast on small machines.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
