// Injected into a copy of a report by scripts/e2e.sh (never into the report
// itself, which has no script): after layout, finds text that overlaps other
// text or is cut (by its box, a scrolling table or the page's width) and
// images that did not load, and writes the findings as JSON into
// a <pre> with the id e2e-layout, which `chromium --dump-dom` prints, with
// the page's height (for a screenshot of the whole page).
window.addEventListener("load", function () {
  var problems = [];
  var vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw + 1) {
    problems.push("the page is " + document.documentElement.scrollWidth + " px wide in a " + vw + " px window");
  }
  // Every line of every text node, as rectangles.
  var rects = [];
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  var node, id = 0;
  while ((node = walker.nextNode())) {
    if (!node.nodeValue.trim()) continue;
    var el = node.parentElement;
    if (el.closest("style, script, pre#e2e-layout")) continue;
    var range = document.createRange();
    range.selectNodeContents(node);
    var rs = range.getClientRects();
    for (var i = 0; i < rs.length; i++) {
      var r = rs[i];
      if (r.width < 0.5 || r.height < 0.5) continue;
      rects.push({id: id, el: el, text: node.nodeValue.trim().slice(0, 40), l: r.left, r: r.right, t: r.top, b: r.bottom});
    }
    id++;
    // Cut: the text runs out of an element that hides or scrolls its overflow.
    for (var a = el; a && a !== document.body; a = a.parentElement) {
      var st = getComputedStyle(a);
      if (st.overflowX !== "visible" && a.scrollWidth > a.clientWidth + 1) {
        problems.push("cut: \"" + node.nodeValue.trim().slice(0, 40) + "\" overflows <" + a.tagName.toLowerCase() +
          (a.className ? " class=" + a.className : "") + "> (" + a.scrollWidth + " > " + a.clientWidth + " px)");
        break;
      }
    }
  }
  // Overlap: two lines of different texts share more than a sliver.
  var tol = 1;
  for (var i = 0; i < rects.length; i++) {
    var p = rects[i];
    if (p.r > vw + tol) problems.push("cut by the window: \"" + p.text + "\" ends at " + Math.round(p.r) + " px");
    for (var j = i + 1; j < rects.length; j++) {
      var q = rects[j];
      if (q.id === p.id) continue;
      var w = Math.min(p.r, q.r) - Math.max(p.l, q.l), h = Math.min(p.b, q.b) - Math.max(p.t, q.t);
      if (w > tol && h > 2 * tol) problems.push("overlap: \"" + p.text + "\" and \"" + q.text + "\"");
    }
  }
  var imgs = document.images;
  for (var k = 0; k < imgs.length; k++) {
    if (!imgs[k].complete || imgs[k].naturalWidth === 0) problems.push("image " + (k + 1) + " did not load");
    var box = imgs[k].getBoundingClientRect();
    if (box.right > vw + tol) problems.push("image " + (k + 1) + " is cut by the window");
  }
  var out = document.createElement("pre");
  out.id = "e2e-layout";
  out.textContent = JSON.stringify({height: document.documentElement.scrollHeight, texts: id, lines: rects.length, images: imgs.length, problems: problems.slice(0, 50), count: problems.length});
  document.body.appendChild(out);
});
