"""How the classifier reads a message: words to concepts, and their readings (negated,
past, habitual, hypothetical, resolved). These are exact: they are what the rules and the
model are built on."""

from __future__ import annotations

import pytest

from intents import Classifier
from intents.analysis import DONE, HABIT, HYPO, NEG, PAST
from intents.lexicon import Lexicon


@pytest.fixture(scope="module")
def clf() -> Classifier:
    c = Classifier.load()
    c.wait_ready()
    return c


def concepts(clf: Classifier, text: str) -> dict[str, tuple[str, ...]]:
    """concept -> readings of its first mention"""
    out: dict[str, tuple[str, ...]] = {}
    for c in clf.analyse(text).concepts:
        out.setdefault(c.name, c.readings)
    return out


def test_words_align_with_jieba_tokens() -> None:
    lex = Lexicon({"火情": ["起火"], "设施": ["灯", "电梯"], "故障": ["=没电"]}, {})
    # 一起/火锅: 起火 would straddle two words
    assert lex.find("明天一起火锅", {0, 2, 4, 6}) == []
    # 灯 is one character: only as a whole word, not inside 灯笼
    assert [m.word for m in lex.find("灯笼", {0, 2})] == []
    assert [m.word for m in lex.find("灯坏了", {0, 1, 3})] == ["灯"]
    # =没电 must be whole: not in 没/电梯
    assert [m.name for m in lex.find("没电梯", {0, 1, 3})] == ["设施"]
    assert [m.name for m in lex.find("没电了", {0, 2, 3})] == ["故障"]


def test_a_word_may_say_two_concepts() -> None:
    lex = Lexicon({"设施": ["灯泡"], "家用": ["灯泡"]}, {})
    assert sorted(m.name for m in lex.find("灯泡", {0, 2})) == ["家用", "设施"]


@pytest.mark.parametrize("text,concept,reading", [
    ("火没烧起来", "火情", NEG),
    ("没人说路灯坏", "设施", NEG),
    ("上次厨房起火了", "火情", PAST),
    ("经常被困电梯", "被困", HABIT),
    ("万一着火了往哪跑", "火情", HYPO),
    ("着火了 往哪跑", "火情", HYPO),  # 往哪跑 makes the clause before it hypothetical too
    ("井盖修好了 谢谢网格员", "设施", DONE),
    ("14号楼电梯昨天卡了一下 物业晚上来弄过了", "设施", DONE),  # 弄过了: someone came and fixed it
    ("听见警笛 我还以为谁家着火了", "火情", HYPO),  # a belief put right: it did not happen
    ("闻着糊味 我还寻思哪着火了", "火情", HYPO),
    # a condition reaches the clause that says what would follow
    ("要是电梯坏了 十八楼的老人咋下楼啊", "弱势", HYPO),
    ("万一井盖被偷了 晚上小孩掉下去可咋整", "儿童", HYPO),
    ("说不定哪天就用上了", "问句", HYPO),
])
def test_readings(clf: Classifier, text: str, concept: str, reading: str) -> None:
    assert reading in concepts(clf, text)[concept]


@pytest.mark.parametrize("text,concept", [
    ("着火了 快来人", "火情"),
    ("3栋电梯坏了", "故障"),
    ("不是说修好了吗 路灯还是不亮", "故障"),  # 还是: not resolved after all
    ("楼道灯不亮", "故障"),  # the 不 of 不亮 negates nothing
    # 摔不起 is a fear, not a fall, and makes nothing before it a supposition
    ("单元门口结冰了 老人摔不起", "路滑"),
    # a supposition asked in its own clause leaves the report after it said now
    ("万一着火了怎么办 楼道里堆满了纸箱", "脏物"),
    # a condition or a fear does not reach back: what was said before is so
    ("楼道里堆满了纸箱 万一着火了怎么办", "脏物"),
    ("楼道里有电动车在充电 容易着火", "充电"),
    # what follows a polite condition is the request; a condition that wishes is the wish
    ("如果方便的话 帮我看看3栋的水管", "设施"),
    ("要是后门那条路装几盏灯就好了", "新增"),
    # a procedure asked about is asked now, whatever the case
    ("换新身份证的话 户口不在这能在这边换吗", "办事"),
])
def test_said_now(clf: Classifier, text: str, concept: str) -> None:
    assert concepts(clf, text)[concept] == ()


def test_a_fear_of_falling_is_no_fall(clf: Classifier) -> None:
    assert "摔倒" not in concepts(clf, "岁数大了摔不起 在家待着吧")


