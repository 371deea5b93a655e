#!/usr/bin/env bash
# Acknowledgement time of POST /api/slack/commands under load, on loopback.
# Open loop, our bot only:       bench/slack/run.sh [rate per second, default 200] [seconds, default 20]
# Burst, ours vs Bolt vs Kestrel: bench/slack/run.sh burst [seconds per round, default 10] [rounds, default 3] [connections, default 16]
# Variables named BOT_X reach our bot as X (e.g. BOT_DOTNET_gcServer=0); BENCH_ONLY=ours,bolt,bare,floor picks servers
# (floor: bare Kestrel that also sends the views.open every server here must send).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/ChatOpsMfa -v q -nologo
dotnet build -c Release bench/slack/SlackAckBench -v q -nologo
app=src/ChatOpsMfa/bin/Release/net10.0/ChatOpsMfa.dll
bench=bench/slack/SlackAckBench/bin/Release/net10.0/SlackAckBench.dll
if [[ "${1:-}" == burst ]]; then
  dotnet build -c Release bench/slack/BareEndpoint -v q -nologo
  if [[ ! -d bench/slack/bolt/node_modules ]]; then
    (cd bench/slack/bolt && npm ci --no-audit --no-fund)
  fi
  exec dotnet "$bench" "$app" burst bench/slack/BareEndpoint/bin/Release/net10.0/BareEndpoint.dll bench/slack/bolt \
    "${2:-10}" "${3:-3}" "${4:-16}"
fi
exec dotnet "$bench" "$app" "${1:-200}" "${2:-20}"
