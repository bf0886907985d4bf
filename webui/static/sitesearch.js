// Search on the static site (netkit export-site): the live search's query handling over the prebuilt
// search-index.json, in the browser, as you type and on Enter. The index holds the live ranker's own numbers
// (webui/staticsite/searchindex.py): per term, each document's scores (its positions, for phrases, in
// search-positions.json, fetched when a query first has a phrase). A query is read as
// toolkit/search/querying.py reads it: cleaned, `kind:` filters taken out, wildcards tamed, each synonym group
// one concept (its best alternative counts), then parsed as the live parser does (words OR-ed, "phrases", samtyk*, AND/OR/NOT/ANDNOT/ANDMAYBE, brackets)
// and each word analysed the same way (stop words, æ/ø/å folded, the server's Danish stemmer ported). The scores
// are added as the live ranker adds them, weighted by document type, and ordered by score, then by document
// number; with nothing found, a close common word of the library is tried ("Mente du …?"). The results are
// plain links, reached with Tab like any others.
(function () {
  "use strict";
  var FOLDING = { "æ": "ae", "ø": "oe", "å": "aa", "é": "e", "è": "e", "ü": "u", "ö": "oe", "ä": "ae" };
  var W = "\\p{L}\\p{N}_";  // Python's \w
  var WORD = new RegExp("[" + W + "]+(?:\\.?[" + W + "]+)*", "gu");
  var FIELD = "content";

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
    return word.toLowerCase().replace(/[æøåéèüöä]/g, function (c) { return FOLDING[c]; });
  }

  function escapeRegex(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // querytext.folded_regex: a folded word that also matches its unfolded spelling ("maerkning", "mærkning").
  function foldedRegex(folded) {
    return escapeRegex(folded).replace(/ae|oe|aa/g, function (pair) {
      return { ae: "(?:ae|æ)", oe: "(?:oe|ø)", aa: "(?:aa|å)" }[pair];
    });
  }

  // -- the query text (toolkit/search/querytext.py) ---------------------------------------------------------

  function cleanQuery(text, max) {
    text = Array.from(String(text).slice(0, max * 4)).join("").replace(/\p{C}/gu, " ");
    return text.split(/\s+/).filter(Boolean).join(" ").slice(0, max);
  }

  function splitFilters(text, names) {
    var filters = {};
    var words = text.replace(new RegExp("(?<!\\S)([" + W + "]+):(\\S+)", "gu"), function (all, name, value) {
      var field = Object.prototype.hasOwnProperty.call(names, name.toLowerCase()) ? names[name.toLowerCase()] : null;
      if (field === null) { return name + " " + value; }
      filters[field] = value.toLowerCase().replace(/^["']+|["']+$/g, "");
      return " ";
    });
    return [words.split(/\s+/).filter(Boolean).join(" "), filters];
  }

  function tameWildcards(text) {
    text = text.replace(/\?/g, " ");
    var pattern = new RegExp("(?<![" + W + "*])\\*+|(?<=[^" + W + "][" + W + "])\\*+|^[" + W + "]\\*+|\\*(?=[" +
      W + "])", "gu");
    return text.replace(pattern, " ").split("**").join("*");
  }

  // -- the searcher over one loaded index ------------------------------------------------------------------

  function searcher(index) {
    var size = index.docs.length;
    var scale = index.scale;
    var terms = index.terms;
    var sorted = Object.keys(terms).sort();
    var stop = new Set(index.stop);
    var vocab = index.vocab ? index.vocab.split(" ") : [];
    var rank = new Map(vocab.map(function (word, n) { return [word, n]; }));
    var protect = new Set(index.protect);
    var synonymWords = new Set();
    Object.keys(index.syn).forEach(function (term) {
      (term.match(new RegExp("[" + W + "]+", "gu")) || []).forEach(function (word) { synonymWords.add(word); });
    });
    var synonymPattern = null;
    var synonymTerms = Object.keys(index.syn).sort(function (a, b) { return b.length - a.length; });
    if (synonymTerms.length) {
      synonymPattern = new RegExp("(?<![" + W + "-])(" + synonymTerms.map(foldedRegex).join("|") + ")(?![" + W +
        "-])", "giu");
    }
    var decoded = new Map();
    var cache = new Map();

    function has(term) { return Object.prototype.hasOwnProperty.call(terms, term); }

    // A term's positions in each document it is in (Map doc → positions), from the positions file (pos), which
    // the page fetches only for a query with a phrase; null while it is not there.
    var missing = false;
    function positionsOf(term) {
      if (!index.pos) { missing = true; return null; }
      var byDoc = new Map();
      var lists = index.pos[term] || [];
      postings(term).forEach(function (posting, n) {
        var position = 0;
        byDoc.set(posting[0], (lists[n] || []).map(function (gap) { position += gap; return position; }));
      });
      return byDoc;
    }

    // A term's postings: [[doc, score, BM25 score], …] (decoded once).
    function postings(term) {
      if (!has(term)) { return []; }
      var found = decoded.get(term);
      if (found) { return found; }
      var flat = terms[term];
      var doc = 0;
      found = [];
      for (var i = 0; i < flat.length;) {
        doc += flat[i];
        found.push([doc, flat[i + 1], flat[i + 2]]);
        i += 3;
      }
      decoded.set(term, found);
      return found;
    }

    // DanishTokenizer in query mode: words lowercased, stop words (unless kept) and single letters dropped,
    // folded, stemmed; no compound parts.
    function analyse(text, keepStops) {
      var out = [];
      (text.toLowerCase().match(WORD) || []).forEach(function (word) {
        if (Array.from(word).length < 2 || (!keepStops && stop.has(word))) { return; }
        out.push(stem(fold(word)));
      });
      return out;
    }

    // querytext.expand_synonyms: each known term or phrase becomes (term OR "synonym" …), quoted phrases kept.
    function expandSynonyms(text) {
      if (!synonymPattern) { return text; }
      return text.split(/("[^"]*")/).map(function (piece) {
        if (piece.charAt(0) === "\"") { return piece; }
        return piece.replace(synonymPattern, function (all, term) {
          var words = [all].concat(index.syn[fold(term)] || []);
          return "(" + words.map(quoted).join(" OR ") + ")";
        });
      }).join("");
    }

    // The parts of a compound word no document holds whole (scoring.compound_parts, analysis.CompoundFilter):
    // "journalopslag" → journal, opslag.
    var compound = index.compound || { min: 3, linking: "", parts: [] };
    var parts = new Set(compound.parts);
    var stemmedParts = new Set();
    var byStem = new Map();
    compound.parts.forEach(function (part) { stemmedParts.add(stem(part)); byStem.set(stem(part), part); });

    function unlink(piece) {
      return compound.linking.indexOf(piece.charAt(piece.length - 1)) >= 0 ? piece.slice(0, -1) : piece;
    }

    function split(word) {
      for (var cut = compound.min; cut <= word.length - compound.min; cut += 1) {
        var head = word.slice(0, cut);
        var rest = word.slice(cut);
        if (!parts.has(head) && !(compound.linking.indexOf(head.charAt(head.length - 1)) >= 0 &&
            parts.has(head.slice(0, -1)))) { continue; }
        if (parts.has(rest) || stemmedParts.has(stem(rest))) { return [head, rest]; }
        var tail = split(rest);
        if (tail.length) { return [head].concat(tail); }
      }
      return [];
    }

    function canonical(piece) {
      if (parts.has(piece)) { return piece; }
      if (parts.has(unlink(piece))) { return unlink(piece); }
      return byStem.has(stem(piece)) ? byStem.get(stem(piece)) : piece;
    }

    function compoundParts(term) {
      if (has(term) || term.length < 2 * compound.min) { return []; }
      var pieces = split(term);
      // scoring.compound_parts: the last piece must be a stem or a part ("patientjournalen" is a typo's stem)
      var last = pieces.length ? pieces[pieces.length - 1] : "";
      if (!last || (stem(last) !== last && !parts.has(last) && !parts.has(last.slice(0, -1)))) { return []; }
      var emitted = [];
      for (var start = 0; pieces.length > 1 && start < pieces.length; start += 1) {
        for (var end = start + 1; end <= pieces.length; end += 1) {
          if (start === 0 && end === pieces.length) { continue; }
          var text = end - start === 1 ? canonical(pieces[start]) : pieces.slice(start, end).join("");
          if (emitted.indexOf(text) < 0 && text !== term) { emitted.push(text); }
        }
      }
      var stems = emitted.map(stem);
      var single = stems.filter(function (part) {
        return !stems.some(function (other) { return other !== part && part.indexOf(other) >= 0; });
      });
      return single.length > 1 ? single : [];
    }

    // -- parsing, as Whoosh's parser with the plugins the live search keeps --------------------------------

    var NULL = { type: "null" };

    function lex(text) {
      var tokens = [];
      var pattern = /\s+|\(|\)|"([^"]*)"|[^\s()"]+|"/gy;
      var match;
      var before = true;  // after whitespace or the start: where an operator may begin
      while ((match = pattern.exec(text)) !== null && match[0] !== "") {
        var value = match[0];
        var after = pattern.lastIndex >= text.length || /\s/.test(text.charAt(pattern.lastIndex));
        if (/^\s/.test(value)) {
          before = true;
          continue;
        }
        if (value === "(" || value === ")") {
          tokens.push({ kind: value });
        } else if (match[1] !== undefined) {
          tokens.push({ kind: "phrase", text: match[1] });
        } else if (value === "\"") {
          tokens.push({ kind: "word", text: value });
        } else {
          var spaced = before && after && pattern.lastIndex < text.length;
          var previous = text.charAt(match.index - 1);
          if (value === "NOT" && after && pattern.lastIndex < text.length &&
              (match.index === 0 || /[\s()]/.test(previous))) {
            tokens.push({ kind: "not" });
          } else if (spaced && match.index > 0 && ["AND", "OR", "ANDNOT", "ANDMAYBE"].indexOf(value) >= 0) {
            tokens.push({ kind: "op", op: value });
          } else {
            tokens.push({ kind: "word", text: value });
          }
        }
        before = false;
      }
      return tokens;
    }

    function node(token) {
      if (token.kind === "phrase") {
        var words = analyse(token.text);
        if (!words.length) { return NULL; }
        return words.length === 1 ? { type: "term", text: words[0] } : { type: "phrase", words: words };
      }
      var text = token.text;
      if (text.length > 1 && text.charAt(text.length - 1) === "*") {
        var starts = analyse(text.replace(/\*+$/, ""), true);
        return or(starts.map(function (start) { return { type: "prefix", text: start }; }));
      }
      return or(analyse(text).map(function (word) { return { type: "term", text: word }; }));
    }

    function or(items) {
      return items.length === 0 ? NULL : items.length === 1 ? items[0] : { type: "or", items: items };
    }

    // One group's items: NOT binds first, then AND, then OR, then ANDNOT/ANDMAYBE; the rest are OR-ed.
    function parseGroup(tokens, at) {
      var items = [];
      while (at.i < tokens.length && tokens[at.i].kind !== ")") {
        var token = tokens[at.i];
        at.i += 1;
        if (token.kind === "(") {
          items.push(parseGroup(tokens, at));
          if (at.i < tokens.length) { at.i += 1; }  // the closing bracket
        } else if (token.kind === "not" || token.kind === "op") {
          items.push(token);
        } else {
          items.push(node(token));
        }
      }
      var out = [];
      items.forEach(function (item, n) {  // NOT: a prefix operator on the item after it
        if (item.kind === "not") { return; }
        var negated = n > 0 && items[n - 1].kind === "not" && !item.kind;
        out.push(negated ? { type: "not", item: item } : item);
      });
      [["AND"], ["OR"], ["ANDNOT", "ANDMAYBE"]].forEach(function (ops) {
        var next = [];
        for (var i = 0; i < out.length; i += 1) {
          var item = out[i];
          if (item.kind === "op" && ops.indexOf(item.op) >= 0 && next.length && !next[next.length - 1].kind &&
              i + 1 < out.length && !out[i + 1].kind) {
            var left = next.pop();
            var right = out[i + 1];
            i += 1;
            if (item.op === "AND") {
              next.push({ type: "and", items: [left, right] });
            } else if (item.op === "OR") {
              next.push({ type: "or", items: [left, right] });
            } else {
              next.push({ type: item.op === "ANDNOT" ? "andnot" : "andmaybe", a: left, b: right });
            }
          } else {
            next.push(item);
          }
        }
        out = next;
      });
      return { type: "or", items: out.filter(function (item) { return !item.kind; }) };
    }

    function key(query) { return show(query); }

    // Whoosh's normalize: nulls dropped, nested groups of the same kind flattened, duplicates dropped.
    function normalize(query) {
      if (query.type === "or" || query.type === "and" || query.type === "dismax") {
        var items = [];
        var seen = new Set();
        query.items.map(normalize).forEach(function (item) {
          (item.type === query.type ? item.items : [item]).forEach(function (part) {
            if (part.type === "null" || seen.has(key(part))) { return; }
            seen.add(key(part));
            items.push(part);
          });
        });
        return items.length === 0 ? NULL : items.length === 1 ? items[0] : { type: query.type, items: items };
      }
      if (query.type === "not") {
        var inner = normalize(query.item);
        return inner.type === "null" ? NULL : { type: "not", item: inner };
      }
      if (query.type === "andnot" || query.type === "andmaybe") {
        var a = normalize(query.a);
        var b = normalize(query.b);
        if (a.type === "null") { return NULL; }
        return b.type === "null" ? a : { type: query.type, a: a, b: b };
      }
      return query;
    }

    // The query as Whoosh writes it (str(query)): what the tests compare with the server's.
    function show(query) {
      switch (query.type) {
        case "term": return FIELD + ":" + query.text;
        case "prefix": return FIELD + ":" + query.text + "*";
        case "phrase": return FIELD + ":\"" + query.words.join(" ") + "\"";
        case "or": case "and":
          return "(" + query.items.map(show).join(query.type === "or" ? " OR " : " AND ") + ")";
        case "dismax": return "DisMax(" + query.items.map(show).sort().join(" ") + ")";
        case "not": return "NOT " + show(query.item);
        case "andnot": return "(" + show(query.a) + " ANDNOT " + show(query.b) + ")";
        case "andmaybe": return "(" + show(query.a) + " ANDMAYBE " + show(query.b) + ")";
        default: return "<_NullQuery>";
      }
    }

    function parseText(text) {
      return normalize(parseGroup(lex(text), { i: 0 }));
    }

    // querying._concepts: plain words, each synonym group one DisjunctionMax of its alternatives; null for a
    // query with quotes, brackets or operators (parsed as typed, its synonyms OR-ed in).
    function concepts(text) {
      if (new RegExp("[\"()]|(?<![" + W + "])(?:AND|OR|NOT|ANDNOT|ANDMAYBE)(?![" + W + "])", "u").test(text)) { return null; }
      var pieces = [];
      var position = 0;
      if (synonymPattern) {
        synonymPattern.lastIndex = 0;
        var match;
        while ((match = synonymPattern.exec(text)) !== null) {
          pieces.push(text.slice(position, match.index));
          pieces.push([match[0]].concat(index.syn[fold(match[1])] || []).map(quoted));
          position = match.index + match[0].length;
        }
      }
      pieces.push(text.slice(position));
      var out = [];
      pieces.forEach(function (piece) {
        if (Array.isArray(piece)) {
          var alternatives = piece.map(parseText).filter(function (q) { return q.type !== "null"; });
          if (alternatives.length) { out.push({ type: "dismax", items: alternatives }); }
        } else if (piece.trim()) {
          var plain = parseText(piece);
          if (plain.type !== "null") { out.push(plain); }
        }
      });
      return out.length ? { type: "or", items: out } : NULL;
    }

    function quoted(word) {
      return word.indexOf(" ") >= 0 || word.indexOf("-") >= 0 ? "\"" + word + "\"" : word;
    }

    function parse(words) {
      var tamed = tameWildcards(words);
      var query = concepts(tamed);
      return normalize(query && query.type !== "null" ? query : parseGroup(lex(expandSynonyms(tamed)), { i: 0 }));
    }

    // -- scoring, as toolkit/search/ranking.py: per document, in integers of 1/scale --------------------------

    // One term's scores per document: `kind` 1, as the live scoring gives them (scoring.term_scores); 2, the
    // ranker's plain BM25 (what Whoosh scores).
    function termScores(text, kind) {
      var name = kind + " " + text;
      var scores = cache.get(name);
      if (scores) { return scores; }
      scores = new Float64Array(size);
      postings(text).forEach(function (posting) { scores[posting[0]] = posting[kind]; });
      cache.set(name, scores);
      return scores;
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

    // Where the phrase's words are at consecutive positions: the mean (live scoring) or the sum (Whoosh) of its
    // words' scores.
    function phraseScores(words, kind, mean) {
      var scores = new Float64Array(size);
      var places = words.map(positionsOf);
      if (places.some(function (place) { return place === null; })) { return scores; }
      var lists = words.map(function (word) {
        var byDoc = new Map();
        postings(word).forEach(function (posting) { byDoc.set(posting[0], posting); });
        return byDoc;
      });
      lists[0].forEach(function (first, doc) {
        var starts = new Set(places[0].get(doc));
        var total = first[kind];
        for (var n = 1; n < lists.length && starts.size; n += 1) {
          var posting = lists[n].get(doc);
          if (!posting) { starts = new Set(); break; }
          var here = new Set(places[n].get(doc).map(function (p) { return p - n; }));
          starts = new Set(Array.from(starts).filter(function (p) { return here.has(p); }));
          total += posting[kind];
        }
        if (starts.size) { scores[doc] = mean ? total / words.length : total; }
      });
      return scores;
    }

    function prefixScores(text) {  // a constant 1.0 where a term begins with it
      var found = new Float64Array(size);
      for (var i = firstAtLeast(text); i < sorted.length && sorted[i].lastIndexOf(text, 0) === 0; i += 1) {
        postings(sorted[i]).forEach(function (posting) { found[posting[0]] = scale; });
      }
      return found;
    }

    function combine(parts, all) {
      var scores = new Float64Array(size);
      for (var d = 0; d < size; d += 1) {
        var sum = 0;
        var every = true;
        for (var n = 0; n < parts.length; n += 1) { sum += parts[n][d]; every = every && parts[n][d] > 0; }
        scores[d] = all && !every ? 0 : sum;
      }
      return scores;
    }

    function without(scores, not) {
      for (var d = 0; d < size; d += 1) { if (not[d] > 0) { scores[d] = 0; } }
      return scores;
    }

    // The live scoring (scoring.query_scores): null for a shape it leaves to Whoosh (NOT, ANDMAYBE).
    function liveScores(query) {
      switch (query.type) {
        case "term": {
          var pieces = compoundParts(query.text);
          if (!pieces.length) { return termScores(query.text, 1); }
          return combine(pieces.map(function (part) { return termScores(part, 1); }), true)
            .map(function (value) { return value / pieces.length; });
        }
        case "phrase": return phraseScores(query.words, 1, true);
        case "prefix": return prefixScores(query.text);
        case "or": case "and": case "dismax": {
          var found = query.items.map(liveScores);
          if (found.some(function (part) { return part === null; })) { return null; }
          if (query.type !== "dismax") { return combine(found, query.type === "and"); }
          return found.reduce(function (best, part) {
            return best.map(function (value, d) { return Math.max(value, part[d]); });
          });
        }
        case "andnot": {
          var a = liveScores(query.a);
          return a === null ? null : without(Float64Array.from(a), scores(query.b));
        }
        case "null": return new Float64Array(size);
        default: return null;
      }
    }

    // Whoosh's own scoring, for the rest: plain BM25 summed, a phrase the sum of its words, NOT x 1.0 wherever
    // x is not.
    function whooshScores(query) {
      switch (query.type) {
        case "term": return termScores(query.text, 2);
        case "phrase": return phraseScores(query.words, 2, false);
        case "prefix": return prefixScores(query.text);
        case "or": case "and": return combine(query.items.map(whooshScores), query.type === "and");
        case "not": return without(new Float64Array(size).fill(scale), whooshScores(query.item));
        case "andnot": return without(Float64Array.from(whooshScores(query.a)), whooshScores(query.b));
        case "andmaybe": {
          var a = whooshScores(query.a);
          var b = whooshScores(query.b);
          return a.map(function (value, d) { return value > 0 ? value + b[d] : 0; });
        }
        default: return new Float64Array(size);
      }
    }

    function scores(query) {
      return liveScores(query) || whooshScores(query);
    }

    // querying.doctype_weights: a type's weight, or its higher weight when the query names it.
    function weights(words) {
      var said = new Set((words.toLowerCase().match(new RegExp("[" + W + "]+", "gu")) || []).map(fold));
      return index.types.map(function (type) {
        return type[3].some(function (name) { return said.has(name); }) ? type[2] : type[1];
      });
    }

    function allowedBy(filters) {
      return function (doc) {
        var entry = index.docs[doc];
        var type = index.types[entry[4]][0];
        return (!filters.kind || filters.kind === entry[5]) && (!filters.doctype || filters.doctype === type);
      };
    }

    // -- "Mente du …?" (querying.correction) ---------------------------------------------------------------

    function editDistance(a, b, limit) {
      var previous2 = [];
      var previous = [];
      for (var j = 0; j <= b.length; j += 1) { previous.push(j); }
      for (var i = 1; i <= a.length; i += 1) {
        var current = [i];
        for (j = 1; j <= b.length; j += 1) {
          var cost = a[i - 1] === b[j - 1] ? 0 : 1;
          current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
            current[j] = Math.min(current[j], previous2[j - 2] + 1);
          }
        }
        if (Math.min.apply(null, current) > limit) { return limit + 1; }
        previous2 = previous;
        previous = current;
      }
      return previous[previous.length - 1];
    }

    function candidates(word) {
      word = fold(word);
      if (rank.has(word) || word.length < 3) { return []; }
      var allowed = index.spell.distance[Math.min(word.length, index.spell.distance.length - 1)];
      var found = [];
      vocab.forEach(function (known, n) {
        if (known[0] !== word[0] || Math.abs(known.length - word.length) > allowed) { return; }
        var distance = editDistance(word, known, allowed);
        if (distance <= allowed) { found.push([distance, n, known]); }
      });
      found.sort(function (x, y) { return (x[0] - y[0]) || (x[1] - y[1]); });
      return found.slice(0, index.spell.candidates);
    }

    function correction(words, allowed) {
      var masks = new Map();
      function matches(word, filtered) {
        if (!masks.has(word)) {
          var query = parse(word);
          masks.set(word, query.type === "null" ? null : scores(query));
        }
        var found = masks.get(word);
        if (found === null) { return null; }
        var docs = [];
        found.forEach(function (value, doc) { if (value > 0 && (!filtered || allowed(doc))) { docs.push(doc); } });
        return docs;
      }
      function coverage(tokens) {
        var counts = new Map();
        var any = false;
        Array.from(new Set(tokens)).forEach(function (token) {
          if (!new RegExp("^[" + W + "]", "u").test(token) || ["AND", "OR", "NOT"].indexOf(token) >= 0) { return; }
          var docs = matches(token, true);
          if (docs === null) { return; }
          any = true;
          docs.forEach(function (doc) { counts.set(doc, (counts.get(doc) || 0) + 1); });
        });
        return any ? Math.max.apply(null, [0].concat(Array.from(counts.values()))) : 0;
      }
      var tokens = words.match(new RegExp("[" + W + "*]+|\\S", "gu")) || [];
      var corrected = tokens.slice();
      tokens.forEach(function (word, position) {
        var folded = fold(word);
        var length = Array.from(folded).length;
        if (!(length >= 4 && length <= 30 && /^\p{L}+$/u.test(folded)) ||
            (word === word.toUpperCase() && word !== word.toLowerCase()) || protect.has(folded) ||
            synonymWords.has(folded) || rank.has(folded)) { return; }
        var own = matches(word, false);
        if (own !== null && own.length) { return; }
        candidates(folded).some(function (candidate) {
          var docs = matches(candidate[2], false);
          var count = docs === null ? 0 : docs.length;
          if (count >= index.spell.minDocs ||
              (count >= 1 && candidate[0] === 1 && candidate[2].length >= index.spell.longWord)) {
            corrected[position] = unfoldLike(candidate[2], word);
            return true;
          }
          return false;
        });
      });
      if (corrected.join("\u0000") === tokens.join("\u0000") || coverage(corrected) <= coverage(tokens)) {
        return null;
      }
      return corrected.join(" ");
    }

    function withCorrections(words, suggestion) {
      if (!suggestion || /["()]|(^|\s)-/u.test(words)) { return words; }
      var typed = words.match(new RegExp("[" + W + "*]+|\\S", "gu")) || [];
      var corrected = suggestion.split(" ");
      if (typed.length !== corrected.length ||
          typed.some(function (token) { return ["AND", "OR", "NOT"].indexOf(token) >= 0; })) { return words; }
      var added = [];
      for (var i = 0; i < typed.length; i += 1) {
        if (typed[i] === corrected[i]) { continue; }
        if (Array.from(fold(typed[i])).length < index.spell.longWord) { return words; }
        added.push(corrected[i]);
      }
      return added.length ? [words].concat(added).join(" ") : words;
    }

    function unfoldLike(suggestion, original) {
      [["ae", "æ"], ["oe", "ø"], ["aa", "å"]].forEach(function (pair) {
        if (original.toLowerCase().indexOf(pair[1]) >= 0) { suggestion = suggestion.split(pair[0]).join(pair[1]); }
      });
      var first = original.charAt(0);
      return first && first === first.toUpperCase() && first !== first.toLowerCase()
        ? suggestion.charAt(0).toUpperCase() + suggestion.slice(1) : suggestion;
    }

    // -- answering -------------------------------------------------------------------------------------------

    function answer(text, given, corrected) {
      missing = false;
      var result = answered(text, given, corrected);
      result.incomplete = missing;  // a phrase, and the positions are not loaded yet: ask again when they are
      return result;
    }

    function answered(text, given, corrected) {
      text = cleanQuery(text, index.query.max);
      var split = splitFilters(text, index.query.filters);
      var words = split[0];
      var filters = Object.assign({}, split[1], given || {});
      var allowed = allowedBy(filters);
      var query = parse(words);
      if (query.type === "null") { return { query: query, found: [], words: words }; }
      var raw = scores(query);
      var factor = weights(words);
      var weighted = [];
      for (var d = 0; d < size; d += 1) {
        if (raw[d] > 0 && allowed(d)) {
          weighted.push([d, Math.fround(Math.fround(raw[d] / scale) * Math.fround(factor[index.docs[d][4]]))]);
        }
      }
      weighted.sort(function (x, y) { return (y[1] - x[1]) || (x[0] - y[0]); });
      var result = { query: query, found: weighted.map(function (pair) { return pair[0]; }), words: words };
      if (result.found.length && !corrected) {  // querying.with_corrections: a long typo's correction beside it
        var expanded = withCorrections(words, correction(words, allowed));
        if (expanded !== words) {  // and say so, as the live page does ("Søgte også efter …")
          var also = answered(expanded, filters, true);
          also.also = expanded.slice(words.length).trim();
          return also;
        }
      }
      if (!result.found.length && !corrected) {
        var suggestion = correction(words, allowed);
        if (suggestion) {
          var again = answered(suggestion, filters, true);
          if (again.found.length) { again.suggestion = suggestion; return again; }
        }
      }
      return result;
    }

    // `typing`: the query is still being typed, so its last word may be unfinished: when it is no word of the
    // library, it is read as the library's most frequent word it begins ("samty" → samtykke), and the live
    // search's answer for that is shown; failing that, as a prefix (samty*).
    function searched(text, typing) {
      var last = typing ? (text.match(new RegExp("[" + W + "]{2,}$", "u")) || [])[0] : null;
      if (last && !analyse(last, true).some(has)) {
        var start = fold(last);
        var completion = vocab.find(function (word) {
          return word.length > start.length && word.indexOf(start) === 0;
        });
        var head = text.slice(0, text.length - last.length);
        var tries = (completion ? [head + completion] : []).concat([text + "*"]);
        for (var n = 0; n < tries.length; n += 1) {
          var tried = answered(tries[n], null, true);
          if (tried.found.length) { return tried; }
        }
      }
      return answered(text);
    }

    function search(text, typing) {
      missing = false;
      var result = searched(text, typing);
      result.incomplete = missing;  // a phrase, and the positions are not loaded yet: ask again when they are
      return result;
    }

    return {
      search: search, answer: answer, parse: function (words) { return show(parse(words)); },
      addPositions: function (data) { index.pos = data.pos; }
    };
  }

  var api = { searcher: searcher, stem: stem, fold: fold, cleanQuery: cleanQuery, splitFilters: splitFilters };
  if (typeof document === "undefined") {  // loaded by a script outside the browser (tests, measuring relevance)
    if (typeof module !== "undefined") { module.exports = api; }
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
      if (data.v !== 3) { throw new Error("search index format " + data.v); }  // one from another export
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

  var positions = null;  // the positions file, fetched once, when a query first has a phrase

  function show(query, typing) {
    var result = engine.search(query, typing);
    if (result.incomplete && index.positions) {
      positions = positions || fetch(base + index.positions).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (data) { engine.addPositions(data); }, function (error) {
        positions = null;  // a failed fetch is tried again by the next phrase, not remembered
        throw error;
      });
      positions.then(function () { if (input.value === query) { show(query, typing); } }, failed);
      return;
    }
    if (result.query.type === "null") {
      section.hidden = true;
      list.replaceChildren();
      message.textContent = query.trim() ? root.getAttribute("data-none") : "";
      return;
    }
    var found = result.found;
    heading.textContent = text(found.length === 1 ? "data-one" : "data-many", found.length);
    list.replaceChildren.apply(list, found.slice(0, LIMIT).map(function (number) { return hit(index.docs[number]); }));
    section.hidden = false;
    var notes = [];
    if (result.suggestion && root.getAttribute("data-corrected")) {
      notes.push(root.getAttribute("data-corrected").replace("{q}", function () { return query.trim(); }) + " " + result.suggestion + ".");
    }
    if (result.also && root.getAttribute("data-also")) {
      notes.push(root.getAttribute("data-also") + " " + result.also + ".");
    }
    if (!found.length) { notes.push(root.getAttribute("data-none")); }
    if (found.length > LIMIT) { notes.push(text("data-shown", LIMIT)); }
    message.textContent = notes.join(" ");
  }

  function failed() {
    section.hidden = true;
    message.textContent = root.getAttribute("data-failed");
  }

  function run(query, typing) {
    loading.then(function () { show(query, typing); }, failed);
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
