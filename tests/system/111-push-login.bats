#!/usr/bin/env bats
# podtool push to a real registry (Debian's docker-registry) on 127.0.0.1,
# read back by skopeo, Podman and podtool; login, logout and the places
# credentials come from (auth.json, docker's config.json, a credential
# helper) against a registry with htpasswd basic auth.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  command -v docker-registry >/dev/null || skip "docker-registry (Debian package docker-registry) is not installed"
  command -v skopeo >/dev/null || skip "skopeo (Debian package skopeo) is not installed"
  pt_new_store "$BATS_TEST_TMPDIR"
  export REGISTRY_AUTH_FILE=$BATS_TEST_TMPDIR/auth.json
}

teardown () {
  local f
  for f in "$BATS_TEST_TMPDIR"/*/pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  pt rm -a -f >/dev/null 2>&1 || true
  pt_cleanup "$BATS_TEST_TMPDIR"
}

# A registry that wants alice:s3cret (bcrypt in htpasswd, as distribution needs).
start_auth_registry () {
  command -v htpasswd >/dev/null || skip "htpasswd (Debian package apache2-utils) is not installed"
  mkdir -p "$BATS_TEST_TMPDIR/areg"
  htpasswd -Bbn alice s3cret > "$BATS_TEST_TMPDIR/areg/htpasswd"
  start_registry "$BATS_TEST_TMPDIR/areg" "auth:
  htpasswd:
    realm: test
    path: $BATS_TEST_TMPDIR/areg/htpasswd"
}

@test "push (oci, v2s2, zstd): skopeo reads it, podtool and Podman pull it back and run it; a second push skips every blob" {
  start_registry "$BATS_TEST_TMPDIR/reg"
  pt run --name c $IMAGE sh -c 'echo pushed > /marker'
  pt commit -q c localhost/mine:1 >/dev/null
  run_podtool push --tls-verify=false --digestfile "$BATS_TEST_TMPDIR/digest" localhost/mine:1 "$REG/t/mine:1"
  assert_output_contains "Copying blob "
  assert_output_contains "Writing manifest to image destination"
  run skopeo inspect --tls-verify=false --format '{{.Digest}} {{len .Layers}}' "docker://$REG/t/mine:1"
  assert_output "$(cat "$BATS_TEST_TMPDIR/digest") 2"
  run skopeo inspect --tls-verify=false --raw "docker://$REG/t/mine:1"
  assert_output_contains "application/vnd.oci.image.manifest.v1+json"
  assert_output_contains "tar+gzip"
  run_podtool push --tls-verify=false localhost/mine:1 "docker://$REG/t/mine:1"
  assert_output_not_contains " done"
  assert_output_contains "skipped: already exists"
  run_podtool push -q --tls-verify=false --remove-signatures --disable-content-trust --format v2s2 localhost/mine:1 "$REG/t/mine:v2"
  assert_output ""
  if command -v script >/dev/null; then
    # On a terminal each blob's line is redrawn in place as it goes up.
    run script -qec "$PODTOOL --root $PT_ROOT --runroot $PT_RUNROOT push --tls-verify=false --format v2s2 localhost/mine:1 $REG/t/ttyrepo:1" /dev/null
    [[ "$output" == *$'\r\033[KCopying blob '*'] '*' / '* ]] || { printf '%q\n' "$output" >&2; false; }
  fi
  run skopeo inspect --tls-verify=false --raw "docker://$REG/t/mine:v2"
  assert_output_contains "application/vnd.docker.distribution.manifest.v2+json"
  run_podtool push -q --tls-verify=false --compression-format zstd localhost/mine:1 "$REG/t/mine:z"
  run skopeo inspect --tls-verify=false --raw "docker://$REG/t/mine:z"
  assert_output_contains "tar+zstd"
  # Back, into a store that never had it: each kind, the image id the
  # pushed config has (the layers are tars made anew, as save makes them).
  local id
  id=$(skopeo inspect --tls-verify=false --raw "docker://$REG/t/mine:1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["digest"][7:])')
  pt rm -f c >/dev/null
  pt rmi -f localhost/mine:1 $IMAGE >/dev/null
  local tag
  for tag in 1 v2 z; do
    run_podtool pull -q --tls-verify=false "$REG/t/mine:$tag"
    assert_output "$id"
  done
  run_podtool run --rm "$REG/t/mine:1" cat /marker
  assert_output "pushed"
  if command -v podman >/dev/null; then
    local conf=$BATS_TEST_TMPDIR/containers.conf
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' > "$conf"
    local P=(env -u REGISTRY_AUTH_FILE CONTAINERS_CONF="$conf" podman --root "$BATS_TEST_TMPDIR/podman-root"
      --runroot "$BATS_TEST_TMPDIR/podman-run" --storage-driver vfs)
    run "${P[@]}" pull -q --tls-verify=false "$REG/t/mine:v2"
    [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
    run "${P[@]}" run --rm --network none "$REG/t/mine:v2" cat /marker
    assert_output "pushed"
    "${P[@]}" unshare rm -rf "$BATS_TEST_TMPDIR/podman-root" "$BATS_TEST_TMPDIR/podman-run" 2>/dev/null || true
  fi
}

@test "a blob above 16 MiB goes up in chunks (PATCH with Content-Range, then PUT with the digest) and comes back whole; --compression-level" {
  REG_LOG_LEVEL=info start_registry "$BATS_TEST_TMPDIR/reg"
  head -c $((20 << 20)) /dev/urandom > "$BATS_TEST_TMPDIR/big"
  local sum
  sum=$(sha256sum < "$BATS_TEST_TMPDIR/big" | cut -d' ' -f1)
  pt run --name c -v "$BATS_TEST_TMPDIR/big:/big:ro" $IMAGE cp /big /big.copy
  pt commit -q c localhost/big:1 >/dev/null
  run_podtool push --tls-verify=false --compression-level 1 localhost/big:1 "$REG/t/big:1"
  assert_output_contains "Writing manifest to image destination"
  # Two chunks of the 20 MiB layer, none of the small blobs.
  local patches
  patches=$(grep -c 'http.request.method=PATCH' "$BATS_TEST_TMPDIR/reg/log")
  [ "$patches" -eq 2 ] || { echo "PATCH requests: $patches" >&2; false; }
  run_podtool 125 push --tls-verify=false --compression-level 10 localhost/big:1 "$REG/t/big:2"
  assert_output_contains "invalid --compression-level 10: gzip takes 1 to 9"
  pt rm -f c >/dev/null
  pt rmi -f localhost/big:1 >/dev/null
  run_podtool run --rm --tls-verify=false "$REG/t/big:1" sha256sum /big.copy
  assert_output_contains "$sum"
}

@test "a push whose scratch space runs out says so in one line, puts no manifest and leaves nothing; no process hangs" {
  start_registry "$BATS_TEST_TMPDIR/reg"
  mkdir -p "$BATS_TEST_TMPDIR/l"
  head -c $((7 << 20)) /dev/urandom > "$BATS_TEST_TMPDIR/l/big"
  tar -C "$BATS_TEST_TMPDIR/l" -cf "$BATS_TEST_TMPDIR/layer.tar" big
  sh "$PODTOOL_SRCDIR/tests/helpers/make-docker-archive.sh" "$BATS_TEST_TMPDIR/big.tar" localhost/big:1 "$BATS_TEST_TMPDIR/layer.tar"
  # A 12 MiB tmpfs of our own: room for the 7 MiB layer, not for it compressed too.
  local d=$BATS_TEST_TMPDIR/small
  mkdir -p "$d"
  run timeout 60 unshare -Urm sh -c 'mount -t tmpfs -o size=12m tmpfs "$1" || exit 9
    "$2" --root "$1/root" --runroot "$1/run" load -q -i "$3" >/dev/null 2>&1 || exit 8
    "$2" --root "$1/root" --runroot "$1/run" push -q --tls-verify=false localhost/big:1 "$4"
    echo "exit $?"; ls -A "$1/root/tmp"' sh "$d" "$PODTOOL" "$BATS_TEST_TMPDIR/big.tar" "$REG/t/big:1"
  echo "$output" >&2
  [ "$status" -eq 0 ]
  assert_output_contains "No space left on device"
  [ "${lines[-1]}" = "exit 125" ]
  [ "$(echo "$output" | grep -c Error)" -eq 1 ]
  run skopeo inspect --tls-verify=false "docker://$REG/t/big:1"
  [ "$status" -ne 0 ]
  assert_output_contains "manifest unknown"
}

@test "push errors: unknown image, a digest destination, bad --format, zstd with v2s2, nothing listening" {
  run_podtool 125 push nosuch:1 127.0.0.1:1/x:1
  assert_output "Error: nosuch:1: image not known"
  run_podtool 125 push --tls-verify=false $IMAGE "127.0.0.1:1/x@sha256:$(printf '%064d' 0)"
  assert_output_contains "push to a tag, not a digest"
  run_podtool 125 push --sign-by 0xABCD $IMAGE 127.0.0.1:1/x:1
  assert_output "Error: --sign-by: not supported by podtool: podtool does not sign images"
  run_podtool 125 pull --decryption-key k.pem 127.0.0.1:1/x:1
  assert_output "Error: --decryption-key: not supported by podtool: podtool does not decrypt images"
  run_podtool 125 push --format v1 $IMAGE 127.0.0.1:1/x:1
  assert_output "Error: invalid --format \`v1\`: oci or v2s2"
  run_podtool 125 push --format v2s2 --compression-format zstd $IMAGE 127.0.0.1:1/x:1
  assert_output_contains "zstd needs --format oci"
  run_podtool 125 push -q --tls-verify=false $IMAGE "127.0.0.1:$(free_port)/x:1"
  assert_output_contains "127.0.0.1:"
  run_podtool 125 push
  assert_output_contains "requires 1 or 2 arg(s)"
}

@test "login: a wrong password is refused; the right one is kept 0600 in auth.json, push and pull use it; logout removes it" {
  start_auth_registry
  run_podtool 125 push -q --tls-verify=false $IMAGE "$REG/t/box:1"
  assert_output_contains "authentication required: run \`podtool login $REG\`"
  run_podtool 125 login --tls-verify=false -u alice -p wrong "$REG"
  assert_output "Error: logging into \"$REG\": invalid username/password"
  [ ! -e "$REGISTRY_AUTH_FILE" ]
  run_podtool login --tls-verify=false -u alice --password-stdin "$REG" <<<"s3cret"
  assert_output "Login Succeeded!"
  [ "$(stat -c %a "$REGISTRY_AUTH_FILE")" = 600 ]
  python3 -c 'import json,sys,base64; a=json.load(open(sys.argv[1]))["auths"][sys.argv[2]]["auth"]; assert base64.b64decode(a)==b"alice:s3cret", a' "$REGISTRY_AUTH_FILE" "$REG"
  run_podtool login --get-login "$REG"
  assert_output "alice"
  run_podtool push -q --tls-verify=false $IMAGE "$REG/t/box:1"
  pt rmi -f $IMAGE >/dev/null
  run_podtool pull -q --tls-verify=false "$REG/t/box:1"
  run_podtool run --rm "$REG/t/box:1" stat -c %u:%g /home/app/owned.txt
  assert_output "1000:1000"
  # skopeo, an independent client, reads the same file.
  run skopeo inspect --tls-verify=false --authfile "$REGISTRY_AUTH_FILE" --format '{{.Name}}' "docker://$REG/t/box:1"
  assert_output "$REG/t/box"
  run_podtool logout "$REG"
  assert_output "Removed login credentials for $REG"
  run_podtool 125 logout "$REG"
  assert_output "Error: not logged into $REG"
  run_podtool 125 login --get-login "$REG"
  assert_output "Error: not logged into $REG"
  run_podtool 125 pull -q --tls-verify=false "$REG/t/box:1"
  assert_output_contains "authentication required"
  # run pulls with --creds or --authfile as pull does.
  pt rmi -f "$REG/t/box:1" >/dev/null
  run_podtool 125 run --rm --tls-verify=false "$REG/t/box:1" true
  assert_output_contains "authentication required"
  run_podtool run --rm --tls-verify=false --creds alice:s3cret "$REG/t/box:1" echo with-creds
  assert_last_line "with-creds"
  pt rmi -f "$REG/t/box:1" >/dev/null
  printf '{"auths": {"%s": {"auth": "%s"}}}' "$REG" "$(printf alice:s3cret | base64)" > "$BATS_TEST_TMPDIR/other.json"
  run_podtool run --rm --tls-verify=false --authfile "$BATS_TEST_TMPDIR/other.json" "$REG/t/box:1" echo with-authfile
  assert_last_line "with-authfile"
  run_podtool 125 login -u alice "$REG" </dev/null
  assert_output_contains "a password is needed"
  # No registry: the first unqualified-search one, as Podman takes it.
  local conf=$BATS_TEST_TMPDIR/registries.conf
  : > "$conf"
  CONTAINERS_REGISTRIES_CONF=$conf run_podtool 125 login
  assert_output "Error: no registries found in registries.conf, a registry must be provided"
  printf 'unqualified-search-registries = ["%s"]\n' "$REG" > "$conf"
  CONTAINERS_REGISTRIES_CONF=$conf run_podtool login --tls-verify=false -u alice -p s3cret
  assert_output "Login Succeeded!"
  CONTAINERS_REGISTRIES_CONF=$conf run_podtool logout
  assert_output "Removed login credentials for $REG"
  run_podtool 125 login a b
  assert_output "Error: login accepts only one registry to login to"
  # logout --all empties the file, other keys kept; then nothing to remove.
  pt login --tls-verify=false -u alice -p s3cret "$REG" >/dev/null
  run_podtool logout -a
  assert_output "Removed login credentials for all registries"
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["auths"] == {}' "$REGISTRY_AUTH_FILE"
  run_podtool 125 logout -a "$REG"
  assert_output "Error: --all takes no registry"
}

@test "credentials from --authfile, from docker's config.json and from a credential helper; a garbled file is named" {
  start_auth_registry
  pt push -q --tls-verify=false --creds alice:s3cret $IMAGE "$REG/t/box:1"
  pt rmi -f $IMAGE >/dev/null
  unset REGISTRY_AUTH_FILE
  export HOME=$BATS_TEST_TMPDIR/home XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/run XDG_CONFIG_HOME=
  mkdir -p "$HOME/.docker" "$XDG_RUNTIME_DIR"
  # --authfile alone, in docker's legacy key form.
  printf '{"auths":{"https://%s/v1/":{"auth":"%s"}}}' "$REG" "$(printf alice:s3cret | base64)" > "$BATS_TEST_TMPDIR/mine.json"
  run_podtool pull -q --tls-verify=false --authfile "$BATS_TEST_TMPDIR/mine.json" "$REG/t/box:1"
  pt rmi -f "$REG/t/box:1" >/dev/null
  # ~/.docker/config.json with a credential helper for this registry.
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat > "$BATS_TEST_TMPDIR/bin/docker-credential-pttest" <<'SH'
#!/bin/sh
read -r host
[ "$1" = get ] && printf '{"ServerURL":"%s","Username":"alice","Secret":"s3cret"}\n' "$host" && echo "$host" > "$(dirname "$0")/asked"
SH
  chmod +x "$BATS_TEST_TMPDIR/bin/docker-credential-pttest"
  printf '{"credHelpers":{"%s":"pttest"}}' "$REG" > "$HOME/.docker/config.json"
  PATH=$BATS_TEST_TMPDIR/bin:$PATH run_podtool pull -q --tls-verify=false "$REG/t/box:1"
  [ "$(cat "$BATS_TEST_TMPDIR/bin/asked")" = "$REG" ]
  pt rmi -f "$REG/t/box:1" >/dev/null
  # A helper that is not installed, and a garbled auth.json first in line.
  printf '{"credsStore":"nosuch"}' > "$HOME/.docker/config.json"
  run_podtool 125 pull -q --tls-verify=false "$REG/t/box:1"
  assert_output_contains "docker-credential-nosuch"
  mkdir -p "$XDG_RUNTIME_DIR/containers"
  echo '{"auths": ' > "$XDG_RUNTIME_DIR/containers/auth.json"
  run_podtool 125 pull -q --tls-verify=false "$REG/t/box:1"
  assert_output_contains "$XDG_RUNTIME_DIR/containers/auth.json: not a JSON object"
  run_podtool 125 pull -q --tls-verify=false --authfile "$BATS_TEST_TMPDIR/none.json" "$REG/t/box:1"
  assert_output_contains "none.json"
}

@test "search: a registry's catalog by term, --list-tags, --limit, --format, through registries.conf" {
  start_registry "$BATS_TEST_TMPDIR/reg"
  pt push -q --tls-verify=false $IMAGE "$REG/team/web:1"
  pt push -q --tls-verify=false $IMAGE "$REG/team/web:2"
  pt push -q --tls-verify=false $IMAGE "$REG/team/db:1"
  run_podtool search --tls-verify=false "$REG/web"
  [[ "${lines[0]}" =~ ^NAME\ +DESCRIPTION$ ]]
  [ "${lines[1]}" = "$REG/team/web" ] && [ "${#lines[@]}" = 2 ]
  run_podtool search --tls-verify=false --format '{{.Name}}' "$REG/team"
  assert_output "$REG/team/db"$'\n'"$REG/team/web"
  run_podtool search --tls-verify=false --limit 1 --format '{{.Name}}' "$REG/team"
  assert_output "$REG/team/db"
  run_podtool search --tls-verify=false --list-tags --format '{{.Name}} {{.Tag}}' "$REG/team/web"
  assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" "$REG/team/web 1"$'\n'"$REG/team/web 2"
  run_podtool search --tls-verify=false --format json "$REG/nomatch"
  assert_output "[]"
  export CONTAINERS_REGISTRIES_CONF=$BATS_TEST_TMPDIR/registries.conf
  printf 'unqualified-search-registries = ["%s"]\n[[registry]]\nlocation = "%s"\ninsecure = true\n' "$REG" "$REG" > "$CONTAINERS_REGISTRIES_CONF"
  run_podtool search --tls-verify=false --format '{{.Name}}' db
  assert_output "$REG/team/db"
  run_podtool 125 search --list-tags web
  assert_output_contains "needs a full name"
  run_podtool 125 search --tls-verify=false --list-tags "$REG/team/nosuch"
  assert_output_contains "the tags of team/nosuch"
  run_podtool 125 search --filter stars=3 "$REG/web"
  assert_output_contains "no stars"
}
