// Search on the static site (netkit export-site): reads the prebuilt search-index.json and searches it in the
// browser, as you type and on Enter. The index holds the server's analysis of every document (stop words
// dropped, æ/ø/å folded to ae/oe/aa, compound parts, Danish Snowball stems); a query is analysed the same way
// here (the stemmer is a port of the server's), its synonyms are added from the index, and while it is being
// typed its last word also finds the terms it begins ("samty" → "samtyk"). Documents matching more of the
// query come first, then by weight. The results are plain links, reached with Tab like any others.
(function () {
  "use strict";
  var FOLDING = { "æ": "ae", "ø": "oe", "å": "aa", "é": "e", "è": "e", "ü": "u", "ö": "oe", "ä": "ae" };
  var WORD = /[\p{L}\p{N}_]+(?:\.?[\p{L}\p{N}_]+)*/gu;

  // The Danish Snowball stemmer, as the server's analysis runs it (whoosh.lang.snowball.danish) on folded words.
  var VOWELS = "aeiouyæåø";
  var CONSONANTS = "bcdfghjklmnpqrstvwxz";
  var S_ENDING = "abcdfghjklmnoprtvyzå";
  var STEP1 = ["erendes", "erende", "hedens", "ethed", "erede", "heden", "heder", "endes", "ernes", "erens", "erets",
    "ered", "ende", "erne", "eren", "erer", "heds", "enes", "eres", "eret", "hed", "ene", "ere", "ens", "ers", "ets",
    "en", "er", "es", "et", "e", "s"];
  var STEP2 = ["gd", "dt", "gt", "kt"];
  var STEP3 = ["elig", "løst", "lig", "els", "ig"];

  function endsWith(text, suffix) {
    return text.length >= suffix.length && text.slice(text.length - suffix.length) === suffix;
  }

  function stem(word) {
    var start = word.length;
    for (var i = 1; i < word.length; i += 1) {
      if (VOWELS.indexOf(word[i]) < 0 && VOWELS.indexOf(word[i - 1]) >= 0) { start = Math.max(i + 1, 3); break; }
    }
    var r1 = word.slice(start);
    function cut(count) { word = word.slice(0, word.length - count); r1 = r1.slice(0, r1.length - count); }
    var suffix = STEP1.find(function (s) { return endsWith(r1, s); });
    if (suffix === "s") {
      if (S_ENDING.indexOf(word[word.length - 2]) >= 0) { cut(1); }
    } else if (suffix) {
      cut(suffix.length);
    }
    if (STEP2.some(function (s) { return endsWith(r1, s); })) { cut(1); }
    if (endsWith(r1, "igst")) { cut(2); }
    suffix = STEP3.find(function (s) { return endsWith(r1, s); });
    if (suffix === "løst") {
      cut(1);
    } else if (suffix) {
      cut(suffix.length);
      if (STEP2.some(function (s) { return endsWith(r1, s); })) { cut(1); }
    }
    var last = word[word.length - 1];
    if (word.length > 3 && last === word[word.length - 2] && CONSONANTS.indexOf(last) >= 0) {
      word = word.slice(0, -1);
    }
    return word;
  }

  function fold(word) {
    return word.replace(/[æøåéèüöä]/g, function (c) { return FOLDING[c]; });
  }

  // A searcher over one loaded index: search(query) gives the numbers of the matching documents, best first.
  function searcher(index) {
    var sorted = Object.keys(index.terms).sort();
    var stop = Object.create(null);
    index.stop.forEach(function (word) { stop[word] = true; });

    function has(term) {
      return Object.prototype.hasOwnProperty.call(index.terms, term);
    }

    // The query's words as the index has them before stemming: lowercased, no stop words or single letters,
    // folded (the stop words are checked before folding, as on the server).
    function analyse(query) {
      var seen = Object.create(null);
      var words = [];
      (query.toLowerCase().match(WORD) || []).forEach(function (word) {
        if (word.length < 2 || stop[word]) { return; }
        var folded = fold(word);
        if (!seen[folded]) { seen[folded] = true; words.push(folded); }
      });
      return words;
    }

    function firstAtLeast(word) {
      var low = 0;
      var high = sorted.length;
      while (low < high) {
        var middle = (low + high) >> 1;
        if (sorted[middle] < word) { low = middle + 1; } else { high = middle; }
      }
      return low;
    }

    // Index terms for one word, each with how well it matches: its stem (1); else, while it is being typed,
    // the terms it begins (0.5: "samty" finds "samtyk"); else the longest known start of it (0.4).
    function matches(word, typing) {
      var found = [];
      var stemmed = stem(word);
      if (has(stemmed)) { return [[stemmed, 1]]; }
      if (typing && word.length >= 3) {
        [stemmed, word].forEach(function (start, n) {
          if (n === 1 && word.lastIndexOf(stemmed, 0) === 0) { return; }  // the stem's terms include the word's
          for (var i = firstAtLeast(start); i < sorted.length && sorted[i].lastIndexOf(start, 0) === 0; i += 1) {
            found.push([sorted[i], 0.5]);
          }
        });
      }
      // Not in the index at all: the longest known start of it ("medlemskab" → "medlem").
      for (var n = stemmed.length - 1; !found.length && n >= 4; n -= 1) {
        if (has(stemmed.slice(0, n))) { found.push([stemmed.slice(0, n), 0.4]); }
      }
      return found;
    }

    // Per document, the best weight of any index term matching `word`.
    function scores(word, typing) {
      var best = Object.create(null);
      matches(word, typing).forEach(function (match) {
        var postings = index.terms[match[0]];
        var doc = 0;
        for (var i = 0; i < postings.length; i += 2) {
          doc += postings[i];
          var value = postings[i + 1] * match[1];
          if (!(best[doc] >= value)) { best[doc] = value; }
        }
      });
      return best;
    }

    function synonyms(words) {
      var key = words.join(" ");
      return index.syn && Object.prototype.hasOwnProperty.call(index.syn, key) ? index.syn[key] : null;
    }

    // The query as concepts: a word, or a phrase of the synonym list with its alternatives (each a list of
    // words), the longest phrase first ("kunstig intelligens" → ai, machine learning …).
    function concepts(words) {
      var out = [];
      var i = 0;
      while (i < words.length) {
        var size = Math.min(index.synMax || 1, words.length - i);
        while (size > 1 && !synonyms(words.slice(i, i + size))) { size -= 1; }
        var own = words.slice(i, i + size);
        out.push({ size: size, own: own, alternatives: [own].concat(synonyms(own) || []) });
        i += size;
      }
      return out;
    }

    // `typing`: the query is still being typed, so its last word may be unfinished.
    function search(query, typing) {
      var words = analyse(query);
      var typed = typing && /[\p{L}\p{N}_]$/u.test(query) ? words[words.length - 1] : null;
      var total = Object.create(null);
      var matched = Object.create(null);
      // A document type named in the query ("skabelon") ranks that type higher, and the name itself is not
      // searched for (unless it is all the query says).
      var fired = (index.wanted || []).filter(function (rule) {
        return words.some(function (word) { return rule[0].indexOf(word) >= 0; });
      });
      var searched = words.filter(function (word) {
        return !fired.some(function (rule) { return rule[0].indexOf(word) >= 0; });
      });
      concepts(searched.length ? searched : words).forEach(function (concept) {
        var best = Object.create(null);
        concept.alternatives.forEach(function (alternative) {  // every word of an alternative must match
          var sum = null;
          alternative.forEach(function (word) {
            var found = scores(word, alternative === concept.own && word === typed);
            if (sum === null) { sum = found; return; }
            var both = Object.create(null);
            Object.keys(sum).forEach(function (doc) { if (doc in found) { both[doc] = sum[doc] + found[doc]; } });
            sum = both;
          });
          Object.keys(sum || {}).forEach(function (doc) {
            var value = sum[doc] / alternative.length;
            if (!(best[doc] >= value)) { best[doc] = value; }
          });
        });
        Object.keys(best).forEach(function (doc) {
          total[doc] = (total[doc] || 0) + best[doc] * concept.size;
          matched[doc] = (matched[doc] || 0) + concept.size;
        });
      });
      fired.forEach(function (rule) {
        rule[2].forEach(function (doc) { if (doc in total) { total[doc] *= rule[1]; } });
      });
      var found = Object.keys(total).map(Number).sort(function (a, b) {
        return (matched[b] - matched[a]) || (total[b] - total[a]) || (a - b);
      });
      return { words: words, found: found };
    }

    return { search: search };
  }

  if (typeof document === "undefined") {  // loaded by a script outside the browser (measuring relevance)
    if (typeof module !== "undefined") { module.exports = { searcher: searcher, stem: stem, fold: fold }; }
    return;
  }
  var root = document.getElementById("static-search");
  if (!root || !window.fetch) { return; }
  var form = root.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var message = document.getElementById("static-search-message");
  var section = root.querySelector(".results");
  var heading = document.getElementById("results-heading");
  var list = section.querySelector(".hits");
  var base = root.getAttribute("data-root") || "";
  var LIMIT = 50;
  var index = null;
  var engine = null;
  var timer = null;

  var loading = fetch(base + root.getAttribute("data-index"))
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (data) {
      index = data;
      engine = searcher(data);
    });

  function text(name, count) {
    return root.getAttribute(name).replace("{n}", String(count));
  }

  function hit(doc) {
    var item = document.createElement("li");
    item.className = "hit";
    var title = document.createElement("h3");
    var link = document.createElement("a");
    link.href = base + doc[1];
    link.textContent = doc[0];
    title.appendChild(link);
    var kind = document.createElement("p");
    kind.className = "meta";
    kind.textContent = index.kinds[doc[3]];
    var summary = document.createElement("p");
    summary.className = "snippet";
    summary.textContent = doc[2];
    item.append(title, kind, summary);
    return item;
  }

  function show(query, typing) {
    var result = engine.search(query, typing);
    if (!result.words.length) {
      section.hidden = true;
      list.replaceChildren();
      message.textContent = query.trim() ? root.getAttribute("data-none") : "";
      return;
    }
    var found = result.found;
    heading.textContent = text(found.length === 1 ? "data-one" : "data-many", found.length);
    list.replaceChildren.apply(list, found.slice(0, LIMIT).map(function (number) { return hit(index.docs[number]); }));
    section.hidden = false;
    message.textContent = !found.length ? root.getAttribute("data-none")
      : found.length > LIMIT ? text("data-shown", LIMIT) : "";
  }

  function run(query, typing) {
    loading.then(function () { show(query, typing); }, function () {
      section.hidden = true;
      message.textContent = root.getAttribute("data-failed");
    });
  }

  function remember(query) {  // so Back from a result returns to the same results
    try {
      window.history.replaceState(null, "", query.trim() ? "?q=" + encodeURIComponent(query) : window.location.pathname);
    } catch (error) { /* a file:// page may refuse; the search still works */ }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (timer) { clearTimeout(timer); }
    remember(input.value);
    run(input.value);
  });
  input.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { remember(input.value); run(input.value, true); }, 150);
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
}());
