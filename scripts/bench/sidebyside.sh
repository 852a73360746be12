#!/bin/sh
# Side by side, in one run: crmroi and a vectorised numpy implementation of the same model
# (numpy_default.py) on the default scenario, alternating ROUNDS times; wall, user and system
# time and peak memory from /usr/bin/time -v, then the mean NPVs compared within Monte Carlo error.
# Not part of make test. Usage: scripts/bench/sidebyside.sh [ITERATIONS [ROUNDS [CRMROI]]]
# (CRMROI defaults to bin/crmroi, built by make build; numpy is Debian's python3-numpy for
# /usr/bin/python3).
set -eu
N=${1:-1000000}
ROUNDS=${2:-3}
BIN=${3:-bin/crmroi}
DIR=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=/usr/bin/python3
"$PY" -c 'import numpy' || { echo "numpy missing: apt-get install -y python3-numpy" >&2; exit 1; }
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load: $(uptime | sed 's/.*load average: //')"
measure() { # label, command...
	label=$1
	shift
	/usr/bin/time -v "$@" >"$TMP/out" 2>"$TMP/time"
	awk -v l="$label" -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
		/User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
		END { printf "%-7s wall %6.2f s  user %6.2f s  sys %5.2f s  user+sys %6.2f s  peak %6.1f MB\n", l, w, u, s, u + s, m / 1024 }' "$TMP/time"
}
for r in $(seq "$ROUNDS"); do
	measure crmroi "$BIN" run -n "$N" --seed "$r" --format none -q --json -o "$TMP/crm"
	cp "$TMP/out" "$TMP/crm.json"
	measure numpy "$PY" "$DIR/numpy_default.py" "$N" "$r"
	cp "$TMP/out" "$TMP/np.json"
done
"$PY" - "$TMP/crm.json" "$TMP/np.json" <<'PY'
import json, math, sys
c = json.load(open(sys.argv[1]))["metrics"]["npv"]
n = json.load(open(sys.argv[2]))["outputs"]["npv"]
se = math.hypot(c["se_mean"], n["se"])
z = (c["mean"] - n["mean"]) / se
print(f"mean npv: crmroi {c['mean']:.6g} (se {c['se_mean']:.3g}), numpy {n['mean']:.6g} (se {n['se']:.3g}): "
      f"difference {z:+.2f} standard errors ({'agree' if abs(z) < 3 else 'DISAGREE'} within 3)")
PY
