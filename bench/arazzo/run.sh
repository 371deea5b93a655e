#!/usr/bin/env bash
# Arazzo runner benchmark: bench/arazzo/run.sh [iterations=50]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/Arazzo.Cli -v q -nologo
dotnet run -c Release --project bench/arazzo -v q -- "${1:-50}" "$PWD"