def test_typos_and_dialect_reach_the_concepts(clf: Classifier) -> None:
    assert "设施" in concepts(clf, "电悌坏了")  # typo
    assert "燃气" in concepts(clf, "煤汽味好重")  # typo
    assert "昏迷" in concepts(clf, "阿爸晕咗 叫极都唔应")  # Cantonese


def test_hearsay_and_forwarded_articles_are_calm(clf: Classifier) -> None:
    res = clf.classify("转发：电梯困人怎么自救")
    assert not res.urgent


def test_a_quote_reply_is_read_on_the_reply(clf: Classifier) -> None:
    text = "「张阿姨：3栋门口井盖又翘起来了」\n- - - - - - - - - - - - - - -\n收到 马上去"
    res = clf.classify(text)
    assert res.intent == "none"  # what it says is the reply's
    assert res.place == "3栋门口"  # where: the quoted message's place, the reply names none
    assert clf.classify(text.replace("收到 马上去", "5栋也是")).place == "5栋"
    assert "井盖" in res.masked_text  # what is shown stays the whole message


def test_the_word_scan_finds_what_trying_every_span_finds(clf: Classifier) -> None:
    """Lexicon.find skips spans that cannot align with jieba's words; it must find the
    same words as trying every span of the text."""
    import json
    from pathlib import Path

    from intents.analysis import token_bounds

    lex = clf._know.lexicon
    corpus = Path(__file__).resolve().parent.parent / "corpus" / "extra.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    for text in texts[:300]:
        norm = clf.normalize(text)
        bounds = token_bounds(tuple(clf.tokenizer().cut(norm, HMM=False)))
        slow = set()
        for i in range(len(norm)):
            for j in range(i + 1, min(len(norm), i + lex._max_len) + 1):
                for name, whole, _is_scope in lex._index.get(norm[i:j], ()):
                    start_ok, end_ok = i in bounds, j in bounds
                    if (start_ok or end_ok) and not (whole and not (start_ok and end_ok)):
                        slow.add((name, i, j))
        fast = {(m.name, m.start, m.end) for m in lex.find(norm, bounds)}
        scope_dropped = {(n, i, j) for n, i, j in slow - fast if n in lex.scope}
        assert fast <= slow and slow - fast == scope_dropped, text


