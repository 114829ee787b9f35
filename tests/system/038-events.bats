#!/usr/bin/env bats
# podtool events: the append-only log every verb and monitor writes
# (Podman's file backend: JSON lines with its field names).

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_test_teardown
}

@test "a container's life is in the events: create, start, died with its code, stop, remove" {
  run_podtool run --name once $IMAGE sh -c 'exit 3' || true
  run_podtool 3 start -a once
  run_podtool run -d --name long $IMAGE sleep 100
  run_podtool stop -t 0 long
  run_podtool rm once long
  run_podtool events --stream=false --filter container=once --format '{{.Status}}'
  assert_output $'create\nstart\ndied\nstart\ndied\nremove'
  run_podtool events --stream=false --filter event=died --format '{{.Name}} {{.Attributes.containerExitCode}}'
  assert_output $'once 3\nonce 3\nlong 137'
  run_podtool events --stream=false --filter container=long --filter event=stop
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" =~ ^20[0-9-]+\ [0-9:.]+\ \+0000\ UTC\ container\ stop\ [0-9a-f]{64}\ \(image=localhost/ptbusybox:latest,\ name=long\)$ ]]
  run_podtool events --stream=false --no-trunc=false --filter event=remove --format '{{.ID}}'
  [[ "${lines[0]}" =~ ^[0-9a-f]{12}$ ]]
  # One JSON object a line, Podman's names.
  run_podtool events --stream=false --format json --filter event=create
  local l
  for l in "${lines[@]}"; do
    python3 -c 'import json,sys; e=json.loads(sys.argv[1]); assert set(e) >= {"ID","Image","Name","Status","Time","Type"}, e' "$l"
  done
}

@test "image events, since and until, type filters; --events-backend none writes nothing" {
  run_podtool tag $IMAGE more:one
  run_podtool untag $IMAGE localhost/more:one
  run_podtool events --stream=false --filter type=image --format '{{.Status}} {{.Name}}'
  assert_output_contains "load localhost/ptbusybox:latest"
  assert_output_contains "tag localhost/more:one"
  assert_output_contains "untag localhost/more:one"
  run_podtool events --stream=false --since 1h --filter event=tag --format '{{.Status}}'
  assert_output "tag"
  run_podtool events --stream=false --until 1h --format '{{.Status}}'
  assert_output ""
  local before
  before=$(pt events --stream=false | wc -l)
  run_podtool --events-backend none run --rm $IMAGE true
  [ "$(pt events --stream=false | wc -l)" -eq "$before" ]
  run_podtool 125 events --filter bogus=1
  assert_output_contains "bogus is an invalid filter"
}

@test "events --stream follows new events until --until" {
  local out=$BATS_TEST_TMPDIR/stream
  # --until a time to come: a duration would be one back from now, as in Podman.
  pt events --since 0s --until "$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)" \
    --filter type=container --format '{{.Status}} {{.Name}}' > "$out" 3>&- &
  local follower=$!
  sleep 1
  run_podtool create --name later $IMAGE true
  wait "$follower"
  run cat "$out"
  assert_output "create later"
}
