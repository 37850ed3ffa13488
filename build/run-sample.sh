#!/usr/bin/env bash
# Runs the main job on the bundled sample on a fresh clone: installs the Fashion-MNIST data, builds the tool and
# runs `dotnet hwnas optimize` on samples/fashion-mnist/hwnas.yaml. Outputs land in samples/fashion-mnist/hwnas/.
# Extra arguments go to optimize (e.g. --validations 30).
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

dotnet build src/HwAwareNas.Tool -c Release
dotnet src/HwAwareNas.Tool/bin/Release/net10.0/HwAwareNas.Tool.dll optimize samples/fashion-mnist/hwnas.yaml "$@"
