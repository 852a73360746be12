#!/usr/bin/env bash
# End-to-end check of report.html in a real browser: run crmroi (English with
# the default scenario, Russian with a Cyrillic one), render each report with
# headless Chromium, and fail if the page is empty or shows a broken image.
# Then batch's report.html, in both languages with long Cyrillic names (2 and
# 6 options): a screenshot at 1280 px, the page laid out at 1280 px with
# scripts/e2echeck/layout.js injected into a copy (no text may overlap another
# or be cut), and the page printed to PDF (A4), each page also as a PNG.
# Installs Debian's chromium when it is missing. Keeps its files in $E2E_OUT
# (default: a new temporary folder) so the screenshots and pages can be looked at.
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

chrome() { # chrome LOG ARGS...: headless Chromium with a fresh profile
	local log=$1
	shift
	local profile
	profile=$(mktemp -d)
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
		--hide-scrollbars "$@" 2>>"$log" || {
		cat "$log" >&2
		exit 1
	}
	rm -rf "$profile"
}

# Options with the long Cyrillic names an analyst gives them.
opt() { # opt FILE NAME EXAMPLE
	sed "s|^name: .*|name: \"$2\"|" "examples/$3.yaml" >"$work/$1.yaml"
}
opt o1 "Облачная CRM по подписке (SaaS) для отдела продаж" saas
opt o2 "CRM коробка (on-premise), собственные серверы и лицензия навсегда" onprem
opt o3 "Консервативный вариант: поэтапное внедрение с пилотом" conservative
opt o4 "Розничная сеть, CRM программы лояльности" retail_b2c
opt o5 "Пилот с контрольной точкой «идти / не идти»" pilot_gate
opt o6 "Базовый бизнес-кейс CRM по умолчанию для ООО «Ромашка»" default

batch() { # batch NAME LANG FILES...: a batch into $work/NAME, its report checked and printed
	local name=$1 lang=$2
	shift 2
	"$work/crmroi" batch -q -n 20000 --lang "$lang" -o "$work/$name" "$@"
	local page=$work/$name/report.html log=$work/$name.chromium.log
	: >"$log"
	# The layout check runs in a copy beside the report (its links resolve
	# the same); the report itself has no script.
	{
		sed '/<\/body>/,$d' "$page"
		printf '<script>\n'
		cat scripts/e2echeck/layout.js
		printf '</script>\n</body>\n</html>\n'
	} >"$work/$name/layout-check.html"
	chrome "$log" --window-size=1280,1000 --virtual-time-budget=5000 --dump-dom \
		"file://$work/$name/layout-check.html" >"$work/$name.dom.html"
	rm "$work/$name/layout-check.html"
	# A screenshot of the whole page at 1280 px, as tall as the layout found it.
	local height
	height=$(grep -o '"height":[0-9]*' "$work/$name.dom.html" | tail -1 | cut -d: -f2)
	chrome "$log" --screenshot="$work/$name.png" --window-size="1280,${height:-4000}" "file://$page"
	chrome "$log" --no-pdf-header-footer --print-to-pdf="$work/$name.pdf" "file://$page"
	local pages
	pages=$(pdfinfo "$work/$name.pdf" | awk '/^Pages:/ {print $2}')
	if [ "${pages:-0}" -lt 2 ]; then
		echo "e2e: $work/$name.pdf has ${pages:-no} pages" >&2
		exit 1
	fi
	pdftoppm -r 50 -png "$work/$name.pdf" "$work/$name-page"
	go run ./scripts/e2echeck -html "$page" -links -screenshot "$work/$name.png" -dom "$work/$name.dom.html"
	echo "e2e: $work/$name.pdf: $pages pages ($work/$name-page-*.png)"
}

shoot en
shoot ru "$work/ru.yaml" --lang ru
command -v pdftoppm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils
batch batch2-en en "$work/o1.yaml" "$work/o2.yaml"
batch batch2-ru ru "$work/o1.yaml" "$work/o2.yaml"
batch batch6-ru ru "$work"/o[1-6].yaml
batch batch6-en en "$work"/o[1-6].yaml
echo "e2e: ok ($work/en.png, $work/ru.png, $work/batch*.png, $work/batch*.pdf)"
