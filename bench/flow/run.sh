#!/usr/bin/env bash
# The whole flow, timed (Approve click to factor id posted, and how much of it the Okta sandbox spent), on loopback.
# Usage: bench/flow/run.sh [recoveries, default 50]
# PostgreSQL: BOT_Storage__Provider=PostgreSQL BOT_ConnectionStrings__ChatOpsMfa='Host=...;Database=...' bench/flow/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/ChatOpsMfa -v q -nologo
dotnet build -c Release bench/flow -v q -nologo
exec dotnet bench/flow/bin/Release/net10.0/ChatOpsMfa.FlowBench.dll src/ChatOpsMfa/bin/Release/net10.0/ChatOpsMfa.dll "${1:-50}"
