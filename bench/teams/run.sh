#!/usr/bin/env bash
# Teams /api/messages benchmark on loopback: bench/teams/run.sh [seconds=10] [concurrency=16]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/ChatOpsMfa -v q -nologo
dotnet run -c Release --project bench/teams -- "${1:-10}" "${2:-16}" src/ChatOpsMfa/bin/Release/net10.0/ChatOpsMfa.dll
