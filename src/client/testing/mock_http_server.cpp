#include "client/testing/mock_http_server.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <thread>

namespace causeway::client::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string MockRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string MockRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

struct MockHttpServer::Impl {
  MockHandler handler;
  std::optional<MockTls> tls;
  asio::io_context ioc;
  asio::ssl::context ssl_ctx{asio::ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  std::thread thread;

  MockRequest ToMock(const http::request<http::string_body>& req) {
    MockRequest m;
    m.method = std::string(req.method_string());
    m.target = std::string(req.target());
    std::string_view target = req.target();
    size_t q = target.find('?');
    m.path = PercentDecode(target.substr(0, q));
    if (q != std::string_view::npos) {
      std::string_view rest = target.substr(q + 1);
      while (!rest.empty()) {
        size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        size_t eq = pair.find('=');
        m.query[PercentDecode(pair.substr(0, eq))] =
            eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
      }
    }
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value(field.value());
      if (name == "cookie" && m.headers.count(name)) value = m.headers[name] + "; " + value;
      m.headers[name] = value;
    }
    return m;
  }

  template <typename Stream>
  asio::awaitable<void> Serve(Stream& stream, const std::string& subject) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(1 << 20);
      auto [ec, n] = co_await http::async_read(stream, buffer, parser,
                                               asio::as_tuple(asio::use_awaitable));
      (void)n;
      if (ec) co_return;
      const auto& req = parser.get();
      MockRequest mock = ToMock(req);
      mock.client_cert_subject = subject;
      MockResponse out = handler(mock);
      if (out.drop_connection) co_return;  // the caller closes the socket
      http::response<http::string_body> res{static_cast<http::status>(out.status), req.version()};
      for (const auto& [name, value] : out.headers) res.insert(name, value);
      res.keep_alive(req.keep_alive());
      if (req.method() == http::verb::head) {
        res.content_length(0);
      } else {
        res.body() = std::move(out.body);
        res.prepare_payload();
      }
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      (void)wn;
      if (wec || !res.keep_alive()) co_return;
    }
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    if (!tls) {
      co_await Serve(socket, "");
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
      co_return;
    }
    asio::ssl::stream<tcp::socket> stream(std::move(socket), ssl_ctx);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server,
                                                asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    std::string subject;
    if (X509* cert = SSL_get_peer_certificate(stream.native_handle())) {
      char buf[256];
      X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
      subject = buf;
      X509_free(cert);
    }
    co_await Serve(stream, subject);
    boost::system::error_code ignored;
    stream.next_layer().close(ignored);
  }

  asio::awaitable<void> Listen() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(ioc, Session(std::move(socket)), asio::detached);
    }
  }
};

MockHttpServer::MockHttpServer(MockHandler handler, std::optional<MockTls> tls)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  impl_->tls = std::move(tls);
  if (impl_->tls) {
    impl_->ssl_ctx.use_certificate_chain_file(impl_->tls->cert_file);
    impl_->ssl_ctx.use_private_key_file(impl_->tls->key_file, asio::ssl::context::pem);
    if (!impl_->tls->client_ca_file.empty()) {
      impl_->ssl_ctx.load_verify_file(impl_->tls->client_ca_file);
      impl_->ssl_ctx.set_verify_mode(asio::ssl::verify_peer |
                                     asio::ssl::verify_fail_if_no_peer_cert);
      // As the real server does: without a session id context, OpenSSL fails the handshake of
      // a client that resumes its session on a new connection (the client's POSTs use one).
      static const unsigned char kSid[] = "mock";
      SSL_CTX_set_session_id_context(impl_->ssl_ctx.native_handle(), kSid, sizeof kSid - 1);
    }
  }
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  asio::co_spawn(impl_->ioc, impl_->Listen(), asio::detached);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

MockHttpServer::~MockHttpServer() {
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

uint16_t MockHttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string MockHttpServer::BaseUrl() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

}  // namespace causeway::client::testing
