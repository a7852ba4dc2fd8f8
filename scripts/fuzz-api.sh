#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis, against the real hub
# (`npm run dev` on a throwaway data folder and free ports). Fails on any server error or
# any answer (status, media type, body) the document does not describe.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tools/fuzz-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5
fi

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
data=$(mktemp -d /tmp/leadwire-fuzz-XXXXXX)
api=$(free_port)
export DATA_DIR="$data" PORT="$api" EMBEDDED_PG_PORT="$(free_port)" TEMPORAL_DEV_PORT="$(free_port)" \
  TEMPORAL_UI_PORT="$(free_port)" LOG_LEVEL=error LOG_PRETTY=false DATABASE_URL= TEMPORAL_ADDRESS=
# One caller sends every case: lift the per-key and per-address limits so cases are not 429s.
export RATE_LIMIT_PER_MINUTE=100000000 RATE_LIMIT_ANONYMOUS_PER_MINUTE=100000000
# Every webhook connector on, so that their routes are fuzzed too (throwaway secrets).
export TWILIO_AUTH_TOKEN=fuzz-twilio-token EVENTS_WEBHOOK_SECRET=fuzz-events-secret-0123456789abcdef \
  GOOGLE_ADS_WEBHOOK_KEY=fuzz-google-key
SENDGRID_WEBHOOK_PUBLIC_KEY=$(node -e "const {generateKeyPairSync}=require('crypto');console.log(generateKeyPairSync('ec',{namedCurve:'prime256v1'}).publicKey.export({type:'spki',format:'der'}).toString('base64'))")
export SENDGRID_WEBHOOK_PUBLIC_KEY
# Job control: the hub gets its own process group, so one signal reaches npm and node alike.
set -m
npm run dev >"$data/dev.log" 2>&1 &
hub=$!
set +m
stop() {
  kill -TERM -- "-$hub" 2>/dev/null || true
  # npm exits before node has stopped PostgreSQL and Temporal: wait for everything on $data.
  for _ in $(seq 1 150); do pgrep -f "$data" >/dev/null || break; sleep 0.2; done
  pkill -KILL -f "$data" 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT

for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$api/ready" >/dev/null && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$api/ready" >/dev/null || { cat "$data/dev.log"; exit 1; }

# Signed in as the first admin the hub printed, with an API key (not a session, which a
# fuzzed POST /v1/auth/logout would end), so every route is reached past authentication.
read -r email password < <(sed -n 's/^ *First admin *\([^ ]*\) *password \([^ ]*\).*/\1 \2/p' "$data/dev.log")
session=$(curl -sf "http://127.0.0.1:$api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | node -e "process.stdin.on('data',d=>console.log(JSON.parse(d).token))")
key=$(curl -sf "http://127.0.0.1:$api/v1/api-keys" -H 'content-type: application/json' \
  -H "authorization: Bearer $session" -d '{"name":"fuzz","scopes":[]}' | node -e "process.stdin.on('data',d=>console.log(JSON.parse(d).key))")
[ -n "$key" ] || { echo "could not sign in as the first admin"; cat "$data/dev.log"; exit 1; }

"$venv/bin/schemathesis" run "http://127.0.0.1:$api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --header "Authorization: Bearer $key" \
  `# Its stateful phase follows ids from lists: it would revoke or rotate its own key, or strip` \
  `# the admin role, and every later case would be a 401/403. Those routes have their own tests.` \
  --exclude-path-regex '^/v1/api-keys/\{id\}/(revoke|rotate)$' \
  --exclude-name 'PUT /v1/roles/{name}' --exclude-name 'DELETE /v1/roles/{name}/settings' \
  --max-examples "${FUZZ_EXAMPLES:-100}" --request-timeout 10 --seed 42 --no-color 2>&1 |
  # Its pytest-style banner lines ("=== 2 warnings in 22s ===") are dropped: CI log parsers
  # take them for the test run's summary. The figures stay ("Test cases: N generated, N passed").
  grep -v -E '^=+ .* =+$'
