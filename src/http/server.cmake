# cw_http: the Beast server, router and request observers (access log, metrics).
add_library(cw_http STATIC server.cpp content_coding.cpp thread_slice.cpp header_block.cpp response_writer.cpp router.cpp access_log.cpp metrics.cpp)
target_link_libraries(cw_http PUBLIC cw_http_message cw_asio spdlog::spdlog PRIVATE ZLIB::ZLIB)
causeway_warnings(cw_http)

causeway_test(http_test SOURCES content_coding_test.cpp authority_test.cpp header_block_test.cpp response_writer_test.cpp thread_slice_test.cpp sap_path_test.cpp cookies_test.cpp router_test.cpp metrics_test.cpp server_test.cpp
              LIBS cw_http cw_test_pki CURL::libcurl ZLIB::ZLIB)
