#!/usr/bin/env bash
# Arazzo runner benchmark: bench/arazzo/run.sh [iterations=50]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/Arazzo.Cli -v q -nologo
# The same tool compiled ahead of time (ReadyToRun; the SDK fetches the Crossgen2 pack from NuGet).
dotnet publish -c Release -r linux-x64 --self-contained false src/Arazzo.Cli -o bench/arazzo/bin/arazzo-r2r -v q -nologo
dotnet run -c Release --project bench/arazzo -v q -- "${1:-50}" "$PWD"
