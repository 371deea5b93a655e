#!/usr/bin/env bash
# Acknowledgement time of POST /api/slack/commands under load, on loopback.
# Usage: bench/slack/run.sh [rate per second, default 200] [seconds, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/ChatOpsMfa -v q -nologo
dotnet build -c Release bench/slack/SlackAckBench -v q -nologo
dotnet bench/slack/SlackAckBench/bin/Release/net10.0/SlackAckBench.dll \
  src/ChatOpsMfa/bin/Release/net10.0/ChatOpsMfa.dll "${1:-200}" "${2:-20}"
