#!/usr/bin/env python3
"""Plain-Python reference for `pointillist vocab explain`.

Re-implements, from the documented behaviour of the Swift sources, the work that
`pointillist vocab explain --file captions.txt` does, with the same inputs:

  * the WordNet 3.0 noun database (Debian `wordnet-base`, /usr/share/wordnet):
    data.noun (synsets, hypernym / instance pointers, glosses), index.noun (each
    lemma's senses in frequency order), cntlist.rev (sense tag counts, joined
    through sense keys lemma%1:lexfile:lexid::) and noun.exc (irregular plurals);
  * or WN-LMF XML files (`--lmf`, repeatable), streamed with
    xml.etree.ElementTree.iterparse;
  * the curation files of Vocab/ (function words, blocklist, aliases, senses,
    merges, includes, excludes, tangible roots and lexicographer-file rules);
  * the English word list /usr/share/dict/american-english-large.

Rules (Sources/Vocabulary/MentionExtractor.swift): tokenise; punctuation,
function words and words read as verbs split the caption into chunks; each chunk
is cut into longest known phrases and its last phrase is the mention; the
mention is judged (blocklist, alias, morphology, sense override or first
tangible dominant sense, proper names judged by the dominant sense, merges,
includes, word list).

Only the standard library is used.  Usage::

    reference.py explain --file captions.txt [--lmf F ...] [--vocab DIR]
                         [--timings] [--index] [--out rows.tsv]
    reference.py lmf-parse FILE...      # iterparse only, no lexicon built

`explain` prints the same TSV columns as the Swift command (text, lemma, sense,
synset, verdict, reason, rules, ambiguous, gloss); with --index two columns are put in
front: the caption index (0-based, over non-blank lines) and the span start in
code points.  With --timings it prints to stderr
`timings: load <s> s, extract <s> s, <n> texts, <m> rows` like the Swift side.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET

WORDNET_DIR = "/usr/share/wordnet"
WORD_LIST = "/usr/share/dict/american-english-large"

# --------------------------------------------------------------------------
# Tokeniser (Sources/Narratives/WordAligner.swift, `Tokenizer`).
# --------------------------------------------------------------------------

JOINERS = ("'", "\u2019", "-")
# Unicode White_Space (what Swift's `properties.isWhitespace` tests).
WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
               "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# For ASCII text: runs of letters/digits joined across one apostrophe or hyphen.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")
_ASCII_JOINERS = str.maketrans("", "", "'-")


def is_word_char(ch: str) -> bool:
    if ch < "\x80":
        return ch.isalnum()
    return ch.isalpha() or unicodedata.numeric(ch, None) is not None


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, length, normalised) for every word; offsets in code points."""
    if text.isascii():
        return [(m.start(), m.end() - m.start(), m.group().lower().translate(_ASCII_JOINERS))
                for m in _ASCII_WORD.finditer(text)]
    result = []
    norm: list[str] = []
    start = -1
    pending = False
    n = len(text)
    offset = 0
    for offset, ch in enumerate(text):
        if is_word_char(ch):
            if start < 0:
                start = offset
            pending = False
            norm.append(ch.lower())
        elif (start >= 0 and not pending and ch in JOINERS and offset + 1 < n
              and is_word_char(text[offset + 1])):
            pending = True
        else:
            if start >= 0:
                end = offset - 1 if pending else offset
                result.append((start, end - start, "".join(norm)))
            start, pending, norm = -1, False, []
    if start >= 0:
        end = n - 1 if pending else n
        result.append((start, end - start, "".join(norm)))
    return result


def key(written: str) -> str:
    """Lookup key of a written form: 'Traffic_Light' -> 'traffic light' (callers map _)."""
    return " ".join(t[2] for t in tokens(written))


def is_number(word: str) -> bool:
    if word.isascii():
        return word.isdigit()
    return all(unicodedata.numeric(c, None) is not None for c in word)


# --------------------------------------------------------------------------
# Lexicon (Sources/Lexicon/Lexicon.swift).
# --------------------------------------------------------------------------

LEXFILES = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
    "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
    "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
    "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
    "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
    "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
    "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
    "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather",
    "adj.ppl",
]
LEXFILE_NUMBER = {name: i for i, name in enumerate(LEXFILES)}


def lexfile_name(n: int) -> str:
    return LEXFILES[n] if n < len(LEXFILES) else f"lexfile.{n}"


class Synset:
    __slots__ = ("id", "lexfile", "lemmas", "hypernyms", "instance_of", "gloss", "ili")

    def __init__(self, id, lexfile, lemmas, hypernyms, instance_of, gloss, ili=None):
        self.id = id
        self.lexfile = lexfile
        self.lemmas = lemmas
        self.hypernyms = hypernyms
        self.instance_of = instance_of
        self.gloss = gloss
        self.ili = ili


class LexiconError(Exception):
    pass


# Noun detachment rules of morphy(7WN), in order.
DETACHMENTS = (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
               ("men", "man"), ("ies", "y"), ("s", ""))


class Lexicon:
    """Synsets, senses by lemma key (most frequent first), irregular forms."""

    def __init__(self, source, synsets, senses, exceptions, unresolved, verb_counts=None, adjectives=None):
        self.source = source
        self.adjectives = adjectives or set()  # lemma keys of index.adj
        self.verb_counts = verb_counts or {}   # verb lemma key -> summed tag counts (cntlist.rev %2:)
        self.synsets = synsets            # list[Synset]
        self.senses = senses              # key -> list of (synset index, number, count)
        self.exceptions = exceptions      # key -> list of base keys
        self.unresolved = unresolved
        self.by_id = {s.id: i for i, s in enumerate(synsets)}
        self.longest_lemma = max([1] + [k.count(" ") + 1 for k in senses])

    def base_forms(self, k: str) -> list[str]:
        senses = self.senses
        result = []
        if k in senses:
            result.append(k)
        for base in self.exceptions.get(k, ()):
            if base in senses and base not in result:
                result.append(base)
        for suffix, replacement in DETACHMENTS:
            if k.endswith(suffix):
                form = k[: len(k) - len(suffix)] + replacement
                if form in senses and form not in result:
                    result.append(form)
        return result

    @staticmethod
    def sense_name_of(lemma_key: str, number: int) -> str:
        return f"{lemma_key.replace(' ', '_')}.n.{number:02d}"

    def sense_name(self, synset: int) -> str:
        for lemma in self.synsets[synset].lemmas:
            k = key(lemma)
            for s, number, _ in self.senses.get(k, ()):
                if s == synset:
                    return self.sense_name_of(k, number)
        return self.synsets[synset].id

    def resolve(self, reference: str):
        if reference in self.by_id:
            return self.by_id[reference]
        parts = reference.split(".")
        if len(parts) < 3 or parts[-2] != "n":
            return None
        try:
            number = int(parts[-1])
        except ValueError:
            return None
        if number < 1:
            return None
        lst = self.senses.get(key(".".join(parts[:-2])))
        if not lst or number > len(lst):
            return None
        for s, n, _ in lst:
            if n == number:
                return s
        return None


