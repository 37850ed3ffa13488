#!/usr/bin/env bash
# Packs the MSBuild package (HwAwareNas.Build), the tool package (HwAwareNas.Tool) and the device agent's package
# (HwAwareNas.Agent, command hwnas-agent) into a local feed folder.
# Usage: build/pack.sh [feed-dir]   (default: ./feed at the repository root)
# The tool is packed for linux-x64 only: a small HwAwareNas.Tool package that points `dotnet tool install` at
# HwAwareNas.Tool.linux-x64 (~150 MB, libtorch and ONNX Runtime included); libtorch has no linux-arm64 build. The agent
# loads no libtorch and is packed for linux-x64 and linux-arm64 (~20 MB each, ONNX Runtime included), for devices.
# Expect a few minutes on a cold build.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="${1:-$repo_root/feed}"
mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"

for project in HwAwareNas.Build HwAwareNas.Tool HwAwareNas.Agent; do
  echo "== packing $project into $feed"
  start=$SECONDS
  dotnet pack "$repo_root/src/$project/$project.csproj" -c Release -o "$feed" --nologo
  echo "== $project packed in $((SECONDS - start)) s"
  # Restore never re-reads a version it has cached: drop the cached copy of every package just packed (the tool's
  # RID-specific one included) so consumers get what was just packed.
  for package in "$feed/$project".*.nupkg; do
    name="$(basename "$package" .nupkg)"
    if [[ "${name#"$project"}" =~ ^(\.[A-Za-z][A-Za-z0-9-]*)?\.([0-9].*)$ ]]; then
      id="$(echo "$project${BASH_REMATCH[1]}" | tr '[:upper:]' '[:lower:]')"
      rm -rf "${packages:?}/$id/${BASH_REMATCH[2]}"
    fi
  done
done

ls -l "$feed"/*.nupkg
