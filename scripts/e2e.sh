#!/usr/bin/env bash
# End-to-end check of report.html in a real browser: run crmroi (English with
# the default scenario, Russian with a Cyrillic one), render each report with
# headless Chromium, and fail if the page is empty or shows a broken image.
# Installs Debian's chromium when it is missing. Keeps its files in $E2E_OUT
# (default: a new temporary folder) so the screenshots can be looked at.
set -euo pipefail
cd "$(dirname "$0")/.."

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "e2e: installing chromium" >&2
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
	browser=$(command -v chromium)
fi

work=${E2E_OUT:-$(mktemp -d)}
mkdir -p "$work"
go build -o "$work/crmroi" ./cmd/crmroi

sed 's/^name: .*/name: "Внедрение CRM — ООО «Ромашка»"/' model/default.yaml >"$work/ru.yaml"

shoot() { # shoot NAME ARGS...: run crmroi into $work/NAME, screenshot its report
	local name=$1
	shift
	"$work/crmroi" run -q -n 20000 -o "$work/$name" "$@"
	local profile
	profile=$(mktemp -d)
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
		--hide-scrollbars --screenshot="$work/$name.png" --window-size=1400,4000 \
		"file://$work/$name/report.html" 2>"$work/$name.chromium.log" || {
		cat "$work/$name.chromium.log" >&2
		exit 1
	}
	rm -rf "$profile"
	go run ./scripts/e2echeck -html "$work/$name/report.html" -screenshot "$work/$name.png"
}

shoot en
shoot ru "$work/ru.yaml" --lang ru
echo "e2e: ok ($work/en.png, $work/ru.png)"
