#!/usr/bin/env bash
# MAAS's documented API flows with nothing but curl, as a user without a MAAS client library
# would script them: OAuth 1.0a PLAINTEXT written by hand, URL-encoded and multipart forms.
# Usage: MAAS_URL=http://host:port/MAAS MAAS_KEY=consumer:token:secret maas-curl.sh STEP [ARGS]
# Prints what the step read (one value per line); exits non-zero when a request fails.
set -euo pipefail
: "${MAAS_URL:?}" "${MAAS_KEY:?}"
API="$MAAS_URL/api/2.0"
IFS=: read -r CONSUMER TOKEN SECRET <<<"$MAAS_KEY"

auth() {
  printf 'Authorization: OAuth oauth_version="1.0", oauth_signature_method="PLAINTEXT", oauth_consumer_key="%s", oauth_token="%s", oauth_signature="%%26%s", oauth_nonce="%s", oauth_timestamp="%s"' \
    "$CONSUMER" "$TOKEN" "$SECRET" "$(date +%s%N)$RANDOM" "$(date +%s)"
}

# curl with auth; fails on HTTP errors (and prints MAAS's error text on stderr).
call() {
  local out status
  out=$(mktemp)
  status=$(curl -s -o "$out" -w '%{http_code}' -H "$(auth)" "$@")
  if [ "$status" -ge 400 ]; then
    echo "HTTP $status: $(cat "$out")" >&2
    rm -f "$out"
    return 22
  fi
  cat "$out"
  rm -f "$out"
}

# The value of a top-level string field of a compact JSON object (no jq on a bare machine).
field() {
  grep -o "\"$1\":\"[^\"]*\"" | head -1 | sed "s/\"$1\":\"\(.*\)\"/\1/"
}

# How many machine objects a list holds.
machines() {
  { grep -o '"resource_uri":"/MAAS/api/2.0/machines/[^"]*"' || true; } | wc -l | tr -d ' '
}

case "$1" in
  discover)
    curl -sf "$API/version/" | field version
    curl -sf "$API/describe/" | grep -q '"resources"' && echo describe
    curl -s -o /dev/null -w '%{http_code}\n' "$API/machines/"
    call "$API/users/?op=whoami" | field username
    for what in zones resourcepools subnets fabrics spaces domains users devices tags; do
      call "$API/$what/" | grep -q '^\[' && echo "$what"
    done
    ;;
  count)  # count QUERY: how many machines match the filter
    call "$API/machines/?$2" | machines
    ;;
  create)  # create HOSTNAME MAC: a machine from a multipart form, as the MAAS CLI sends it
    call -X POST -F architecture=amd64/generic -F "mac_addresses=$3" -F "hostname=$2" \
      -F power_type=manual -F commission=false "$API/machines/" | field system_id
    ;;
  update)  # update SYSTEM_ID DESCRIPTION
    call -X PUT --data-urlencode "description=$3" "$API/machines/$2/" | field description
    ;;
  op)  # op SYSTEM_ID OP [FORM...]: a machine operation; prints the machine's status_name
    id=$2 op=$3
    shift 3
    args=()
    for kv in "$@"; do args+=(--data-urlencode "$kv"); done
    call -X POST "${args[@]}" "$API/machines/$id/?op=$op" | field status_name
    ;;
  get)  # get SYSTEM_ID FIELD
    call "$API/machines/$2/" | field "$3"
    ;;
  power)  # power SYSTEM_ID: the power parameters MAAS keeps
    call "$API/machines/$2/?op=power_parameters"
    echo
    call "$API/machines/$2/?op=query_power_state" | field state
    ;;
  parts)  # parts SYSTEM_ID: the machine's interfaces and block devices
    call "$API/nodes/$2/interfaces/" | field name
    call "$API/nodes/$2/blockdevices/" | field path
    ;;
  disk-id)  # disk-id SYSTEM_ID NAME: the id of the machine's block device NAME (sda, sdb)
    call "$API/nodes/$2/blockdevices/" | grep -o "\"id\":[0-9]*,\"name\":\"$3\"" \
      | sed 's/"id":\([0-9]*\),.*/\1/'
    ;;
  partition)  # partition SYSTEM_ID DEVICE_ID SIZE: a new partition's id
    call -X POST --data-urlencode "size=$4" "$API/nodes/$2/blockdevices/$3/partitions/" \
      | grep -o '"device_id":[0-9]*,"id":[0-9]*' | sed 's/.*"id"://'
    ;;
  storage)  # storage SYSTEM_ID PATH OP [FORM...]: format/mount/... a device or partition; used_for
    id=$2 path=$3 op=$4
    shift 4
    args=()
    for kv in "$@"; do args+=(--data-urlencode "$kv"); done
    call -X POST "${args[@]}" "$API/nodes/$id/blockdevices/$path?op=$op" | field used_for
    ;;
  link)  # link SYSTEM_ID [FORM...]: link_subnet on the boot interface; the new link's address
    id=$2
    shift 2
    nic=$(call "$API/nodes/$id/interfaces/" | grep -o '"id":[0-9]*,"name":"eth0"' \
      | sed 's/"id":\([0-9]*\),.*/\1/')
    args=()
    for kv in "$@"; do args+=(--data-urlencode "$kv"); done
    call -X POST "${args[@]}" "$API/nodes/$id/interfaces/$nic/?op=link_subnet" \
      | grep -o '"ip_address":"[^"]*"' | tail -1 | sed 's/"ip_address":"\(.*\)"/\1/'
    ;;
  delete)
    curl -s -o /dev/null -w '%{http_code}\n' -H "$(auth)" -X DELETE "$API/machines/$2/"
    ;;
  *)
    echo "unknown step $1" >&2
    exit 2
    ;;
esac
