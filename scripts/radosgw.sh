#!/usr/bin/env bash
# Throw-away Ceph radosgw (S3) for s3wire's integration tests: one monitor, one in-memory OSD and
# one gateway, all on 127.0.0.1, with one S3 user. Data lives in RAM and is gone after `stop`.
#
# Usage: scripts/radosgw.sh install|start|stop|status|admin-caps
#
# Environment (defaults in brackets):
#   S3WIRE_RGW_PORT        S3 endpoint port                        [7480]
#   S3WIRE_RGW_MON_PORT    monitor port (msgr2)                    [3300]
#   S3WIRE_RGW_DIR         state directory, removed by `stop`      [/tmp/s3wire-rgw]
#   S3WIRE_RGW_ACCESS_KEY  S3 access key                           [AKIAIOSFODNN7EXAMPLE]
#   S3WIRE_RGW_SECRET_KEY  S3 secret key                           [the AWS documentation example]
#   S3WIRE_RGW_DNS_NAME    `rgw dns name` for virtual-hosted style [s3wire.test]
#   S3WIRE_RGW_TIMEOUT     seconds `start` may take                [60]
set -euo pipefail

PORT=${S3WIRE_RGW_PORT:-7480}
MON_PORT=${S3WIRE_RGW_MON_PORT:-3300}
STATE=${S3WIRE_RGW_DIR:-/tmp/s3wire-rgw}
ACCESS_KEY=${S3WIRE_RGW_ACCESS_KEY:-AKIAIOSFODNN7EXAMPLE}
SECRET_KEY=${S3WIRE_RGW_SECRET_KEY:-wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}
DNS_NAME=${S3WIRE_RGW_DNS_NAME:-s3wire.test}
TIMEOUT=${S3WIRE_RGW_TIMEOUT:-60}

RGW_NAME=client.rgw.s3wire
RGW_UID=s3wire
# The admin API's read capabilities (examples/radosgw-admin calls /admin/usage and /admin/user).
ADMIN_CAPS="usage=read;users=read"
ENDPOINT="http://127.0.0.1:$PORT"
PACKAGES=(radosgw ceph-mon ceph-osd)
export CEPH_CONF="$STATE/ceph.conf"

die() {
  echo "radosgw.sh: $*" >&2
  exit 1
}

# die, showing the end of a log file (if it exists) to explain why
die_with_log() {
  local log=$1
  shift
  echo "radosgw.sh: $*" >&2
  if [[ -s $log ]]; then
    echo "--- last lines of $log ---" >&2
    tail -n 30 "$log" >&2
  fi
  # a failed start leaves no daemons behind; the logs stay until the next start or stop
  stop_daemons
  exit 1
}

