// Command e2echeck checks a rendered report.html: every <img> holds a data:
// URI that decodes to an image, nothing refers outside the file (with
// -links: but to files beside it, which exist), the browser's screenshot of
// the page is neither empty nor uniform, and (with -dom, the page as the
// browser laid it out with layout.js injected) no text overlaps another or
// is cut.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	imgRe = regexp.MustCompile(`(?is)<img\b[^>]*>`)
	srcRe = regexp.MustCompile(`(?is)\bsrc\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	refRe = regexp.MustCompile(`(?is)\b(?:src|href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
)

func main() {
	page := flag.String("html", "", "report.html to check")
	shot := flag.String("screenshot", "", "the browser's PNG screenshot of it")
	links := flag.Bool("links", false, "allow relative links to files beside the page (which must exist)")
	dom := flag.String("dom", "", "the page as the browser laid it out, with layout.js's findings (chromium --dump-dom)")
	flag.Parse()
	var errs []string
	fail := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }

	b, err := os.ReadFile(*page)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	text := string(b)
	low := strings.ToLower(text)
	for _, bad := range []string{"http:", "https:", "url(", "@import"} {
		if strings.Contains(low, bad) {
			fail("%s refers outside itself (%q)", *page, bad)
		}
	}
	for _, m := range refRe.FindAllStringSubmatch(text, -1) {
		v := html.UnescapeString(strings.Trim(m[1], `"'`))
		if strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "#") {
			continue
		}
		if *links && !strings.Contains(v, ":") && !strings.HasPrefix(v, "/") && !strings.Contains(v, "..") {
			if _, err := os.Stat(filepath.Join(filepath.Dir(*page), filepath.FromSlash(v))); err != nil {
				fail("%s links to %s, which is not there: %v", *page, v, err)
			}
			continue
		}
		fail("%s refers to %.80q", *page, v)
	}
	imgs := imgRe.FindAllString(text, -1)
	if len(imgs) == 0 {
		fail("%s has no images", *page)
	}
	for i, tag := range imgs {
		m := srcRe.FindStringSubmatch(tag)
		if m == nil {
			fail("image %d has no src", i+1)
			continue
		}
		src := html.UnescapeString(strings.Trim(m[1], `"'`))
		meta, data, ok := strings.Cut(src, ",")
		if !strings.HasPrefix(meta, "data:image/") || !strings.HasSuffix(meta, ";base64") || !ok {
			fail("image %d is not a base64 data: URI: %.60q", i+1, src)
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			fail("image %d: %v", i+1, err)
			continue
		}
		img, _, err := image.Decode(bytes.NewReader(raw))
		if err != nil {
			fail("image %d does not decode: %v", i+1, err)
			continue
		}
		if img.Bounds().Dx() < 100 || img.Bounds().Dy() < 100 {
			fail("image %d is only %v", i+1, img.Bounds().Size())
		}
	}

	f, err := os.Open(*shot)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		fail("screenshot %s: %v", *shot, err)
	} else {
		checkScreenshot(img, fail)
	}
	if *dom != "" {
		checkLayout(*dom, fail)
	}
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "e2e:", e)
		}
		os.Exit(1)
	}
	fmt.Printf("e2e: %s: %d images decode, screenshot %v looks like a page\n", *page, len(imgs), img.Bounds().Size())
}

// checkScreenshot fails a page that is blank or nearly uniform: a rendered
// report has text and charts in many colours over much of its height.
func checkScreenshot(img image.Image, fail func(string, ...any)) {
	bd := img.Bounds()
	colors := map[uint32]bool{}
	ink, total := 0, 0
	rowsWithInk := 0
	for y := bd.Min.Y; y < bd.Max.Y; y += 4 {
		rowInk := false
		for x := bd.Min.X; x < bd.Max.X; x += 4 {
			r, g, b, _ := img.At(x, y).RGBA()
			colors[(r>>11)<<10|(g>>11)<<5|b>>11] = true
			total++
			if r>>8 < 200 || g>>8 < 200 || b>>8 < 200 {
				ink++
				rowInk = true
			}
		}
		if rowInk {
			rowsWithInk++
		}
	}
	rows := (bd.Dy() + 3) / 4
	switch {
	case len(colors) < 40:
		fail("screenshot has only %d colours: empty or broken page", len(colors))
	case ink < total/100:
		fail("screenshot is nearly blank: %d of %d sampled pixels have ink", ink, total)
	case rowsWithInk < rows/2:
		fail("only %d of %d screenshot rows have content", rowsWithInk, rows)
	}
}

// layoutRe finds layout.js's findings in the dumped page.
var layoutRe = regexp.MustCompile(`(?s)<pre id="e2e-layout">(.*?)</pre>`)

// checkLayout reads layout.js's findings from the page the browser dumped.
func checkLayout(name string, fail func(string, ...any)) {
	b, err := os.ReadFile(name)
	if err != nil {
		fail("%v", err)
		return
	}
	all := layoutRe.FindAllSubmatch(b, -1)
	if len(all) == 0 {
		fail("%s: no layout findings (did layout.js run?)", name)
		return
	}
	m := all[len(all)-1]
	var res struct {
		Texts, Lines, Images, Count int
		Problems                    []string
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &res); err != nil {
		fail("%s: %v", name, err)
		return
	}
	if res.Texts == 0 || res.Images == 0 {
		fail("%s: the browser laid out %d texts and %d images", name, res.Texts, res.Images)
	}
	for _, p := range res.Problems {
		fail("layout: %s", p)
	}
	if res.Count > len(res.Problems) {
		fail("layout: and %d more", res.Count-len(res.Problems))
	}
	if res.Count == 0 {
		fmt.Printf("e2e: %s: %d texts in %d lines and %d images laid out, none overlapping or cut\n", name, res.Texts, res.Lines, res.Images)
	}
}
