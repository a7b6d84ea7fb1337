#!/bin/sh
# Registers the namespace and bereik's search attributes on a running Temporal server with the `temporal` CLI, as
# tools/toolchain/temporal-server.ts does through the gRPC API; nothing happens for what exists already.
# Search attributes are stored unencrypted: operational facts only, never personal data.
set -eu
address=${TEMPORAL_ADDRESS:?}
namespace=${TEMPORAL_NAMESPACE:-default}
if ! temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  temporal operator namespace create --address "$address" --namespace "$namespace" --retention 30d
fi
existing=$(temporal operator search-attribute list --address "$address" --namespace "$namespace")
for name in BereikMunicipality BereikStatus BereikSegment; do
  if ! printf '%s\n' "$existing" | grep -qw "$name"; then
    temporal operator search-attribute create --address "$address" --namespace "$namespace" --name "$name" --type Keyword
  fi
done
echo "namespace $namespace ready"