# the state directory gets `rm -rf`; refuse anything that does not look like a scratch directory
check_state_dir() {
  case $STATE in
    /tmp/?* | /var/tmp/?* | /run/?* | /dev/shm/?*) ;;
    *)
      [[ ! -e $STATE || -f $STATE/ceph.conf || -z $(ls -A "$STATE" 2>/dev/null) ]] ||
        die "refusing to use $STATE as state dir: not empty and not ours"
      ;;
  esac
  [[ $STATE == /* && $STATE != */.. && $STATE != */../* ]] || die "S3WIRE_RGW_DIR must be absolute"
}

endpoint_answers() {
  curl -s -o /dev/null --noproxy '*' --max-time 2 "$ENDPOINT/"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

seconds_left() {
  local left=$((DEADLINE - SECONDS))
  echo $((left > 1 ? left : 1))
}

# wait_for LOG WHAT COMMAND...: retry COMMAND until it succeeds; give up when the start deadline
# passes or when one of the daemons started so far has exited
wait_for() {
  local log=$1 what=$2
  shift 2
  until "$@"; do
    ((SECONDS < DEADLINE)) || die_with_log "$log" "timed out waiting for $what"
    (($(daemon_pids | wc -l) >= STARTED)) ||
      die_with_log "$log" "a daemon exited while waiting for $what"
    sleep 0.25
  done
}

ceph_cli() {
  ceph --connect-timeout "$(seconds_left)" "$@"
}

cmd_install() {
  local pkg missing=()
  for pkg in "${PACKAGES[@]}"; do
    command -v "$pkg" >/dev/null || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] ||
    die "missing ${missing[*]}; run this as root to install ${PACKAGES[*]} with apt-get"
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  echo "installing ${PACKAGES[*]} ..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >&2
}

write_config() {
  cat >"$CEPH_CONF" <<EOF
[global]
fsid = $1
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
keyring = $STATE/keyring
run dir = $STATE/run
admin socket = $STATE/run/\$name.asok
log file = $STATE/log/\$name.log
pid file = $STATE/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000

[mon]
mon data = $STATE/mon.\$id
mon cluster log file = $STATE/log/cluster.log
# commit map changes at once instead of batching them for a second: radosgw creates its pools
# one monitor command at a time, so this shortens start (and the first bucket) by several seconds
paxos propose interval = 0.05
paxos min wait = 0.01

[osd]
osd data = $STATE/osd.\$id
keyring = $STATE/osd.\$id/keyring
osd objectstore = memstore
memstore device bytes = 4294967296
osd max object name len = 460
osd max object namespace len = 64

[$RGW_NAME]
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
rgw dns name = $DNS_NAME
rgw thread pool size = 64
# deleted objects' data is freed after seconds instead of hours (the OSD keeps it in RAM)
rgw gc obj min wait = 5
rgw gc processor period = 5
# SSE-C over plain http, and SSE-KMS with a built-in test key
rgw crypt require ssl = false
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = testkey-1=YmluCmJvb3N0CmJvb3N0LWJ1aWxkCmNlcGguY29uZgo=
EOF
}

start_mon() {
  local fsid=$1
  ceph-authtool --create-keyring "$STATE/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$STATE/keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$MON_PORT]" "$STATE/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$STATE/monmap" --keyring "$STATE/keyring" \
    >>"$STATE/log/setup.log" 2>&1 || die_with_log "$STATE/log/setup.log" "ceph-mon --mkfs failed"
  ceph-mon -i a >>"$STATE/log/setup.log" 2>&1 ||
    die_with_log "$STATE/log/mon.a.log" "ceph-mon did not start"
  STARTED=1
}

osd_is_up() {
  local stat
  stat=$(ceph_cli osd stat 2>/dev/null) || return 1
  [[ $stat == *"1 up"* ]]
}

start_osd() {
  local uuid secret id
  uuid=$(cat /proc/sys/kernel/random/uuid)
  secret=$(ceph-authtool --gen-print-key)
  echo "{\"cephx_secret\": \"$secret\"}" >"$STATE/osd.json"
  id=$(ceph_cli osd new "$uuid" -i "$STATE/osd.json" 2>>"$STATE/log/setup.log") ||
    die_with_log "$STATE/log/mon.a.log" "could not register the OSD with the monitor"
  ceph-authtool --create-keyring "$STATE/osd.$id/keyring" --name "osd.$id" --add-key "$secret" \
    >/dev/null
  ceph-osd -i "$id" --mkfs --key "$secret" --osd-uuid "$uuid" >>"$STATE/log/setup.log" 2>&1 ||
    die_with_log "$STATE/log/setup.log" "ceph-osd --mkfs failed"
  ceph-osd -i "$id" >>"$STATE/log/setup.log" 2>&1 ||
    die_with_log "$STATE/log/osd.$id.log" "ceph-osd did not start"
  STARTED=2
  wait_for "$STATE/log/osd.$id.log" "the OSD to come up" osd_is_up
}

# the user exists and its keys work once a SigV4-signed ListBuckets succeeds. The key goes to curl
# on stdin, not on its command line. curl 7.88 does not send x-amz-content-sha256 by itself, and
# radosgw rejects the signature without it, so it is added here (the SHA-256 of an empty body).
signed_request_works() {
  printf 'user = "%s:%s"\n' "$ACCESS_KEY" "$SECRET_KEY" |
    curl -sf -o /dev/null --noproxy '*' --max-time 5 -K - --aws-sigv4 "aws:amz:us-east-1:s3" \
      -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
      "$ENDPOINT/"
}

start_rgw() {
  local log=$STATE/log/$RGW_NAME.log
  ceph_cli auth get-or-create "$RGW_NAME" mon 'allow rw' osd 'allow rwx' \
    >>"$STATE/keyring" 2>>"$STATE/log/setup.log" ||
    die_with_log "$STATE/log/setup.log" "could not create the radosgw key"
  radosgw -n "$RGW_NAME" >>"$STATE/log/setup.log" 2>&1 ||
    die_with_log "$log" "radosgw did not start"
  STARTED=3
  wait_for "$log" "the S3 endpoint $ENDPOINT" endpoint_answers

  timeout "$(seconds_left)" radosgw-admin user create --uid="$RGW_UID" --display-name="$RGW_UID" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null 2>>"$STATE/log/setup.log" ||
    die_with_log "$STATE/log/setup.log" "could not create the S3 user"
  timeout "$(seconds_left)" radosgw-admin caps add --uid="$RGW_UID" --caps="$ADMIN_CAPS" \
    >/dev/null 2>>"$STATE/log/setup.log" ||
    die_with_log "$STATE/log/setup.log" "could not give the S3 user its admin capabilities"
  wait_for "$log" "the S3 user to be usable" signed_request_works
}

cmd_start() {
  local fsid
  for cmd in "${PACKAGES[@]}" ceph ceph-authtool monmaptool radosgw-admin curl; do
    command -v "$cmd" >/dev/null || die "$cmd not found; run: $0 install"
  done
  check_state_dir
  cmd_stop
  port_in_use "$PORT" && die "port $PORT is already in use (set S3WIRE_RGW_PORT)"
  port_in_use "$MON_PORT" &&
    die "monitor port $MON_PORT is already in use (set S3WIRE_RGW_MON_PORT)"

  DEADLINE=$((SECONDS + TIMEOUT))
  STARTED=0
  mkdir -p "$STATE"/{run,log,mon.a,osd.0}
  fsid=$(cat /proc/sys/kernel/random/uuid)
  write_config "$fsid"
  start_mon "$fsid"
  start_osd
  start_rgw
  echo "radosgw ready: $ENDPOINT"
}

# pids of our daemons still running, from their pid files; the process name is checked so that a
# stale pid file never gets an unrelated process killed, and zombies count as gone (their ports are
# closed already, and in a container they may wait a while for the init process to reap them)
daemon_pids() {
  local pidfile pid stat
  for pidfile in "$STATE"/run/*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || continue
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    case $stat in
      *"(ceph-mon) "[!Z]* | *"(ceph-osd) "[!Z]* | *"(radosgw) "[!Z]*) echo "$pid" ;;
    esac
  done
}

# TERM all daemons at once (the data is thrown away, so an orderly shutdown buys nothing; the
# memstore OSD would even write its RAM out to disk), KILL whatever is left after two seconds
stop_daemons() {
  local pids
  pids=$(daemon_pids)
  [[ -n $pids ]] || return 0
  # shellcheck disable=SC2086  # one pid per word
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 20); do
    pids=$(daemon_pids)
    [[ -n $pids ]] || return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  for _ in $(seq 50); do
    [[ -n $(daemon_pids) ]] || return 0
    sleep 0.1
  done
  die "could not stop daemons: $(daemon_pids | tr '\n' ' ')"
}

cmd_stop() {
  check_state_dir
  [[ -d $STATE ]] || return 0
  stop_daemons
  rm -rf "$STATE"
}

# Give the user of ACCESS_KEY the admin API's read capabilities, on a radosgw already running
# (one started before they were part of the setup).
cmd_admin_caps() {
  local uid
  uid=$(timeout 30 radosgw-admin user info --access-key="$ACCESS_KEY" 2>/dev/null |
    sed -n 's/^ *"user_id": "\(.*\)",$/\1/p') || true
  [[ -n $uid ]] || die "no radosgw user has the access key $ACCESS_KEY (CEPH_CONF=$CEPH_CONF)"
  timeout 30 radosgw-admin caps add --uid="$uid" --caps="$ADMIN_CAPS" >/dev/null ||
    die "could not give the user $uid the capabilities $ADMIN_CAPS"
}

cmd_status() {
  if endpoint_answers; then
    echo "radosgw running: $ENDPOINT"
  else
    echo "radosgw not answering at $ENDPOINT" >&2
    return 1
  fi
}

case ${1:-} in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  admin-caps) cmd_admin_caps ;;
  *)
    echo "usage: $0 install|start|stop|status|admin-caps" >&2
    exit 2
    ;;
esac
