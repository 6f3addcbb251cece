#!/bin/sh
# Registers the Payrail namespace and its search attributes on a Temporal cluster, from the files
# beside this script. Idempotent: run it on every deploy. Needs the `temporal` CLI on PATH.
#
#   TEMPORAL_ADDRESS=temporal:7233 infra/temporal/setup.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/namespace.env"
address="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
namespace="$PAYRAIL_NAMESPACE"

if temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace: present"
else
  temporal operator namespace create --address "$address" --namespace "$namespace" \
    --retention "$PAYRAIL_NAMESPACE_RETENTION"
  echo "namespace $namespace: created"
fi

# A new namespace reaches every frontend only after its cache refreshes (about 10 s): retry.
register() {
  name="$1"
  type="$2"
  attempt=1
  while :; do
    if temporal operator search-attribute list --address "$address" --namespace "$namespace" \
      2>/dev/null | grep -qw "$name"; then
      echo "search attribute $name ($type): present"
      return 0
    fi
    if temporal operator search-attribute create --address "$address" --namespace "$namespace" \
      --name "$name" --type "$type" >/dev/null 2>&1; then
      echo "search attribute $name ($type): created"
      return 0
    fi
    if [ "$attempt" -ge 30 ]; then
      echo "search attribute $name ($type): could not be registered on $address" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 1
  done
}

grep -v '^[[:space:]]*#' "$here/search-attributes.txt" | while read -r name type; do
  [ -n "$name" ] && register "$name" "$type"
done