def test_the_words_the_cut_meets_are_the_words_the_scan_finds(clf: Classifier) -> None:
    """The classifier takes most concept words from the cut (segment.cut reports those it
    meets in jieba's dictionary) and walks for the rest: the same matches, in the same
    order, as the scan of the whole text, on the corpus and on strings of concept words."""
    import json
    import random
    from pathlib import Path

    from intents.analysis import token_bounds
    from intents.segment import cut

    lex, tok = clf._know.lexicon, clf.tokenizer()
    assert lex.seen_by_cut  # jieba has told the lexicon which words its cut meets
    root = Path(__file__).resolve().parent.parent
    texts = [json.loads(line)["text"] for path in sorted((root / "corpus").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()[:300]]
    pick = random.Random(13)
    words = sorted(lex.words()) + ["不", "灯", "？", "?", "[呲牙]", "【通知】", " ", "，", "a1", "了"]
    texts += ["".join(pick.choice(words) for _ in range(pick.randint(1, 12))) for _ in range(2000)]
    for text in texts:
        norm = clf.normalize(text)
        seen: list[tuple[int, int, str]] = []
        bounds = token_bounds(tuple(cut(tok, norm, lex.seen_by_cut, seen)))
        assert lex.find(norm, bounds, seen) == lex.find(norm, bounds), norm


def test_the_lean_cut_gives_jiebas_words(clf: Classifier) -> None:
    import json
    from pathlib import Path

    from intents.segment import cut, one_character_words

    tok = clf.tokenizer()
    chars = one_character_words(tok)
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines()[:200]:
            norm = clf.normalize(json.loads(line)["text"])
            assert cut(tok, norm) == cut(tok, norm, chars=chars) == list(tok.cut(norm, HMM=False)), norm
    for odd in ["", " ", "abc 123 ４５", "\n\n", "😂😂", "a-b.c_d%e", "电梯坏了abc电梯", "ｗｙ电梯", "a1b2 c"]:
        assert cut(tok, odd) == cut(tok, odd, chars=chars) == list(tok.cut(odd, HMM=False)), odd


def test_the_fast_dictionary_file_is_jiebas_dictionary(tmp_path) -> None:
    """Start-up reads jieba's dictionary from a file of our own (intents/dictionary.py):
    written the first time, read after; the same words, counts and total as jieba's own
    cache; a damaged file is ignored (jieba's way, and the file made again)."""
    import tempfile
    from pathlib import Path

    import jieba

    from intents import dictionary

    own = jieba.Tokenizer()
    own.initialize()  # jieba's way, from its cache in the temp dir
    jieba_cache = Path(tempfile.gettempdir(), "jieba.cache").read_bytes()

    def fresh() -> jieba.Tokenizer:
        tok = jieba.Tokenizer()
        tok.tmp_dir = str(tmp_path)  # both caches here (jieba's copied: no 2 s rebuild)
        (tmp_path / "jieba.cache").write_bytes(jieba_cache)
        dictionary.initialize(tok)
        return tok

    made = fresh()
    [kept] = list(tmp_path.glob("gridbot-jieba3-*.dict"))
    read = fresh()
    assert made.FREQ == own.FREQ and read.FREQ == own.FREQ and read.total == own.total
    kept.write_bytes(kept.read_bytes()[:-1000])
    damaged = fresh()
    assert damaged.FREQ == own.FREQ and damaged.total == own.total
    assert kept.stat().st_size > 1_000_000  # made again


def test_the_dictionary_filled_as_texts_need_it_reads_as_the_whole(tmp_path, monkeypatch) -> None:
    """Start-up opens jieba's dictionary with our words as kept the first time and fills it
    a first character at a time, as texts need it (intents/dictionary.py): the same
    decisions on the corpus as the dictionary built the usual way and, once all in, the
    same words, counts and total."""
    import json
    import tempfile
    from pathlib import Path

    jieba_cache = Path(tempfile.gettempdir(), "jieba.cache")
    (tmp_path / "jieba.cache").write_bytes(jieba_cache.read_bytes())  # no 2 s rebuild
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    made = Classifier.load()  # the usual way, the files kept
    made.wait_ready()
    assert not made._dictionary._pending
    assert list(tmp_path.glob("gridbot-jieba3-added-*.json"))
    opened = Classifier.load()
    opened.wait_ready()
    assert opened._dictionary._pending  # little of it in yet
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines()[:300]:
            text = json.loads(line)["text"]
            assert opened.decide(text) == made.decide(text), text
    whole, filled = made.tokenizer(), opened.tokenizer()
    assert filled.FREQ == whole.FREQ and filled.total == whole.total


def test_a_view_made_before_jieba_is_loaded_cuts_with_the_character_table() -> None:
    """The one-character table is filled when jieba has loaded; a bot's view of the
    classifier (sharing()), made before that, reads through the same table, and cuts as
    jieba does with it and without it."""
    from intents.segment import cut

    clf = Classifier.load()
    view = clf.sharing()  # jieba is still loading in the background
    view.wait_ready()
    assert view._chars is clf._chars and len(view._chars) > 3_000
    tok = view.tokenizer()
    for text in ["3栋门口井盖又翘起来了", "ａｂ电梯😂坏了 123号", "谢谢小马 井盖修好了👍"]:
        norm = view.normalize(text)
        assert cut(tok, norm, chars=view._chars) == cut(tok, norm) == list(tok.cut(norm, HMM=False))
        assert view.classify(text) == clf.classify(text)


@pytest.mark.parametrize(("text", "name", "present"), [
    # a person who cannot get up, not a lift that does not move or a wheelchair pushed
    ("6栋电梯又停在9楼不动 按了半天没反应", "起不来", False),
    ("我婆婆瘫在床上 轮椅推不动了", "起不来", False),
    ("有个阿伯跌倒了 趴在地上不动 解放路", "起不来", True),
    ("我老头突然半边身子不动弹了", "起不来", True),
    # 怕是 (probably) guesses at what is happening now; it is no fear of what may come
    ("敲门敲不开 怕是中煤气了", "急病", True),
])
def test_concepts_of_a_person_in_danger(clf: Classifier, text: str, name: str, present: bool) -> None:
    found = concepts(clf, text)
    assert (name in found) == present
    if present:
        assert found[name] == ()


@pytest.mark.parametrize("text", [
    "电线搭在晾衣杆上 着了火咋整",  # what if
    "严禁小孩到河边玩水",  # a prohibition
    "我快晕倒了",  # a figure of speech
])
def test_what_would_happen_is_a_supposition(clf: Classifier, text: str) -> None:
    a = clf.analyse(text)
    assert not any(c.name in ("火情", "儿童", "险处", "昏迷") and not c.readings for c in a.concepts)
