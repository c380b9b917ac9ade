#!/usr/bin/env bash
# The soak test (SoakTests): the checkout under a steady load on 127.0.0.1 while its stand-ins go through scripted
# outages. SOAK_SECONDS sets its duration (60 by default, as in the normal build; 600 for the long run in docs/soak.md).
# Run from anywhere; it installs the modules the sample app needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${SOAK_SECONDS:-60}"
mvn -B -q -pl sample-app -am install -DskipTests
mvn -B -pl sample-app test -Dtest=SoakTests -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.seconds="$seconds" \
  | grep -E '^(soak:|  )|Tests run:|FAIL|ERROR' 