class LexiconBuilder:
    """Collects synsets/senses/exceptions by source id, then resolves them."""

    def __init__(self):
        self.synsets = []     # [id, lexfile, lemmas, hypernym ids, instance ids, gloss, ili]
        self.senses = {}      # key -> list of (synset id, order, count)
        self.exceptions = {}  # key -> list of base keys
        self.adjectives = set()  # lemma keys that can be adjectives

    def add_sense(self, written, synset_id, order, count):
        k = key(written)
        lst = self.senses.get(k)
        if lst is None:
            self.senses[k] = [(synset_id, order, count)]
        else:
            lst.append((synset_id, order, count))

    def add_exception(self, form, base):
        k, b = key(form), key(base)
        if k == b or not k or not b:
            return
        lst = self.exceptions.setdefault(k, [])
        if b not in lst:
            lst.append(b)

    def build(self, source) -> Lexicon:
        index = {p[0]: i for i, p in enumerate(self.synsets)}
        unresolved = 0

        def resolve(ids):
            nonlocal unresolved
            out = []
            for i in ids:
                j = index.get(i)
                if j is None:
                    unresolved += 1
                else:
                    out.append(j)
            return out

        synsets = [Synset(p[0], p[1], p[2], resolve(p[3]), resolve(p[4]), p[5], p[6])
                   for p in self.synsets]
        senses = {}
        for k, lst in self.senses.items():
            ordered = sorted(range(len(lst)), key=lambda i: (lst[i][1], i))
            seen = set()
            result = []
            for i in ordered:
                s = index.get(lst[i][0])
                if s is None or s in seen:
                    continue
                seen.add(s)
                result.append((s, len(result) + 1, lst[i][2]))
            if result:
                senses[k] = result
        return Lexicon(source, synsets, senses, self.exceptions, unresolved, getattr(self, "verb_counts", {}),
                       getattr(self, "adjectives", set()))


