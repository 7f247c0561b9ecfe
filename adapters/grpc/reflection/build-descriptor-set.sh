#!/usr/bin/env bash
# Builds adapters/grpc/reflection/descriptor-set.binpb, the FileDescriptorSet the reflection service serves:
# proto/ (listings/v1/listings.proto and the google/protobuf files it imports), grpc/health/v1/health.proto
# from grpc-health-check, and google/rpc/error_details.proto (the subset next to this script) so that grpcurl
# can decode the error details. Compiled by buf, because the descriptors @grpc/proto-loader derives from protobufjs are
# not valid for protobuf-go clients such as grpcurl (wrong file names, no imports, map entries not named *Entry).
# Usage: adapters/grpc/reflection/build-descriptor-set.sh [output]   (default: the committed file)
# Run it after changing proto/; test/unit/grpc-server/reflection-descriptors.test.ts fails while it is stale.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../../../scripts/node-env.sh"
out="${1:-$here/descriptor-set.binpb}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/health/grpc/health/v1"
cp "$LISTINGS_ROOT/node_modules/grpc-health-check/proto/health/v1/health.proto" "$tmp/health/grpc/health/v1/health.proto"
buf build "$LISTINGS_ROOT/proto" --as-file-descriptor-set --exclude-source-info -o "$tmp/listings.binpb"
buf build "$tmp/health" --as-file-descriptor-set --exclude-source-info -o "$tmp/health.binpb"
mkdir -p "$tmp/rpc/google/rpc"
cp "$here/google/rpc/error_details.proto" "$tmp/rpc/google/rpc/error_details.proto"
buf build "$tmp/rpc" --as-file-descriptor-set --exclude-source-info -o "$tmp/rpc.binpb"
# A FileDescriptorSet is one repeated field, so serialized sets concatenate into one (the reflection service
# keeps the first copy of a file that appears twice, such as google/protobuf/duration.proto).
cat "$tmp/listings.binpb" "$tmp/health.binpb" "$tmp/rpc.binpb" > "$out"
