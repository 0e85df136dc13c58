#!/usr/bin/env bash
# Runs the SDK end-to-end test against a running gateway.
#   GATEWAY_BASE_URL=http://127.0.0.1:8080/client/v4 GATEWAY_TOKEN=<write token, accounts *> \
#   [GATEWAY_READ_TOKEN=<read token, accounts *>] [GATEWAY_ACCOUNT=<prefix>] \
#   [GATEWAY_ADMIN_TOKEN=<admin token: the retry tests>] [GATEWAY_LIMITED_TOKEN=<token with a small rate limit>] ./run.sh
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")"
: "${GATEWAY_BASE_URL:?set GATEWAY_BASE_URL, e.g. http://127.0.0.1:8080/client/v4}"
: "${GATEWAY_TOKEN:?set GATEWAY_TOKEN to a write token}"
if [ ! -d node_modules/cloudflare ]; then
  npm ci --no-audit --no-fund
fi
exec node --test --test-reporter=spec --test-timeout=900000 registrations.test.mjs
