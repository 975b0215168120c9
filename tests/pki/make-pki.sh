#!/bin/sh
# Makes the throw-away test PKI in DIR (nothing here is ever committed):
#   ca.pem            trusted test CA          (ca.key)
#   server.pem/.key   server.lanyard.test, signed by ca; server-enc.key is the
#                     same key encrypted with the passphrase "server-pass"
#   client.pem/.key   user@lanyard.test (clientAuth), signed by ca;
#                     client-enc.key encrypted with "client-pass"
#   other-ca.pem      a CA nobody trusts, and other-server.pem/.key signed by it
#   ec-server.pem/.key, ec-client.pem/.key   ECDSA P-256 leaves signed by ca
set -eu
DIR=${1:?usage: make-pki.sh DIR}
mkdir -p "$DIR"
cd "$DIR"
DAYS=3650

ext() {  # name usage san
  cat > "$1.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=$2
subjectAltName=$3
EXT
}

make_ca() {  # name cn
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days $DAYS \
    -subj "/O=Lanyard test/CN=$2" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

make_leaf() {  # name keyspec cn usage san ca
  openssl req -newkey "$2" -nodes -keyout "$1.key" -out "$1.csr" -subj "/O=Lanyard test/CN=$3" 2>/dev/null
  ext "$1" "$4" "$5"
  openssl x509 -req -in "$1.csr" -CA "$6.pem" -CAkey "$6.key" -CAcreateserial -out "$1.pem" \
    -days $DAYS -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

make_ca ca "Lanyard Test CA"
make_ca other-ca "Untrusted Test CA"
make_leaf server rsa:2048 server.lanyard.test serverAuth "DNS:server.lanyard.test,DNS:radius.lanyard.test" ca
make_leaf client rsa:2048 user@lanyard.test clientAuth "email:user@lanyard.test" ca
make_leaf other-server rsa:2048 server.lanyard.test serverAuth "DNS:server.lanyard.test" other-ca
make_leaf ec-server ec:/dev/stdin server.lanyard.test serverAuth "DNS:server.lanyard.test" ca <<EC
$(openssl genpkey -genparam -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)
EC
make_leaf ec-client ec:/dev/stdin user@lanyard.test clientAuth "email:user@lanyard.test" ca <<EC
$(openssl genpkey -genparam -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)
EC
openssl pkey -in server.key -aes256 -passout pass:server-pass -out server-enc.key
openssl pkey -in client.key -aes256 -passout pass:client-pass -out client-enc.key
# Chains for servers that send their CA along.
cat server.pem ca.pem > server-chain.pem
chmod 600 ./*.key
echo "pki: made test PKI in $DIR"
