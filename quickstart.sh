#!/usr/bin/env bash
# One command: builds what it needs, then runs Kafka, a Connect worker, the StarRocks emulator
# and MariaDB in one process and loads sample orders through the sink. ./quickstart.sh --help
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v java >/dev/null 2>&1; then
  echo "error: no java on the PATH: install a JDK 17 or later (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless)" >&2
  exit 2
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  echo "error: java ${java_major:-?} found, the quickstart needs Java 17 or later (set JAVA_HOME or PATH to one)" >&2
  exit 2
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "error: no mvn on the PATH: install Maven 3.8 or later (Debian/Ubuntu: apt-get install maven)" >&2
  exit 2
fi

echo "==> Building the connector, emulator, warnings reporter and quickstart (mvn package, tests skipped)"
mvn -B -q -DskipTests package -pl quickstart -am

exec java -cp "quickstart/target/classes:$(cat quickstart/target/classpath.txt)" \
  io.streamload.quickstart.Quickstart "$@"
