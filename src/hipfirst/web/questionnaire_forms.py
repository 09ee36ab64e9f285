"""The AKPS, LEFS and KOOS-PF as forms: each item's question and its answer options in words.

The points of every AKPS option are the engine's (:data:`~hipfirst.core.assessment.AKPS_ITEMS`,
evidence.md §6.1, ``kujala_1993``); this module only attaches the words a
patient reads, so the form can never offer a point value the engine refuses.
LEFS items are scored 0 (extreme difficulty or unable) to 4 (no difficulty),
``binkley_1999``. KOOS-PF (``crossley_2018``) items are scored 0 (no problem) to 4
(extreme); hipfirst does not reproduce the item wording, so the form asks for the answer
given on the KOOS-PF form itself, item by item. :func:`scores_in_words` is the live score
the form shows, by the engine's own rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from hipfirst.core import scoring
from hipfirst.core.assessment import AKPS_ITEMS, LEFS_ITEM_COUNT, LEFS_ITEM_MAX, Questionnaires
from hipfirst.core.exam_sections import KOOS_PF_ITEM_COUNT, KOOS_PF_ITEM_MAX


@dataclass(frozen=True)
class Option:
    points: int
    words: str


@dataclass(frozen=True)
class Item:
    number: int
    question: str
    options: tuple[Option, ...]


_AKPS_WORDS: tuple[tuple[str, dict[int, str]], ...] = (
    ("Limp", {5: "none", 3: "slight or now and then", 0: "constant"}),
    ("Support", {5: "full weight without pain", 3: "painful", 0: "cannot bear weight"}),
    ("Walking", {5: "unlimited", 3: "more than 2 km", 2: "1 to 2 km", 0: "unable"}),
    (
        "Stairs",
        {
            10: "no difficulty",
            8: "slight pain going down",
            5: "pain going down and up",
            0: "unable",
        },
    ),
    (
        "Squatting",
        {
            5: "no difficulty",
            4: "painful when repeated",
            3: "painful every time",
            2: "only with part of my weight",
            0: "unable",
        },
    ),
    (
        "Running",
        {
            10: "no difficulty",
            8: "pain after more than 2 km",
            6: "slight pain from the start",
            3: "severe pain",
            0: "unable",
        },
    ),
    (
        "Jumping",
        {10: "no difficulty", 7: "slight difficulty", 2: "constant pain", 0: "unable"},
    ),
    (
        "Sitting a long time with the knees bent",
        {
            10: "no difficulty",
            8: "pain after exercise",
            6: "constant pain",
            4: "pain makes me straighten the knees for a while",
            0: "unable",
        },
    ),
    (
        "Pain",
        {
            10: "none",
            8: "slight and occasional",
            6: "disturbs my sleep",
            3: "severe at times",
            0: "constant and severe",
        },
    ),
    (
        "Swelling",
        {
            10: "none",
            8: "after hard exertion",
            6: "after everyday activities",
            4: "every evening",
            0: "constant",
        },
    ),
    (
        "Painful, abnormal kneecap movements (subluxation)",
        {
            10: "none",
            6: "now and then in sport",
            4: "now and then in daily life",
            2: "at least one documented dislocation",
            0: "more than two dislocations",
        },
    ),
    ("Thigh muscle wasting", {5: "none", 3: "slight", 0: "severe"}),
    ("Difficulty bending the knee", {5: "none", 3: "slight", 0: "severe"}),
)


def _akps_items() -> tuple[Item, ...]:
    items: list[Item] = []
    for index, ((question, words), (_name, points)) in enumerate(
        zip(_AKPS_WORDS, AKPS_ITEMS, strict=True)
    ):
        if set(words) != set(points):
            raise ValueError(f"AKPS item {index + 1}: words for {sorted(words)}, engine {points}")
        options = tuple(Option(value, words[value]) for value in sorted(points, reverse=True))
        items.append(Item(index + 1, question, options))
    return tuple(items)


AKPS_FORM: tuple[Item, ...] = _akps_items()
"""The 13 AKPS items with the points of each option, best answer first."""

LEFS_ANSWERS: tuple[Option, ...] = (
    Option(4, "no difficulty"),
    Option(3, "a little bit of difficulty"),
    Option(2, "moderate difficulty"),
    Option(1, "quite a bit of difficulty"),
    Option(0, "extreme difficulty or unable"),
)

_LEFS_ACTIVITIES = (
    "Any of your usual work, housework or school activities",
    "Your usual hobbies, recreation or sport",
    "Getting into or out of the bath",
    "Walking between rooms",
    "Putting on your shoes or socks",
    "Squatting",
    "Lifting an object, like a bag of groceries, from the floor",
    "Light activities around your home",
    "Heavy activities around your home",
    "Getting into or out of a car",
    "Walking 2 blocks",
    "Walking a mile",
    "Going up or down 10 stairs (about 1 flight)",
    "Standing for 1 hour",
    "Sitting for 1 hour",
    "Running on even ground",
    "Running on uneven ground",
    "Making sharp turns while running fast",
    "Hopping",
    "Rolling over in bed",
)

LEFS_FORM: tuple[Item, ...] = tuple(
    Item(number, question, LEFS_ANSWERS)
    for number, question in enumerate(_LEFS_ACTIVITIES, start=1)
)
"""The 20 LEFS activities, each answered 0–4."""

if len(LEFS_FORM) != LEFS_ITEM_COUNT or max(o.points for o in LEFS_ANSWERS) != LEFS_ITEM_MAX:
    raise ValueError("the LEFS form does not match the engine's item count or scale")

KOOS_PF_ANSWERS: tuple[Option, ...] = (
    Option(0, "none / never (best answer)"),
    Option(1, "mild / monthly"),
    Option(2, "moderate / weekly"),
    Option(3, "severe / daily"),
    Option(4, "extreme / always (worst answer)"),
)

KOOS_PF_FORM: tuple[Item, ...] = tuple(
    Item(number, f"KOOS-PF item {number}: the answer ticked on the form", KOOS_PF_ANSWERS)
    for number in range(1, KOOS_PF_ITEM_COUNT + 1)
)
"""The 11 KOOS-PF items, each answered 0–4 (the wording is on the KOOS-PF form)."""

if max(o.points for o in KOOS_PF_ANSWERS) != KOOS_PF_ITEM_MAX:
    raise ValueError("the KOOS-PF form does not match the engine's scale")

SCORED: tuple[tuple[str, int, str], ...] = (
    ("akps", len(AKPS_ITEMS), "/ 100"),
    ("lefs", LEFS_ITEM_COUNT, "/ 80"),
    ("koos_pf", KOOS_PF_ITEM_COUNT, "/ 100 (KOOS transform, unconfirmed)"),
)


def _total(name: str, checked: Questionnaires) -> float | None:
    if name == "akps":
        return scoring.akps_total(checked.akps)
    if name == "lefs":
        return scoring.lefs_total(checked.lefs)
    return scoring.koos_pf_score(checked.koos_pf)


def scores_in_words(answers: Mapping[str, Any]) -> dict[str, str]:
    """Each questionnaire's score in words for the live score: ``83 / 100``, ``not
    answered``, ``incomplete: …`` or ``not scored: an answer is not allowed``."""
    shown: dict[str, str] = {}
    for name, count, scale in SCORED:
        items = answers.get(name)
        if not items:
            shown[name] = "not answered"
        elif len(items) < count:
            shown[name] = f"incomplete: {len(items)} of {count} items answered, not scored"
        else:
            try:
                checked = Questionnaires.model_validate({name: items})
            except ValidationError:
                shown[name] = "not scored: an answer is not allowed (see below)"
                continue
            total = _total(name, checked)
            shown[name] = f"{round(total, 2):g} {scale}" if total is not None else "not scored"
    return shown
