#!/usr/bin/env bats
# A registry over TLS (a CA and certificate the test makes with openssl)
# and one with Bearer-token auth (distribution's `auth: token:` with the
# small token service in tests/helpers/token-server.py): push, pull, login.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  command -v docker-registry >/dev/null || skip "docker-registry (Debian package docker-registry) is not installed"
  command -v openssl >/dev/null || skip "openssl is not installed"
  pt_new_store "$BATS_TEST_TMPDIR"
  export REGISTRY_AUTH_FILE=$BATS_TEST_TMPDIR/auth.json
  K=$BATS_TEST_TMPDIR/keys
  mkdir -p "$K"
}

teardown () {
  local f
  for f in "$BATS_TEST_TMPDIR"/*/pid "$BATS_TEST_TMPDIR/token.pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  pt rm -a -f >/dev/null 2>&1 || true
  pt_cleanup "$BATS_TEST_TMPDIR"
}

# A self-signed key and certificate: $K/NAME.key, $K/NAME.crt.
self_signed () {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$K/$1.key" -out "$K/$1.crt" -days 2 \
    -subj "/CN=$2" 2>/dev/null
}

@test "TLS: an untrusted certificate is named with the way out; --cert-dir, certs.d/HOST and --tls-verify=false reach it" {
  self_signed ca "podtool test CA"
  openssl req -newkey rsa:2048 -nodes -keyout "$K/srv.key" -out "$K/srv.csr" -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' > "$K/ext"
  openssl x509 -req -in "$K/srv.csr" -CA "$K/ca.crt" -CAkey "$K/ca.key" -CAcreateserial \
    -out "$K/srv.crt" -days 2 -extfile "$K/ext" 2>/dev/null
  start_registry "$BATS_TEST_TMPDIR/sreg" "  tls:
    certificate: $K/srv.crt
    key: $K/srv.key"
  mkdir -p "$BATS_TEST_TMPDIR/certs"
  cp "$K/ca.crt" "$BATS_TEST_TMPDIR/certs/"
  run_podtool 125 push -q $IMAGE "$REG/t/box:1"
  assert_output_contains "the registry's TLS certificate is not trusted"
  assert_output_contains "--cert-dir"
  run_podtool push -q --cert-dir "$BATS_TEST_TMPDIR/certs" $IMAGE "$REG/t/box:1"
  pt rmi -f $IMAGE >/dev/null
  run_podtool 125 pull -q "$REG/t/box:1"
  assert_output_contains "not trusted"
  run_podtool pull -q --cert-dir "$BATS_TEST_TMPDIR/certs" "$REG/t/box:1"
  pt rmi -f "$REG/t/box:1" >/dev/null
  # run and create pull through the same flags; login speaks TLS as they do.
  run_podtool 125 run --rm "$REG/t/box:1" true
  assert_output_contains "not trusted"
  run_podtool run --rm --cert-dir "$BATS_TEST_TMPDIR/certs" "$REG/t/box:1" echo via-run
  assert_last_line "via-run"
  pt rmi -f "$REG/t/box:1" >/dev/null
  run_podtool create -q --cert-dir "$BATS_TEST_TMPDIR/certs" "$REG/t/box:1" true
  pt rm -a -f >/dev/null
  run_podtool 125 login -u alice -p s3cret "$REG"
  assert_output_contains "not trusted"
  run_podtool login --cert-dir "$BATS_TEST_TMPDIR/certs" -u alice -p s3cret "$REG"
  assert_output_contains "Login Succeeded!"
  pt rmi -f "$REG/t/box:1" >/dev/null
  # Podman's place for a registry's CA, found without a flag.
  export HOME=$BATS_TEST_TMPDIR/home XDG_CONFIG_HOME=
  mkdir -p "$HOME/.config/containers/certs.d/$REG"
  cp "$K/ca.crt" "$HOME/.config/containers/certs.d/$REG/"
  run_podtool pull -q "$REG/t/box:1"
  run_podtool run --rm "$REG/t/box:1" stat -c %u:%g /home/app/owned.txt
  assert_output "1000:1000"
  rm -rf "$HOME/.config/containers/certs.d"
  pt rmi -f "$REG/t/box:1" >/dev/null
  run_podtool pull -q --tls-verify=false "$REG/t/box:1"
}

@test "Bearer tokens: a token for pull and push from the realm the challenge names, with the login's credentials; anonymous is refused" {
  self_signed tok "token signer"
  local tport
  tport=$(free_port)
  python3 "$PODTOOL_SRCDIR/tests/helpers/token-server.py" "$tport" "$K/tok.key" "$K/tok.crt" \
    pt-issuer alice:s3cret "$BATS_TEST_TMPDIR/token.log" &
  echo $! > "$BATS_TEST_TMPDIR/token.pid"
  wait_listening "$tport"
  start_registry "$BATS_TEST_TMPDIR/treg" "auth:
  token:
    realm: http://127.0.0.1:$tport/token
    service: pt-registry
    issuer: pt-issuer
    rootcertbundle: $K/tok.crt"
  run_podtool 125 push -q --tls-verify=false $IMAGE "$REG/t/box:1"
  assert_output_contains "authentication required: run \`podtool login $REG\`"
  run_podtool 125 login --tls-verify=false -u alice -p wrong "$REG"
  assert_output "Error: logging into \"$REG\": invalid username/password"
  run_podtool login --tls-verify=false -u alice -p s3cret "$REG"
  assert_output "Login Succeeded!"
  run_podtool push -q --tls-verify=false $IMAGE "$REG/t/box:1"
  # The registry names the actions in either order (a Go map).
  grep -Eq "repository:t/box:(pull,push|push,pull) auth=ok" "$BATS_TEST_TMPDIR/token.log"
  pt rmi -f $IMAGE >/dev/null
  : > "$BATS_TEST_TMPDIR/token.log"
  run_podtool pull -q --tls-verify=false "$REG/t/box:1"
  # One token serves the pull's manifest, config and its layers in parallel.
  [ "$(grep -c "^/token repository:t/box:pull auth=ok" "$BATS_TEST_TMPDIR/token.log")" -eq 1 ] \
    || { cat "$BATS_TEST_TMPDIR/token.log" >&2; false; }
  # A push to another repository mounts the blobs from the one pulled from:
  # the mount's challenge names both repositories, each asked for in a
  # scope of its own, one token for both.
  : > "$BATS_TEST_TMPDIR/token.log"
  run_podtool push -q --tls-verify=false "$REG/t/box:1" "$REG/t/copy:1"
  grep "auth=ok$" "$BATS_TEST_TMPDIR/token.log" | grep "repository:t/box:pull" \
    | grep -Eq "repository:t/copy:(pull,push|push,pull)" \
    || { cat "$BATS_TEST_TMPDIR/token.log" >&2; false; }
  [ "$(wc -l < "$BATS_TEST_TMPDIR/token.log")" -le 2 ]
  run skopeo inspect --tls-verify=false --authfile "$REGISTRY_AUTH_FILE" --format '{{.Name}}' "docker://$REG/t/copy:1"
  assert_output "$REG/t/copy"
  run_podtool run --rm "$REG/t/box:1" stat -c %u:%g /home/app/owned.txt
  assert_output "1000:1000"
  if command -v skopeo >/dev/null; then
    run skopeo inspect --tls-verify=false --authfile "$REGISTRY_AUTH_FILE" --format '{{.Name}}' "docker://$REG/t/box:1"
    assert_output "$REG/t/box"
  fi
}
