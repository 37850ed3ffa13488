#!/usr/bin/env bash
# Packs the MSBuild package (HwAwareNas.Build) and the tool package (HwAwareNas.Tool) into a local feed folder.
# Usage: build/pack.sh [feed-dir]   (default: ./feed at the repository root)
# The tool package carries TorchSharp's libtorch and ONNX Runtime natives for every platform: expect about two
# minutes and a ~500 MB .nupkg (~1.4 GB unpacked).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="${1:-$repo_root/feed}"
mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"

for project in HwAwareNas.Build HwAwareNas.Tool; do
  echo "== packing $project into $feed"
  start=$SECONDS
  dotnet pack "$repo_root/src/$project/$project.csproj" -c Release -o "$feed" --nologo
  echo "== $project packed in $((SECONDS - start)) s"
  # Restore never re-reads a version it has cached: drop the cached copy so consumers get what was just packed.
  id="$(echo "$project" | tr '[:upper:]' '[:lower:]')"
  for package in "$feed/$project".*.nupkg; do
    version="$(basename "$package" .nupkg)"
    version="${version#"$project".}"
    rm -rf "${packages:?}/$id/$version"
  done
done

ls -l "$feed"/*.nupkg
