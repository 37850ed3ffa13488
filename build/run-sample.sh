#!/usr/bin/env bash
# Runs the main job end to end on a fresh clone, the way a user's project meets the product:
#   1. installs the Fashion-MNIST data (Debian package dataset-fashion-mnist) if it is missing;
#   2. packs HwAwareNas.Build, the hwnas tool and the device agent into ./feed (build/pack.sh; skipped while the feed is newer than
#      the sources);
#   3. builds samples/FashionMnistApp: its PackageReference to HwAwareNas.Build runs the search through the packed
#      tool (`dotnet hwnas`, pinned by the sample's tool manifest) and writes bin/Release/net10.0/hwnas/model.onnx;
#   4. runs the app: it classifies the Fashion-MNIST test images with ONNX Runtime and prints accuracy and latency
#      beside what the search measured.
# A second run finds the model up to date and skips the search.
# Usage: build/run-sample.sh [DEVICE]   DEVICE: a profile in samples/FashionMnistApp/devices (e.g. cpu-2threads);
#        its model goes to hwnas/DEVICE/ and leaves the default one alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
device="${1:-}"
app="samples/FashionMnistApp"
started=$SECONDS

if [ -n "$device" ] && [ ! -f "$app/devices/$device.yaml" ]; then
  echo "run-sample.sh: no device profile $app/devices/$device.yaml (have: $(cd "$app/devices" && ls -- *.yaml | sed 's/\.yaml$//' | tr '\n' ' '))" >&2
  exit 2
fi

if [ -z "${HWNAS_DATA:-}" ] && [ ! -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== installing dataset-fashion-mnist (apt-get)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist
fi

feed="$root/feed"
stamp="$feed/.packed"
# What goes into the packages (this script and test.sh do not).
sources=(src build/HwAwareNas.Build.props build/HwAwareNas.Build.targets build/native build/pack.sh
  Directory.Build.props Directory.Build.targets Directory.Packages.props global.json hwnas.yaml.example)
if [ ! -f "$stamp" ] || [ -n "$(find "${sources[@]}" -newer "$stamp" -type f -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]; then
  build/pack.sh "$feed"
  touch "$stamp"
else
  echo "== feed/ is newer than the sources (not packing; delete feed/ to pack again)"
fi

cd "$app"
echo "== dotnet tool restore (the hwnas tool from feed/, pinned in $app/.config/dotnet-tools.json)"
dotnet tool restore
build_log="$root/$app/obj/run-sample-build.log"
mkdir -p obj
echo "== dotnet build -c Release${device:+ -p:HwNasDevice=$device} (runs the search when its inputs changed; full log: $build_log)"
# Normal verbosity carries the tool's progress; the filter keeps it, errors, warnings and the summary.
dotnet build -c Release ${device:+"-p:HwNasDevice=$device"} -tl:off -v:n -nologo "-flp:LogFile=$build_log;Verbosity=normal" \
  | sed -un -E '/hwnas optimize|hwnas:|_HwNasRunOptimize"|: (error|warning) | -> |Build succeeded|Build FAILED|[0-9]+ (Warning|Error)\(s\)|Time Elapsed/p'
report="$root/$app/bin/Release/net10.0/hwnas/${device:+$device/}report.md"
# What the search bought over scaling every gene alike (the report's uniform baselines, measured in the same run).
[ -f "$report" ] && grep -m1 -E "^(Against uniform scaling|No uniformly scaled)" "$report" | sed 's/^/hwnas report: /' || true
echo "== dotnet run (classifies the test images with the built model)"
dotnet run -c Release --no-build -- ${device:+"$device"}

outputs="$app/bin/Release/net10.0/hwnas/${device:+$device/}"
echo
echo "Done in $((SECONDS - started)) s. Outputs:"
echo "  $outputs   model.onnx, report.html, report.md, results.json, pareto.csv, inference_settings.json"
echo "  $app/.hwnas/results.db   every accuracy and latency measured (reused by later runs)"
echo "  feed/   the packed HwAwareNas.Build, HwAwareNas.Tool and HwAwareNas.Agent packages"
