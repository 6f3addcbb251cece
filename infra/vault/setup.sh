#!/bin/sh
# Sets up what Payrail needs in Vault (or OpenBao, which speaks the same API), from the files beside
# this script. Idempotent: run it on every deploy. Needs the `bao` CLI (or `vault`, as BAO_CLI) on
# PATH, BAO_ADDR and a token that may manage mounts, policies and auth methods in BAO_TOKEN.
#
#   BAO_ADDR=http://vault:8200 BAO_TOKEN=... infra/vault/setup.sh
#
# What it makes (names are Payrail's defaults, see docs/secrets.md):
#   transit/keys/card-data        card numbers and CVCs (derived key: context = token/field)
#   transit/keys/webhook-secrets  webhook signing secrets (context = endpoint id) and merchants'
#                                 payout account numbers (context = merchant/bank_account)
#   secret/payrail/card-fingerprint  the HMAC key of card fingerprints, 32 random bytes, base64,
#                                 generated here once and never again (a new key changes every
#                                 fingerprint)
#   policy payrail-app            what the api and workers may do, nothing more
#   auth/approle/role/payrail     the production login (role id and secret id are read by the
#                                 operator and handed to the applications' environment)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bao="${BAO_CLI:-bao}"

mounted() {
  "$bao" secrets list -format=json | grep -q "\"$1/\""
}

if mounted transit; then
  echo "transit: present"
else
  "$bao" secrets enable transit >/dev/null
  echo "transit: enabled"
fi

# Only the dev server's keys may be backed up in plaintext (it keeps them in memory and saves them in
# its home between runs); a real Vault's keys never leave it.
backup=""
if [ "${PAYRAIL_VAULT_DEV_BACKUP:-false}" = true ]; then
  backup="exportable=true allow_plaintext_backup=true"
fi
for key in card-data webhook-secrets; do
  if "$bao" read "transit/keys/$key" >/dev/null 2>&1; then
    echo "transit key $key: present"
  else
    # shellcheck disable=SC2086
    "$bao" write -f "transit/keys/$key" type=aes256-gcm96 derived=true $backup >/dev/null
    echo "transit key $key: created"
  fi
done

if mounted secret; then
  echo "kv secret/: present"
else
  "$bao" secrets enable -path=secret -version=2 kv >/dev/null
  echo "kv secret/: enabled"
fi

if "$bao" kv get -mount=secret payrail/card-fingerprint >/dev/null 2>&1; then
  echo "card-fingerprint key: present"
else
  # From stdin, so the key never appears in a process list.
  head -c 32 /dev/urandom | base64 | tr -d '\n' \
    | "$bao" kv put -mount=secret payrail/card-fingerprint key=- >/dev/null
  echo "card-fingerprint key: generated"
fi

"$bao" policy write payrail-app "$here/payrail-app.hcl" >/dev/null
echo "policy payrail-app: written"

if "$bao" auth list -format=json | grep -q '"approle/"'; then
  echo "approle: present"
else
  "$bao" auth enable approle >/dev/null
  echo "approle: enabled"
fi
"$bao" write auth/approle/role/payrail token_policies=payrail-app token_ttl=1h \
  token_max_ttl=24h secret_id_ttl=0 >/dev/null
echo "approle role payrail: written"
