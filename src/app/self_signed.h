// Creates a self-signed certificate for the demo's HTTPS listener (EC P-256, SAN
// localhost/127.0.0.1, valid one year) unless the files exist already.
#pragma once

#include <filesystem>

#include "core/result.h"

namespace causeway::app {

core::Status EnsureSelfSignedCertificate(const std::filesystem::path& cert_file, const std::filesystem::path& key_file);

}  // namespace causeway::app
