// The default theme's search: downloads search/index.json once and finds posts in the
// browser. A query word matches anywhere inside a word of the text, so Korean words are
// found with their particles attached ("인간관계" finds "인간관계를"); every word of the
// query must match; posts whose title matches come first, then newest first.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var loading = null;
  var data = null;
  // The words of this script in the page's language (<html lang>, from `language:` in
  // site.yaml): English for `en` (and `en-US`…), else Korean, as templates/strings.html.
  var lang = document.documentElement.lang || "";
  var english = lang === "en" || lang.indexOf("en-") === 0;
  var words = english ? {
    loading: "Loading the search index…",
    found: function (q, n) { return n + (n === 1 ? " result" : " results") + " for ‘" + q + "’"; },
    none: function (q) { return "No results for ‘" + q + "’."; },
    failed: "Could not load the search index."
  } : {
    loading: "검색 색인을 불러오는 중…",
    found: function (q, n) { return "‘" + q + "’ 검색 결과 " + n + "건"; },
    none: function (q) { return "‘" + q + "’에 대한 검색 결과가 없습니다."; },
    failed: "검색 색인을 불러오지 못했습니다."
  };

  function load() {
    if (!loading) {
      status.textContent = words.loading;
      loading = fetch(form.getAttribute("data-index"))
        .then(function (r) { return r.json(); })
        .then(function (index) {
          data = {
            words: index.w,
            lowerWords: index.w.map(function (w) { return w.toLowerCase(); }),
            posts: index.p.map(function (p) {
              return { title: p[0], url: p[1], date: p[2], category: p[3], ids: p[4], lowerTitle: p[0].toLowerCase() };
            })
          };
          return data;
        });
    }
    return loading;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // `text` with every occurrence of the query words wrapped in <mark>.
  function highlight(text, terms) {
    var lower = text.toLowerCase();
    var marks = [];
    terms.forEach(function (t) {
      for (var i = lower.indexOf(t); i >= 0; i = lower.indexOf(t, i + t.length)) {
        marks.push([i, i + t.length]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var out = "";
    var at = 0;
    marks.forEach(function (m) {
      if (m[0] < at) { return; }
      out += escapeHtml(text.slice(at, m[0])) + "<mark>" + escapeHtml(text.slice(m[0], m[1])) + "</mark>";
      at = m[1];
    });
    return out + escapeHtml(text.slice(at));
  }

  function search(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.innerHTML = "";
    if (!terms.length) { status.textContent = ""; return; }
    var started = performance.now();
    // For each term, which vocabulary words contain it.
    var matching = terms.map(function (t) {
      var hit = new Uint8Array(data.words.length);
      for (var n = 0; n < data.lowerWords.length; n++) {
        if (data.lowerWords[n].indexOf(t) >= 0) { hit[n] = 1; }
      }
      return hit;
    });
    var results = [];
    data.posts.forEach(function (p) {
      var inTitle = 0;
      var first = -1;
      for (var k = 0; k < terms.length; k++) {
        var titleHit = p.lowerTitle.indexOf(terms[k]) >= 0;
        var at = -1;
        var hit = matching[k];
        for (var j = 0; j < p.ids.length; j++) {
          if (hit[p.ids[j]]) { at = j; break; }
        }
        if (!titleHit && at < 0) { return; }
        if (titleHit) { inTitle++; }
        if (at >= 0 && (first < 0 || at < first)) { first = at; }
      }
      results.push({ post: p, inTitle: inTitle, first: first });
    });
    // Stable sort: equal scores keep the index's newest-first order.
    results.sort(function (a, b) { return b.inTitle - a.inTitle; });
    list.setAttribute("data-ms", (performance.now() - started).toFixed(1));
    status.textContent = results.length
      ? words.found(query, results.length)
      : words.none(query);
    results.slice(0, 50).forEach(function (r) {
      var p = r.post;
      var from = Math.max(0, r.first - 12);
      var words = p.ids.slice(r.first < 0 ? 0 : from, (r.first < 0 ? 0 : from) + 40).map(function (n) { return data.words[n]; });
      var snippet = (from > 0 ? "… " : "") + words.join(" ") + (from + 40 < p.ids.length ? " …" : "");
      var li = document.createElement("li");
      li.className = "search-result";
      li.innerHTML =
        '<h2 class="entry-title"><a href="' + escapeHtml(p.url) + '">' + highlight(p.title, terms) + "</a></h2>" +
        '<p class="meta"><span>' + escapeHtml(p.date) + "</span>" +
        (p.category ? ' <span class="meta-category">' + escapeHtml(p.category) + "</span>" : "") + "</p>" +
        '<p class="search-snippet">' + highlight(snippet, terms) + "</p>";
      list.appendChild(li);
    });
  }

  function run(query) {
    load().then(function () { search(query); }, function () {
      status.textContent = words.failed;
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    run(q);
  });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value.trim()); }, 120);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial.trim());
  }
})();
