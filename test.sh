#!/usr/bin/env bash
# Runs every test of the project: installs what the tests need and a fresh Debian/Ubuntu machine
# lacks, then `mvn -B verify`. Arguments are passed on to Maven (e.g. ./test.sh -pl connector -am).
#
# What it may install, with apt-get (as root, or through sudo), only when missing:
#   - a JDK 17 and Maven, when `java` or `mvn` is not on the PATH;
#   - nginx-light: the real nginx that the load-balancer integration tests (NginxLoadBalancerIT) run;
#   - chromium and chromium-driver: the headless browser (/usr/bin/chromium, /usr/bin/chromedriver) in
#     which the warnings page's test (WarningsPageBrowserTest) clicks through `serve`'s page;
#   - the libraries the embedded MariaDB server links against (warnings-reporter/SYSTEM-PACKAGES.txt).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
for pkg in $(grep -v '^#' warnings-reporter/SYSTEM-PACKAGES.txt); do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
# The browser test drives exactly these paths; a browser elsewhere on the PATH is not used.
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> Installing what the tests need: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "error: the tests need ${missing[*]}; install them as root (apt-get install ${missing[*]}) and run again" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

exec mvn -B verify "$@"
