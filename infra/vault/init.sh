#!/bin/sh
# docker-compose's Vault init step: initializes OpenBao on its first start, unseals it on every
# start, runs setup.sh, stores the database credentials Payrail reads in production, and hands the
# applications their AppRole login as files Spring reads (configtree).
#
# Where the unseal key goes is this compose's simplification, not a production practice: one key
# share, kept with the root token in the vault-init volume (owner-only). A real deployment uses
# several shares held by different people, or auto-unseal with a cloud KMS, and revokes the root
# token after setup. See docs/secrets.md.
#
# Needs: BAO_ADDR, PAYRAIL_DB_APP_PASSWORD, PAYRAIL_DB_OWNER_PASSWORD; volumes /vault-init (private) and /run/payrail-vault (shared
# with the api and workers).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
keys=${VAULT_INIT_DIR:-/vault-init}/init.json
login=${PAYRAIL_VAULT_LOGIN_DIR:-/run/payrail-vault}
umask 077

until bao status -format=json >/dev/null 2>&1 || [ $? -eq 2 ]; do
  sleep 1
done

if ! bao status -format=json | grep -q '"initialized": true'; then
  bao operator init -key-shares=1 -key-threshold=1 -format=json >"$keys"
  echo "vault: initialized"
fi
# The image has no jq: the JSON is flattened and the two fields cut out.
unseal_key=$(tr -d '\n ' <"$keys" | sed -n 's/.*"unseal_keys_b64":\["\([^"]*\)".*/\1/p')
bao operator unseal "$unseal_key" >/dev/null
echo "vault: unsealed"

BAO_TOKEN=$(tr -d '\n ' <"$keys" | sed -n 's/.*"root_token":"\([^"]*\)".*/\1/p')
export BAO_TOKEN
sh "$here/setup.sh"

# From stdin: passwords never appear in a process list.
printf '{"app-username":"payrail_app","app-password":"%s","owner-username":"payrail","owner-password":"%s"}' \
  "$PAYRAIL_DB_APP_PASSWORD" "$PAYRAIL_DB_OWNER_PASSWORD" | bao kv put -mount=secret payrail/database - >/dev/null
echo "secret/payrail/database: written"

mkdir -p "$login"
bao read -field=role_id auth/approle/role/payrail/role-id >"$login/payrail.vault.role-id"
bao write -f -field=secret_id auth/approle/role/payrail/secret-id >"$login/payrail.vault.secret-id"
chmod 0444 "$login"/payrail.vault.*
echo "approle login for the applications: written"
