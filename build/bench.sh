#!/usr/bin/env bash
# Runs the benchmark suite on the Fashion-MNIST sample: search efficiency, predictor quality, selection loss,
# measurement cost, device agents (real hwnas-agent and redis-server processes on loopback), several devices in one
# run, latency predictor transfer between two emulated devices and validators (real `hwnas agent --role validator`
# processes). Writes Markdown tables and CSV files to benchmarks/results/<UTC date-time>[-quick]/.
# --suites ofa runs the deterministic OFA MobileNetV3 benchmark instead (oracle accuracy and a per-layer latency table; not
# part of the default run; about 15 minutes, --quick about 2).
# Usage: build/bench.sh [--quick] [--suites search,predictors,selection,cost,agents,devices,transfer,validators,ofa] (--help lists every option).
# The full run takes up to an hour on a 2-core machine, --quick a few minutes; measurements are cached in
# benchmarks/.work, so a later run only measures what is new. Not part of build/test.sh or CI.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] && [ -z "${HWNAS_DATA:-}" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing dataset-fashion-mnist (apt-get)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist
fi

# The benchmarks run the tool (optimize, train) and the device agent (agents suite) as child processes, so all are built.
dotnet build src/HwAwareNas.Tool -c Release -nologo -v quiet
dotnet build src/HwAwareNas.Agent -c Release -nologo -v quiet
dotnet build tests/HwAwareNas.Benchmarks -c Release -nologo -v quiet
exec dotnet tests/HwAwareNas.Benchmarks/bin/Release/net10.0/HwAwareNas.Benchmarks.dll --root "$root" \
  --tool "$root/src/HwAwareNas.Tool/bin/Release/net10.0/HwAwareNas.Tool.dll" "$@"