def _lines(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise LexiconError(f"{path}: cannot open: {e.strerror}")
    for line in data.decode("utf-8", "replace").split("\n"):
        yield line[:-1] if line.endswith("\r") else line


def load_princeton(directory=WORDNET_DIR) -> Lexicon:
    """WordNet 3.0 database nouns (wndb(5WN), cntlist(5WN))."""
    b = LexiconBuilder()
    lex_ids = {}   # "lemma offset-n" -> lex id
    path = directory + "/data.noun"
    for number, line in enumerate(_lines(path), 1):
        if not line or line[0] == " ":
            continue
        bar = line.find("|")
        f = [x for x in (line if bar < 0 else line[:bar]).split(" ") if x]
        try:
            offset, lexnum, sstype, wcnt = f[0], int(f[1]), f[2], int(f[3], 16)
            if len(offset) != 8 or sstype != "n" or lexnum >= 256:
                raise ValueError
        except (ValueError, IndexError):
            raise LexiconError(f"{path}:{number}: malformed synset header")
        sid = offset + "-n"
        lemmas = []
        p = 4
        for _ in range(wcnt):
            word = f[p]
            lemmas.append(word.replace("_", " "))
            lex_ids[word.lower() + " " + sid] = int(f[p + 1], 16) & 0xFF
            p += 2
        pcnt = int(f[p])
        p += 1
        hyper, inst = [], []
        for _ in range(pcnt):
            symbol, target, pos = f[p], f[p + 1], f[p + 2]
            p += 4
            if pos != "n":
                continue
            if symbol == "@":
                hyper.append(target + "-n")
            elif symbol == "@i":
                inst.append(target + "-n")
        gloss = ""
        if bar >= 0:
            gloss = line[bar + 2:].rstrip(" ")
        b.synsets.append([sid, lexnum, lemmas, hyper, inst, gloss, None])

    b.adjectives = set()
    apath = directory + "/index.adj"
    if os.access(apath, os.R_OK):
        for line in _lines(apath):
            if line and line[0] != " ":
                b.adjectives.add(key(line.split(" ")[0].replace("_", " ")))
    counts = None
    cpath = directory + "/cntlist.rev"
    b.verb_counts = {}
    if os.access(cpath, os.R_OK):
        counts = {}
        for line in _lines(cpath):
            f = [x for x in line.split(" ") if x]
            if len(f) < 3 or "%" not in f[0]:
                continue
            try:
                n = int(f[2])
            except ValueError:
                continue
            lemma, _, rest = f[0].partition("%")
            if rest.startswith("2:"):
                k = key(lemma.replace("_", " "))
                b.verb_counts[k] = b.verb_counts.get(k, 0) + n
            if "%1:" in f[0]:
                counts[f[0]] = n
    lexfiles = {s[0]: s[1] for s in b.synsets}

    path = directory + "/index.noun"
    for number, line in enumerate(_lines(path), 1):
        if not line or line[0] == " ":
            continue
        f = [x for x in line.split(" ") if x]
        try:
            lemma, pos, scnt, pcnt = f[0], f[1], int(f[2]), int(f[3])
            if pos != "n":
                raise ValueError
        except (ValueError, IndexError):
            raise LexiconError(f"{path}:{number}: malformed index entry")
        written = lemma.replace("_", " ")
        first = 4 + pcnt + 2
        for order in range(scnt):
            sid = f[first + order] + "-n"
            count = 0
            if counts is not None:
                lf = lexfiles.get(sid)
                lid = lex_ids.get(lemma + " " + sid)
                if lf is not None and lid is not None:
                    count = counts.get(f"{lemma}%1:{lf:02d}:{lid:02d}::", 0)
            b.add_sense(written, sid, order, count)

    path = directory + "/noun.exc"
    for number, line in enumerate(_lines(path), 1):
        f = [x for x in line.split(" ") if x]
        if not f:
            continue
        if len(f) == 1:
            raise LexiconError(f"{path}:{number}: exception '{f[0]}' has no base form")
        written = f[0].replace("_", " ")
        for base in f[1:]:
            b.add_exception(written, base.replace("_", " "))
    return b.build(f"WordNet 3.0 database at {directory}")


# --------------------------------------------------------------------------
# WN-LMF XML (Sources/Lexicon/LMFLoader.swift), streamed with iterparse.
# --------------------------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _subject(attrib):
    """The lexicographer file: dc:subject (WN-LMF 1.1) or a lexfile attribute (OEWN 2024+)."""
    for k, v in attrib.items():
        if k == "subject" or k.endswith("}subject"):
            return v
    return attrib.get("lexfile")


def load_lmf(files) -> Lexicon:
    b = LexiconBuilder()
    members_of = {}    # builder index -> member entry ids
    lemma_of_entry = {}
    for path in files:
        entry_id = entry_lemma = None
        entry_is_noun = False
        forms, entry_senses = [], []
        synset = None
        members = []
        try:
            for event, el in ET.iterparse(path, events=("start", "end")):
                name = _local(el.tag)
                if event == "start":
                    a = el.attrib
                    if name == "LexicalEntry":
                        entry_id = a.get("id")
                    elif name == "Lemma":
                        form = a.get("writtenForm")
                        if form is None:
                            raise LexiconError(f"{path}: Lemma without writtenForm")
                        entry_lemma = form
                        entry_is_noun = a.get("partOfSpeech") == "n"
                        if a.get("partOfSpeech") in ("a", "s"):
                            b.adjectives.add(key(form))
                    elif name == "Form":
                        form = a.get("writtenForm")
                        if form is not None:
                            forms.append(form)
                    elif name == "Sense":
                        target = a.get("synset")
                        if target is None:
                            raise LexiconError(f"{path}: Sense without synset")
                        try:
                            order = int(a["n"])
                        except (KeyError, ValueError):
                            order = None
                        entry_senses.append((target, order))
                    elif name == "Synset":
                        sid = a.get("id")
                        if sid is None:
                            raise LexiconError(f"{path}: Synset without id")
                        synset = None
                        if a.get("partOfSpeech") != "n":
                            continue
                        subject = _subject(a)
                        lexfile = 3  # noun.Tops when the lexicon does not say
                        if subject is not None:
                            if subject not in LEXFILE_NUMBER:
                                raise LexiconError(
                                    f"{path}: Synset {sid}: unknown lexicographer file '{subject}'")
                            lexfile = LEXFILE_NUMBER[subject]
                        ili = a.get("ili")
                        synset = [sid, lexfile, [], [], [], "", None if not ili or ili == "in" else ili]
                        members = [m for m in a.get("members", "").split(" ") if m]
                    elif name == "SynsetRelation":
                        if synset is None:
                            continue
                        rel, target = a.get("relType"), a.get("target")
                        if rel is None or target is None:
                            continue
                        if rel == "hypernym":
                            synset[3].append(target)
                        elif rel == "instance_hypernym":
                            synset[4].append(target)
                else:
                    if name == "LexicalEntry":
                        if entry_is_noun and entry_lemma is not None:
                            if entry_id is not None:
                                lemma_of_entry[entry_id] = entry_lemma
                            for pos, (target, order) in enumerate(entry_senses):
                                b.add_sense(entry_lemma, target, pos if order is None else order, 0)
                            for form in forms:
                                b.add_exception(form, entry_lemma)
                        entry_id = entry_lemma = None
                        entry_is_noun = False
                        forms, entry_senses = [], []
                        el.clear()
                    elif name == "Synset":
                        if synset is not None:
                            members_of[len(b.synsets)] = members
                            b.synsets.append(synset)
                            synset, members = None, []
                        el.clear()
                    elif name == "Definition":
                        if synset is not None and synset[5] == "":
                            synset[5] = "".join(el.itertext())
        except ET.ParseError as e:
            raise LexiconError(f"{path}: {e}")
    for i, ids in members_of.items():
        b.synsets[i][2] = [lemma_of_entry[m] for m in ids if m in lemma_of_entry]
    return b.build(f"WN-LMF {files[0]}" if len(files) == 1 else f"WN-LMF {len(files)} files")


def lmf_parse_only(files) -> int:
    """Streams the files with iterparse, touching every element; no lexicon built."""
    n = 0
    for path in files:
        for event, el in ET.iterparse(path, events=("start", "end")):
            n += 1
            if event == "end" and _local(el.tag) in ("LexicalEntry", "Synset"):
                el.clear()
    return n


# --------------------------------------------------------------------------
# Curation files (Sources/Vocabulary/Curation.swift) and the word list.
# --------------------------------------------------------------------------

CATEGORIES = ("determiner", "pronoun", "preposition", "conjunction", "auxiliary", "modal",
              "adverb", "quantifier", "number", "adjective", "verb", "other")


class VocabError(Exception):
    pass


def read_text(path, optional):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        if optional:
            return None
        raise VocabError(f"{path}: cannot open: No such file or directory")
    except OSError as e:
        raise VocabError(f"{path}: cannot open: {e.strerror}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise VocabError(f"{path}: not valid UTF-8")


def read_tsv(path, columns, optional):
    """Yields (fields, line number): '#' comments, blank lines and a header skipped."""
    text = read_text(path, optional)
    if text is None:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if line.strip(" \t") == "" or line.startswith("#"):
            continue
        fields = [f.strip(" ") for f in line.split("\t")]
        if len(fields) >= len(columns) and fields[: len(columns)] == columns:
            continue
        if len(fields) < len(columns):
            raise VocabError(f"{path}:{number}: field {columns[len(fields)]}: expected "
                             f"{len(columns)} tab-separated columns ({', '.join(columns)}), "
                             f"found {len(fields)}")
        for i in range(len(columns)):
            if fields[i] == "":
                raise VocabError(f"{path}:{number}: field {columns[i]}: empty")
        yield fields, number


class Curation:
    def alias_for(self, k):
        """Curation.alias(for:): the alias of k, else, for a phrase, of k with its last word detached."""
        alias = self.aliases.get(k)
        if alias is not None or " " not in k:
            return alias
        for suffix, replacement in DETACHMENTS:
            if k.endswith(suffix):
                alias = self.aliases.get(k[: len(k) - len(suffix)] + replacement)
                if alias is not None:
                    return alias
        return None

    def __init__(self, directory, lexicon: Lexicon):
        self.directory = directory
        self.function_words = {}
        self.blocklist = {}        # key -> (reason, rule)
        self.aliases = {}          # key -> (synset, rule)
        self.sense_overrides = {}  # key -> (synset, rule)
        self.merges = {}           # synset -> (into, rule)
        self.includes = {}         # synset -> (reason, rule)
        self.excludes = {}         # synset -> (reason, rule)
        self.roots = []
        self.denied = {}
        self.allowed = {}

        def path(name):
            return directory + "/" + name

        def sense(text, file, line, field):
            s = lexicon.resolve(text)
            if s is None:
                raise VocabError(f"{file}:{line}: field {field}: '{text}' is not a noun sense in "
                                 f"{lexicon.source}")
            return s

        def phrase(text, file, line, field):
            k = key(text)
            if not k:
                raise VocabError(f"{file}:{line}: field {field}: empty word or phrase")
            return k

        p = path("function-words.tsv")
        for f, n in read_tsv(p, ["word", "category"], True):
            w = phrase(f[0], p, n, "word")
            if f[1] not in CATEGORIES:
                raise VocabError(f"{p}:{n}: field category: '{f[1]}' is not one of "
                                 + ", ".join(CATEGORIES))
            self.function_words[w] = f[1]
        p = path("blocklist.tsv")
        for f, n in read_tsv(p, ["word", "reason"], True):
            self.blocklist[phrase(f[0], p, n, "word")] = (f[1], f"{p}:{n}")
        p = path("aliases.tsv")
        for f, n in read_tsv(p, ["phrase", "sense"], True):
            k = phrase(f[0], p, n, "phrase")
            self.aliases[k] = (sense(f[1], p, n, "sense"), f"{p}:{n}")
        p = path("senses.tsv")
        for f, n in read_tsv(p, ["lemma", "sense"], True):
            k = phrase(f[0], p, n, "lemma")
            if k not in lexicon.senses:
                raise VocabError(f"{p}:{n}: field lemma: '{f[0]}' is not a noun lemma in "
                                 f"{lexicon.source}")
            self.sense_overrides[k] = (sense(f[1], p, n, "sense"), f"{p}:{n}")
        p = path("merges.tsv")
        for f, n in read_tsv(p, ["sense", "into"], True):
            a, b = sense(f[0], p, n, "sense"), sense(f[1], p, n, "into")
            if a == b:
                raise VocabError(f"{p}:{n}: field into: a sense cannot merge into itself")
            self.merges[a] = (b, f"{p}:{n}")
        p = path("includes.tsv")
        for f, n in read_tsv(p, ["sense", "reason"], True):
            self.includes[sense(f[0], p, n, "sense")] = (f[1], f"{p}:{n}")
        p = path("excludes.tsv")
        for f, n in read_tsv(p, ["sense", "reason"], True):
            self.excludes[sense(f[0], p, n, "sense")] = (f[1], f"{p}:{n}")
        p = path("tangible.tsv")
        for f, n in read_tsv(p, ["rule", "value"], False):
            if f[0] == "root":
                self.roots.append((sense(f[1], p, n, "value"), f"{p}:{n}"))
            elif f[0] in ("deny-lexfile", "allow-lexfile"):
                lf = LEXFILE_NUMBER.get(f[1])
                if lf is None or not f[1].startswith("noun."):
                    raise VocabError(f"{p}:{n}: field value: '{f[1]}' is not a noun lexicographer file")
                (self.denied if f[0] == "deny-lexfile" else self.allowed)[lf] = f"{p}:{n}"
            else:
                raise VocabError(f"{p}:{n}: field rule: '{f[0]}' is not root, deny-lexfile or allow-lexfile")
        if not self.roots:
            raise VocabError(f"{p}: no root: name at least one sense the tangible classes descend from")
        for start, (_, rule) in self.merges.items():
            seen = {start}
            s = start
            while s in self.merges:
                s = self.merges[s][0]
                if s in seen:
                    raise VocabError(f"{rule}: merges form a cycle")
                seen.add(s)
        self.longest_phrase = max([1] + [len(k.split()) for k in
                                         list(self.blocklist) + list(self.aliases)])

    def merge_target(self, synset):
        rule = None
        while synset in self.merges:
            synset, r = self.merges[synset]
            rule = rule or r
        return synset, rule


def load_word_list(path=WORD_LIST) -> tuple:
    """(common words, capitalised words): possessives (entries with an apostrophe) are
    skipped; the rest are normalised like captions and split by their first letter's case."""
    text = read_text(path, False)
    words, capitalised = set(), set()
    for line in text.split("\n"):
        if not line or "'" in line:
            continue
        k = key(line)
        if k and " " not in k:
            (capitalised if line[0].isupper() else words).add(k)
    if not words:
        raise VocabError(f"{path}: no common words in the list")
    return words, capitalised


# --------------------------------------------------------------------------
# Mention extraction (Sources/Vocabulary/MentionExtractor.swift).
# --------------------------------------------------------------------------

MODIFIERS = ("determiner", "quantifier", "number", "adjective")


class Extractor:
    def __init__(self, lexicon: Lexicon, curation: Curation, words: set):
        self.lexicon = lexicon
        self.curation = curation
        self.words = words
        self.phrase_limit = max(lexicon.longest_lemma, curation.longest_phrase)
        self.has_tag_counts = None  # MentionExtractor.hasTagCounts, worked out on first use
        # MentionExtractor.phrasePrefixes: proper word prefixes of multiword lemmas and phrases.
        self.prefixes = set()
        for k in list(lexicon.senses) + list(curation.blocklist) + list(curation.aliases):
            words = k.split(" ")
            for n in range(1, len(words)):
                self.prefixes.add(" ".join(words[:n]))
        roots = {s for s, _ in curation.roots}
        synsets = lexicon.synsets

        def descends(tops):
            """MentionExtractor.descends: per synset, whether its closure reaches `tops`."""
            state = bytearray(len(synsets))   # 0 unknown, 1 in progress, 2 reaches, 3 does not

            def reaches(s):
                st = state[s]
                if st == 2:
                    return True
                if st:
                    return False
                state[s] = 1
                node = synsets[s]
                result = s in tops
                if not result:
                    for h in node.hypernyms + node.instance_of:
                        if reaches(h):
                            result = True
                            break
                state[s] = 2 if result else 3
                return result
            return [reaches(i) for i in range(len(synsets))]

        under_root = descends(roots)
        # A root filed under a denied lexicographer file opens its own subtree there.
        opened = {r for r in roots if synsets[r].lexfile in curation.denied}
        under_opened = descends(opened) if opened else [False] * len(synsets)
        self.tangible = [(lf not in curation.denied and (lf in curation.allowed or under_root[i])) or under_opened[i]
                         for i, lf in enumerate(s.lexfile for s in synsets)]

    # -- chunking -----------------------------------------------------------
    def candidates(self, caption: str):
        """Mentions of a caption: dicts with start, length, surface, lemma, sense,
        synset, verdict (code, explanation), rules."""
        toks = tokens(caption)
        if not toks:
            return []
        fw = self.curation.function_words
        glued = self.glued_function_words(caption, toks)
        result = []
        chunk = []
        previous = None
        fw_after_content = False
        prev_end = 0
        for i, (start, length, word) in enumerate(toks):
            if i > 0 and caption[prev_end:start].strip(WHITE_SPACE):
                if chunk:
                    self.flush(chunk, toks, result)
                    chunk = []
                previous = None
            prev_end = start + length
            category = fw.get(word)
            if is_number(word):
                category = "number"
            if category == "modal" and (previous in MODIFIERS or self.starts_known_phrase(caption, toks, i)):
                category = None  # "a can of soda", "can opener"
            if category is not None and i not in glued:
                fw_after_content = bool(chunk)
                if chunk:
                    self.flush(chunk, toks, result)
                    chunk = []
                previous = category
                continue
            if previous == "modal" or previous == "pronoun":
                if chunk:
                    self.flush(chunk, toks, result)
                    chunk = []
                previous = "verb"
                continue
            if len(word) >= 6 and (word.endswith("ing") or word.endswith("ed")):
                noun = bool(self.lexicon.base_forms(word))
                obj = previous == "verb" and noun  # "we can see building"
                peer = previous == "conjunction" and fw_after_content and noun  # "shoes and railing"
                if previous not in MODIFIERS and not obj and not peer and not self.starts_known_phrase(caption, toks, i):
                    if chunk:
                        self.flush(chunk, toks, result)
                        chunk = []
                    previous = "verb"
                    continue
            if chunk and fw.get(word) is None and not is_number(word) and self.verb_reading(word) and self.reads_as_verb(toks[i - 1][2], word):
                self.flush(chunk, toks, result)
                chunk = []
                previous = "verb"
                continue
            if (chunk and fw.get(word) is None and not is_number(word)
                    and not (len(word) >= 6 and (word.endswith("ing") or word.endswith("ed")))
                    and self.bare_verb_reading(word) and self.reads_as_bare_verb(toks[i - 1][2], word)):
                self.flush(chunk, toks, result)
                chunk = []
                previous = "verb"
                continue
            if (previous == "auxiliary" and fw_after_content and word in self.lexicon.adjectives
                    and (i + 1 == len(toks) or caption[start + length:toks[i + 1][0]].strip(WHITE_SPACE)
                         or fw.get(toks[i + 1][2]) is not None or is_number(toks[i + 1][2]))):
                previous = "adjective"  # "the grass is dry"
                continue
            if not chunk and self.coordinated_adjective(caption, toks, i):
                previous = "adjective"
                continue
            chunk.append(i)
            previous = None
        if chunk:
            self.flush(chunk, toks, result)
        return result

    def coordinated_adjective(self, caption, toks, i):
        """MentionExtractor.isCoordinatedAdjective: a word that can be an adjective, then a
        conjunction, an adjective and a content word, no punctuation between."""
        if i + 3 >= len(toks):
            return False
        for j in (i + 1, i + 2, i + 3):
            if caption[toks[j - 1][0] + toks[j - 1][1]:toks[j][0]].strip(WHITE_SPACE):
                return False
        fw, lex = self.curation.function_words, self.lexicon
        def category(word):
            return "number" if is_number(word) else fw.get(word)
        other = toks[i + 2][2]
        return (toks[i][2] in lex.adjectives and category(toks[i + 1][2]) == "conjunction"
                and (category(other) == "adjective" or (category(other) is None and other in lex.adjectives))
                and category(toks[i + 3][2]) is None)

    def starts_known_phrase(self, caption, toks, i):
        """MentionExtractor.startsKnownPhrase: this word and the next, no punctuation between,
        are a known phrase or begin one."""
        if i + 1 >= len(toks) or caption[toks[i][0] + toks[i][1]:toks[i + 1][0]].strip(WHITE_SPACE):
            return False
        return self.starts_known_pair(toks[i][2], toks[i + 1][2])

    def starts_known_pair(self, first, second):
        """MentionExtractor.startsKnownPhrase(_:_:): the two words are a known phrase or begin one."""
        pair = first + " " + second
        lex, cur = self.lexicon, self.curation
        return pair in cur.blocklist or cur.alias_for(pair) is not None or bool(lex.base_forms(pair)) or pair in self.prefixes

    def verb_reading(self, word):
        """MentionExtractor.verbDominantSForm: an -s form whose verb base has >= 3 tagged verb
        uses and more than 1.5 times the tagged noun uses of its noun readings."""
        lex = self.lexicon
        if not lex.verb_counts or not word.endswith("s") or word.endswith("ss") or len(word) < 3:
            return None
        bases = [word[:-1]]
        if word.endswith("es"):
            bases.append(word[:-2])
        if word.endswith("ies"):
            bases.append(word[:-3] + "y")
        base = max(bases, key=lambda b: lex.verb_counts.get(b, 0))
        verb = lex.verb_counts.get(base, 0)
        noun = max([sum(c for _, _, c in lex.senses[k]) for k in lex.base_forms(word)] or [0])
        if verb >= 3 and verb > 1.5 * noun:
            return base, verb, noun
        return None

    def is_agent(self, synset):
        """MentionExtractor.agents: the synset descends from person.n.01 or animal.n.01
        through hypernym and instance links (itself included)."""
        lex = self.lexicon
        return self.reaches_any(synset, {a for a in (lex.resolve("person.n.01"), lex.resolve("animal.n.01")) if a is not None})

    def reaches_any(self, synset, targets):
        """Whether the synset or one above it (hypernym and instance links) is in `targets`."""
        lex = self.lexicon
        seen, todo = set(), [synset]
        while todo:
            s = todo.pop()
            if s in targets:
                return True
            if s in seen:
                continue
            seen.add(s)
            todo += lex.synsets[s].hypernyms + lex.synsets[s].instance_of
        return False

    def reads_as_verb(self, previous, word):
        """MentionExtractor.readsAsVerb: after a word that is no adjective and whose first sense
        is a person or animal, not an irregular noun plural, not a known phrase or its start."""
        lex = self.lexicon
        bases = lex.base_forms(previous)
        if lex.exceptions.get(word) or previous in lex.adjectives or not bases:
            return False
        synset = lex.senses[bases[0]][0][0]
        if not self.is_agent(synset):
            return False
        return not self.starts_known_pair(previous, word)

    def is_plural(self, k):
        """Lexicon.isPlural: an irregular noun form or a detached form that is a lemma."""
        lex = self.lexicon
        return bool(lex.exceptions.get(k)) or any(k[:len(k) - len(s)] + r in lex.senses
                                                   for s, r in DETACHMENTS if k.endswith(s))

    def bare_verb_reading(self, word):
        """MentionExtractor.verbDominantBareForm: no noun plural, >= 3 tagged verb uses and more
        than 1.5 times the word's tagged noun uses."""
        lex = self.lexicon
        if not lex.verb_counts or self.is_plural(word):
            return None
        verb = lex.verb_counts.get(word, 0)
        noun = sum(c for _, _, c in lex.senses.get(word, ()))
        return (verb, noun) if verb >= 3 and verb > 1.5 * noun else None

    def reads_as_bare_verb(self, previous, word):
        """MentionExtractor.readsAsBareVerb: after a noun plural or an alias naming a person or
        an animal (no adjective), the two no known phrase or its start."""
        lex, cur = self.lexicon, self.curation
        if previous in lex.adjectives:
            return False
        alias = cur.alias_for(previous)
        if alias is not None:
            subject = alias[0]
        else:
            bases = list(lex.exceptions.get(previous, ())) + [
                previous[:len(previous) - len(s)] + r for s, r in DETACHMENTS
                if previous.endswith(s) and previous[:len(previous) - len(s)] + r in lex.senses]
            if not bases or not lex.senses.get(bases[0]):
                return False
            subject = lex.senses[bases[0]][0][0]
        return self.is_agent(subject) and not self.starts_known_pair(previous, word)

    def is_kind(self, synset, word):
        """MentionExtractor.isKind: the synset is, or is a kind of, a sense of the word."""
        lex = self.lexicon
        return self.reaches_any(synset, {s for f in lex.base_forms(word) for s, _, _ in lex.senses[f]})

    def glued_function_words(self, caption, toks):
        """MentionExtractor.gluedFunctionWords: the function words inside the longest known
        phrase of three words or more that starts and ends with a content word, without
        punctuation between its words, and would be kept as a class."""
        fw, cur, lex = self.curation.function_words, self.curation, self.lexicon

        def function(w):
            return w in fw or is_number(w)

        glued = set()
        n = len(toks)
        for i in range(n):
            if function(toks[i][2]):
                continue
            end = i
            while end + 1 < n and not caption[toks[end][0] + toks[end][1]:toks[end + 1][0]].strip(WHITE_SPACE):
                end += 1
            for last in range(min(end, i + self.phrase_limit - 1), i + 1, -1):
                if function(toks[last][2]):
                    continue
                k = " ".join(t[2] for t in toks[i:last + 1])
                if (k in cur.blocklist or cur.alias_for(k) is not None or lex.base_forms(k)) and self.judge(k)["verdict"] == "kept":
                    glued.update(j for j in range(i + 1, last) if function(toks[j][2]))
                    break
        # An adjective that begins a name kept as a class of its own that is not a person.
        for i in range(n):
            if fw.get(toks[i][2]) != "adjective":
                continue
            end = i
            while end + 1 < n and not caption[toks[end][0] + toks[end][1]:toks[end + 1][0]].strip(WHITE_SPACE):
                end += 1
            for last in range(min(end, i + self.phrase_limit - 1), i, -1):
                if function(toks[last][2]):
                    continue
                k = " ".join(t[2] for t in toks[i:last + 1])
                if not (k in cur.blocklist or cur.alias_for(k) is not None or lex.base_forms(k)):
                    continue
                c = self.judge(k)
                if (c["verdict"] == "kept" and c["sense"] is not None and self.lexfile_of(c["sense"]) != "noun.person"
                        and self.is_kind(c["sense"], toks[last][2])):
                    glued.update(j for j in range(i, last) if function(toks[j][2]))
                    break
        return glued

    def flush(self, chunk, toks, result):
        lex, cur = self.lexicon, self.curation
        position = 0
        head = (0, 1)
        n = len(chunk)
        while position < n:
            length = min(self.phrase_limit, n - position)
            while length > 1:
                k = " ".join(toks[j][2] for j in chunk[position:position + length])
                if k in cur.blocklist or cur.alias_for(k) is not None or lex.base_forms(k):
                    break
                length -= 1
            head = (position, position + length)
            position += length
        first, last = chunk[head[0]], chunk[head[1] - 1]
        surface = " ".join(toks[j][2] for j in range(first, last + 1))
        c = self.judge(surface)
        c["start"] = toks[first][0]
        c["length"] = toks[last][0] + toks[last][1] - toks[first][0]
        result.append(c)

    # -- verdicts -------------------------------------------------------------
    def split_compound_forms(self, surface):
        """MentionExtractor.splitCompoundForms: a one-word name the lexicon knows written apart:
        the first split into pieces of at least three characters whose spaced form has base forms."""
        if len(surface) < 6 or " " in surface:
            return []
        for cut in range(3, len(surface) - 2):
            forms = self.lexicon.base_forms(surface[:cut] + " " + surface[cut:])
            if forms:
                return forms
        return []

    def judge(self, surface: str) -> dict:
        lex, cur = self.lexicon, self.curation
        c = {"surface": surface, "lemma": surface, "sense": None, "synset": None,
             "verdict": "unknown", "reason": "not a noun in the lexicon", "rules": [],
             "ambiguous": False}
        blocked = cur.blocklist.get(surface)
        if blocked is not None:
            c["verdict"] = "blocklist"
            c["reason"] = f"blocklisted at {blocked[1]}: {blocked[0]}"
            return c
        curated = False
        alias = cur.alias_for(surface)
        if alias is not None:
            c["sense"] = alias[0]
            # The class is named by its synset's first lemma ("people" -> person).
            lemmas = lex.synsets[alias[0]].lemmas
            c["lemma"] = key(lemmas[0]) if lemmas else surface
            c["rules"].append(alias[1])
            curated = True
        else:
            every = lex.base_forms(surface) or self.split_compound_forms(surface)
            # Base forms the word list has first; in each group the surface itself, then the
            # others by tagged noun uses ("vases": vase before vas).
            forms = sorted(every, key=lambda f: (f not in self.words[0], f != surface,
                                                 -sum(cnt for _, _, cnt in lex.senses.get(f, ()))))
            if not forms:
                return c
            for form in forms:
                blocked = cur.blocklist.get(form)
                if blocked is not None:
                    c["lemma"] = form
                    c["verdict"] = "blocklist"
                    c["reason"] = f"blocklisted at {blocked[1]}: {blocked[0]}"
                    return c
                override = cur.sense_overrides.get(form)
                if override is not None:
                    c["lemma"] = form
                    c["sense"] = override[0]
                    c["rules"].append(override[1])
                    curated = True
                    break
                pick = self.pick_sense(form)
                if pick is not None:
                    c["lemma"] = form
                    c["sense"], c["ambiguous"] = pick
                    break
            if c["sense"] is None and not curated:
                # Every form's dominant senses first, then MentionExtractor.fallback.
                for form in forms:
                    s = self.fallback(form)
                    if s is not None:
                        c["lemma"], c["sense"], c["ambiguous"] = form, s, True
                        break
            if c["sense"] is None:
                c["lemma"] = forms[0]
                senses = [s for f in forms for s in lex.senses.get(f, ())]
                # Explained by the dominant sense: a proper name when it is an instance.
                if senses and lex.synsets[senses[0][0]].instance_of:
                    c["verdict"] = "proper-name"
                    c["reason"] = f"proper name: {lex.sense_name(senses[0][0])} is an instance"
                elif senses:
                    d = senses[0][0]
                    c["verdict"] = "not-tangible"
                    c["reason"] = (f"not tangible: dominant sense {lex.sense_name(d)} is "
                                   f"{lexfile_name(lex.synsets[d].lexfile)}")
                return c
        merged, rule = cur.merge_target(c["sense"])
        c["synset"] = merged
        if rule is not None:
            c["rules"].append(rule)
        exclude = cur.excludes.get(merged)  # a sense a review dropped
        if exclude is not None:
            c["verdict"] = "blocklist"
            c["reason"] = f"blocklisted at {exclude[1]}: {exclude[0]}"
            return c
        include = cur.includes.get(merged)
        if include is not None:
            c["rules"].append(include[1])
            c["verdict"], c["reason"] = "kept", "passed every filter"
            return c
        if not curated:
            lemma_words = c["lemma"].split()
            written = key(surface).split()
            known_whole = len(lemma_words) > 1 and any(
                not lex.synsets[s].instance_of for s, _, _ in lex.senses.get(c["lemma"], ()))
            for i, w in enumerate(lemma_words):
                s = written[i] if len(written) == len(lemma_words) else None
                # In a name known whole, a capitalised entry before its last word: what the kind is named after.
                if known_whole and i < len(lemma_words) - 1 and w in self.words[1]:
                    continue
                if not self.is_common(w, s):
                    c["verdict"] = "uncommon"
                    c["reason"] = f"'{w}' is not in the English word list"
                    return c
        c["verdict"], c["reason"] = "kept", "passed every filter"
        return c

    def is_common(self, w, surface):
        """WordList.isCommon: listed; listed as written; listed with an "s"; two listed words
        of at least three letters joined; or listed capitalised and a common noun here."""
        words, capitalised = self.words
        if w in words or surface in words or w + "s" in words:
            return True
        if len(w) >= 6 and any(w[:i] in words and w[i:] in words for i in range(3, len(w) - 2)):
            return True
        return w in capitalised and any(
            not self.lexicon.synsets[s].instance_of for s, _, _ in self.lexicon.senses.get(w, ()))

    # Lexicographer files whose sense an image shows before the listed ones' (MentionExtractor.seenBefore).
    SEEN_BEFORE = {"noun.food": {"noun.plant", "noun.person"}, "noun.animal": {"noun.person", "noun.substance"},
                   "noun.artifact": {"noun.person"}}

    def fallback(self, k):
        """MentionExtractor.fallback: the first tangible non-instance sense that is not a
        person and is sense 1 or 2 or tagged at all; else, where sense 1 is an event, act,
        communication, cognition or group, the first such sense among the first four that is
        an artifact."""
        senses = [(s, number, cnt) for s, number, cnt in self.lexicon.senses.get(k, ())
                  if self.eligible(s) and self.lexfile_of(s) != "noun.person"]
        for s, number, cnt in senses:
            if number <= 2 or cnt > 0:
                return s
        everything = self.lexicon.senses.get(k, ())
        if not everything or self.lexfile_of(everything[0][0]) not in self.THING_BEHIND:
            return None
        for s, number, cnt in senses:
            if number <= 4 and self.lexfile_of(s) == "noun.artifact":
                return s
        return None

    THING_BEHIND = {"noun.event", "noun.act", "noun.communication", "noun.cognition", "noun.group"}

    def eligible(self, s):
        """A sense that may name a class: tangible (or included) and not an instance."""
        return (self.tangible[s] or s in self.curation.includes) and not self.lexicon.synsets[s].instance_of

    def lexfile_of(self, s):
        f = self.lexicon.synsets[s].lexfile
        return f if isinstance(f, str) else lexfile_name(f)

    def pick_sense(self, k):
        """(synset, ambiguous): among the tangible, non-instance dominant senses of a lemma
        (sense 1 and any sense tagged at least a quarter as often as the most tagged one; all
        when sense 1 is eligible and no sense is tagged more than once) the first, unless a
        later one's lexicographer file is seen before the first's (an animal first; food before
        plant or person, animal before person or substance, artifact before person); a
        communication sense then gives way to the first artifact sense among the first three or
        the tagged ones; ambiguous when another dominant eligible
        sense sits in a different lexicographer file. Without a dominant eligible sense, the
        first eligible sense of all, ambiguous. None when there is no eligible sense."""
        senses = self.lexicon.senses.get(k, ())
        most = max([0] + [cnt for _, _, cnt in senses])
        synsets = self.lexicon.synsets
        includes = self.curation.includes
        eligible = [(s, number, cnt) for s, number, cnt in senses if self.eligible(s)]
        weak_tags = most <= 1 and bool(eligible) and eligible[0][1] == 1
        dominant = [s for s, number, cnt in eligible if number == 1 or most == 0 or weak_tags or cnt * 4 >= most]
        if not dominant:
            return None
        name = self.lexfile_of
        chosen = dominant[0]
        first = name(chosen)
        if self.has_tag_counts is None:
            self.has_tag_counts = any(cnt > 0 for senses in self.lexicon.senses.values() for _, _, cnt in senses)
        if self.has_tag_counts:
            seen = [s for s in dominant if first in self.SEEN_BEFORE.get(name(s), ())]
            animals = [s for s in seen if name(s) == "noun.animal"]
            if seen:
                chosen = (animals or seen)[0]
            if name(chosen) == "noun.communication":
                for s, number, cnt in eligible:
                    if (number <= 3 or cnt > 0) and name(s) == "noun.artifact":
                        chosen = s
                        break
        return chosen, any(synsets[s].lexfile != synsets[chosen].lexfile for s in dominant)


def load_extractor(vocab="Vocab", lmf=None, wordnet=WORDNET_DIR, word_list=WORD_LIST) -> Extractor:
    if not os.path.isdir(vocab):
        raise VocabError(f"curation directory '{vocab}' not found")
    lexicon = load_lmf(lmf) if lmf else load_princeton(wordnet)
    curation = Curation(vocab, lexicon)
    return Extractor(lexicon, curation, load_word_list(word_list))


def clean(field: str) -> str:
    return field.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def explain(ex: Extractor, inputs, out, index=False) -> int:
    lex = ex.lexicon
    rows = 0
    write = out.write
    for ci, caption in enumerate(inputs):
        for c in ex.candidates(caption):
            rows += 1
            span = caption[c["start"]:c["start"] + c["length"]]
            s = c["synset"]
            fields = [span, c["lemma"],
                      lex.sense_name(s) if s is not None else "",
                      lex.synsets[s].id if s is not None else "",
                      c["verdict"], c["reason"], " ".join(c["rules"]),
                      "yes" if c["ambiguous"] else "",
                      lex.synsets[s].gloss if s is not None else ""]
            if index:
                fields = [str(ci), str(c["start"])] + fields
            write("\t".join(map(clean, fields)) + "\n")
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    e = sub.add_parser("explain")
    e.add_argument("texts", nargs="*")
    e.add_argument("--file")
    e.add_argument("--lmf", action="append", default=[])
    e.add_argument("--vocab", default="Vocab")
    e.add_argument("--wordnet", default=WORDNET_DIR)
    e.add_argument("--word-list", default=WORD_LIST)
    e.add_argument("--timings", action="store_true")
    e.add_argument("--index", action="store_true", help="prepend caption index and span start")
    e.add_argument("--out", help="write rows here instead of stdout")
    p = sub.add_parser("lmf-parse")
    p.add_argument("files", nargs="+")
    args = ap.parse_args(argv)

    if args.command == "lmf-parse":
        t0 = time.perf_counter()
        n = lmf_parse_only(args.files)
        print(f"timings: parse {time.perf_counter() - t0} s, {n} events", file=sys.stderr)
        return 0

    started = time.perf_counter()
    try:
        ex = load_extractor(args.vocab, args.lmf, args.wordnet, args.word_list)
    except (LexiconError, VocabError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    loaded = time.perf_counter()
    inputs = list(args.texts)
    if args.file:
        with open(args.file, encoding="utf-8", newline="") as f:
            inputs += [line for line in f.read().split("\n") if line.strip()]
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    header = ["text", "lemma", "sense", "synset", "verdict", "reason", "rules", "ambiguous", "gloss"]
    out.write("\t".join((["caption", "start"] if args.index else []) + header) + "\n")
    extracting = time.perf_counter()
    rows = explain(ex, inputs, out, args.index)
    out.flush()
    if args.timings:
        print(f"timings: load {loaded - started} s, extract {time.perf_counter() - extracting} s, "
              f"{len(inputs)} texts, {rows} rows", file=sys.stderr)
    if args.out:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
