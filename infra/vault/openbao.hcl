# The production-shaped Vault of docker-compose.yml: OpenBao with Raft storage in a volume, sealed
# on every start until infra/vault/init.sh unseals it. Plain http inside the compose network only;
# a real deployment terminates TLS here (tls_cert_file, tls_key_file).
storage "raft" {
  path    = "/openbao/data"
  node_id = "payrail-vault-1"
}

listener "tcp" {
  address         = "0.0.0.0:8200"
  cluster_address = "0.0.0.0:8201"
  tls_disable     = true
}

api_addr     = "http://vault:8200"
cluster_addr = "http://vault:8201"
ui           = false
