#!/usr/bin/env bash
# Runs the whole test suite on a fresh clone: installs what the tests need, restores, builds and tests.
# Usage: build/test.sh [extra dotnet test arguments]. TRX results go to TestResults/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Debian packages the tests use: Fashion-MNIST (real data), python3-onnx (the independent ONNX checker),
# python3-torch (regenerates the OFA import fixtures to check the committed ones; Debian's own interpreter) and
# redis-server (the device-agent tests start their own on a free loopback port; no service is installed or started).
need=()
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
python3 -c "import onnx" 2>/dev/null || need+=(python3-onnx)
/usr/bin/python3 -c "import torch" 2>/dev/null || need+=(python3-torch)
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${need[*]} (apt-get)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi

rm -rf TestResults
dotnet restore HwAwareNas.Tool.sln
dotnet build HwAwareNas.Tool.sln --no-restore -c Release
# One run per test project, each with its own TRX file (a solution-wide run names them by timestamp, which can collide).
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" --no-build -c Release --logger "trx;LogFileName=$name.trx" --results-directory TestResults "$@" || status=1
done
exit $status
