#!/usr/bin/env bash
# Installs the Debian packages Causeway needs to build, run and test. Idempotent: only missing
# packages are installed (apt-get update runs only then). Run as root on Debian 12 (bookworm).
set -euo pipefail

PACKAGES=(
  build-essential g++ cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  zlib1g-dev libssl-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev libpugixml-dev libxml2-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  curl openssl sqlite3 procps
)
# Test and benchmark tools (load generator, peer ceiling, fuzzing compiler).
if [[ "${CAUSEWAY_TEST_DEPS:-0}" == 1 ]]; then
  PACKAGES+=(wrk nginx-light clang-14 libclang-rt-14-dev python3 postgresql python3-zeep nodejs jaxws)
  # Debian's Chromium for the OpenUI5 ODataModel test (tests/e2e/test_odata_ui5.py), which drives
  # it with playwright-core from npm (no browser download: executablePath /usr/bin/chromium).
  PACKAGES+=(chromium)
  # PHP's SoapClient and suds for the SOAP end-to-end tests (tests/e2e/test_soap_php.py,
  # test_soap_suds.py; suds runs with Debian's /usr/bin/python3, as zeep does).
  PACKAGES+=(php-cli php-soap python3-suds)
  # gSOAP's wsdl2h/soapcpp2 and libgsoapssl++ for the C++ client generated from the served WSDLs
  # (tests/e2e/test_soap_gsoap.py; compiled into <build>/e2e-gsoap).
  PACKAGES+=(gsoap libgsoap-dev)
  # Mono for the .NET client generated from the served WSDLs (tests/e2e/test_soap_dotnet.py;
  # compiled into <build>/e2e-mono): wsdl (wsdl.exe) is only in mono-devel, which brings mcs,
  # the runtime and System.Web.Services (libmono-system-web-services4.0-cil) with it.
  PACKAGES+=(mono-devel)
  # node-soap for the SOAP end-to-end tests and OpenUI5 and playwright-core for the UI5 test come
  # from the npm registry; Debian's npm only where node came without one (a NodeSource nodejs
  # ships its own).
  command -v npm >/dev/null || PACKAGES+=(npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
