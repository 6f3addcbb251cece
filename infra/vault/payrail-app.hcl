# What the api and workers may do in Vault: encrypt, decrypt and rewrap with Payrail's transit keys,
# rotate them and raise their minimum decryption version (the admin rotation endpoint does that
# through the application, which records who asked), and read Payrail's secrets under
# secret/payrail/ (card-fingerprint key; in production database and kafka credentials). Keys can
# never be read, exported or deleted with it.
path "transit/encrypt/card-data"        { capabilities = ["update"] }
path "transit/decrypt/card-data"        { capabilities = ["update"] }
path "transit/rewrap/card-data"         { capabilities = ["update"] }
path "transit/encrypt/webhook-secrets"  { capabilities = ["update"] }
path "transit/decrypt/webhook-secrets"  { capabilities = ["update"] }
path "transit/rewrap/webhook-secrets"   { capabilities = ["update"] }
path "transit/keys/card-data"           { capabilities = ["read"] }
path "transit/keys/webhook-secrets"     { capabilities = ["read"] }
path "transit/keys/card-data/rotate"       { capabilities = ["update"] }
path "transit/keys/webhook-secrets/rotate" { capabilities = ["update"] }
path "transit/keys/card-data/config"       { capabilities = ["update"] }
path "transit/keys/webhook-secrets/config" { capabilities = ["update"] }
path "secret/data/payrail/*"            { capabilities = ["read"] }
