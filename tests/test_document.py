"""Front matter is read by libyaml's C parser when it can hold nothing but plain YAML, else by the strict
pure-Python reader: both must give the same values and lines, and only the strict one sees the rest."""

from __future__ import annotations

import pytest

from vitrine.read import document
from vitrine.read.document import YamlProblem, _compose_plain, compose, construct, index_lines

PLAIN = [
    "name: Amina K.\nconsent: 2026-01-01\nphoto: portrait.jpg\n",
    "rating: 5\nneeded: 010\nprice: 0.5\nratio: 1e3\nhex: 0x1F\noct: 0o17\nneg: -3\nclock: 1:30\n",
    "yes: yes\non: on\nt: True\nn: ~\nempty:\nnan: .NaN\ninf: -.inf\n",
    "title: 'Le « savon »'\nquote: \"deux\\nlignes\"\nbody: |\n  un\n  deux\nfold: >\n  a\n  b\n",
    "labels:\n  - Bio\n  - Fait main\nbuy:\n  - label: Boutique\n    url: https://example.org/a?b=c\n",
    "flow: [1, 2, {a: b}]\nmap: {x: 1, y: [z]}\n",
    "twice: 1\ntwice: 2\n",
    "1: one\n2026-05-01: day\n",
    "texte: où l’on dort, à Calais\nvide: ''\n",
]


def strict(text: str) -> object:
    """The pure-Python reader only, as every text was read before the C parser was used."""
    return document.YAML(typ="safe", pure=True).compose(text)


@pytest.mark.parametrize("text", PLAIN)
def test_plain_front_matter_takes_the_fast_parser_and_reads_the_same(text: str) -> None:
    done, fast = _compose_plain(text)
    assert done, "plain front matter is read by libyaml"
    slow = strict(text)
    assert repr(construct(fast)) == repr(construct(slow))  # repr: NaN equals itself there
    lines_fast: dict = {}
    lines_slow: dict = {}
    assert [str(p) for p in index_lines(fast, (), lines_fast, "x.md")] == [
        str(p) for p in index_lines(slow, (), lines_slow, "x.md")
    ]
    assert lines_fast == lines_slow


def test_yaml_1_2_values_whichever_parser() -> None:
    values = construct(compose(PLAIN[1]))
    assert values == {"rating": 5, "needed": 10, "price": 0.5, "ratio": 1000.0, "hex": 31, "oct": 15, "neg": -3,
                      "clock": "1:30"}  # fmt: skip
    values = construct(compose(PLAIN[2]))
    assert values["yes"] == "yes" and values["on"] == "on" and values["t"] is True and values["n"] is None
    assert values["empty"] is None and values["nan"] != values["nan"] and values["inf"] == float("-inf")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("a: !!python/object:os.system x\n", "the tag !!python/object:os.system is not supported"),
        ("a: b\u0007\n", "invisible character #x0007"),
        ("a: " + "[" * 50 + "]" * 50 + "\n", "nested too deeply"),
        ("a: " + "[" * 200_000 + "]" * 200_000 + "\n", "nested too deeply"),  # libyaml alone would crash here
        ("a: [1, 2\n", "a [ is not closed by ]"),
        ("a: 'open\n", "a quote is not closed"),
    ],
)
def test_what_only_the_strict_reader_sees_keeps_its_message(text: str, reason: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        compose(text)
    assert reason in str(caught.value.reason)


def test_an_exclamation_mark_in_a_title_is_still_text() -> None:
    assert _compose_plain("title: Merci !\n") == (False, None)  # could be a tag: the strict reader reads it
    assert construct(compose("title: Merci !\n")) == {"title": "Merci !"}
