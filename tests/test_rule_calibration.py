"""Every gap rule on the study's own cases (issue 14, point 5).

For each rule: one region where it must fire and one where the study shows the
opposite. A region is a reference region (``data/reference``), an example
region (``data/partners``, where the rule fires on the story the region was
written with), or a region derived from a reference region by changing one
fact, named in the case. Each case cites the seed lines (``004:LINES``, file
``004_029b5792c8f45873.txt``) its reading rests on. Where a rule fires on a
region for another reason than the one the study contradicts, ``spared`` names
the agency or forum the study shows in good order and the gap must not name it.

Rules that fire on none of the 19 regions (G26, G27) get their firing case on
a derived region. G17 and G30 have no rule: the data cannot decide them and
the working group is asked (``needs_question``).

The per-rule count over the 19 example and reference regions is printed by
``tests/test_gap_calibration.py::test_no_rule_fires_on_every_reference_region``
and by ``benchmarks/bench_reference.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

import pytest

from workbench.data import Region, Relationship, load_region
from workbench.paths import examples_dir, reference_dir
from workbench.roadmap import detect_gaps
from workbench.roadmap.gaps import RULES


@cache
def ref(name: str) -> Region:
    return load_region(reference_dir() / name)


@cache
def example(name: str) -> Region:
    return load_region(examples_dir() / name)


def drop_ties(region: Region, keep: Callable[[Relationship], bool]) -> Region:
    return replace(region, relationships=tuple(r for r in region.relationships if keep(r)))


def add_ties(region: Region, *ties: Relationship) -> Region:
    return replace(region, relationships=region.relationships + ties)


def change_agencies(region: Region, ids: set[str] | Callable[[str], bool], **changes: object) -> Region:
    hit = ids if callable(ids) else ids.__contains__
    return replace(region, agencies=tuple(replace(a, **changes) if hit(a.id) else a for a in region.agencies))


def change_ties(region: Region, pick: Callable[[Relationship], bool], **changes: object) -> Region:
    return replace(region, relationships=tuple(replace(r, **changes) if pick(r) else r
                                               for r in region.relationships))


HAIP, VIENNA, HOSPITAL = "de-hanover-haip", "at-vienna-marac", "at-hospital-protection-groups"
SCOTLAND, FINLAND, FRANCE = "gb-scotland-division", "fi-dv-investigation-team", "fr-embedded-social-workers"
BERLIN, AMBULANCE, OKIT = "de-berlin-big", "hu-crisis-ambulance", "hu-okit"
LJUBLJANA = "si-ljubljana-perpetrator-programme"


@dataclass(frozen=True)
class Case:
    """A region for one side of a rule's test, how it is made, and the seed lines it rests on."""

    what: str
    region: Callable[[], Region]
    cite: str
    spared: str | None = None


def _slovenia_unreferred() -> Region:
    """SI1 without the referrals police, prosecution, probation and the centres for social work make."""
    s = ref(LJUBLJANA)
    kinds = {"police", "prosecution", "probation", "social_services"}
    return drop_ties(s, lambda r: not (r.type == "referral" and r.target == "s01" and s.by_id[r.source].type in kinds))


def _vienna_elderly_turned_away() -> Region:
    v = ref(VIENNA)
    first = next(a.id for a in v.agencies if a.type == "victim_support")
    return change_agencies(v, {first}, excluded_groups=("elderly",))


def _hanover_taebea_reports_back() -> Region:
    """HAIP where TaeBea sends the prosecution the feedback fax the Men's Office sends the criminal police."""
    return add_ties(ref(HAIP), Relationship("h22", "h15", "feedback", formality="written"))


#: gap -> (a region where it must fire, a region where the study shows the opposite)
CASES: dict[str, tuple[Case, Case]] = {
    "G01": (Case("HAIP: police refer to BISS and youth welfare and mostly hear nothing", lambda: ref(HAIP),
                 "004:4074-4079"),
            Case("SI1: the centres for social work hear of every inclusion and completion", lambda: ref(LJUBLJANA),
                 "004:7061-7065", spared="s04")),
    "G02": (Case("SI1 changed in one fact: nobody of police, justice or social services refers to the programme",
                 _slovenia_unreferred, "004:7067-7068"),
            Case("SI1: the region is built around the perpetrator programme, referred to from many sources",
                 lambda: ref(LJUBLJANA), "004:6905-6920, 7067-7068")),
    "G03": (Case("FI2: training organised occasionally, access arbitrary", lambda: ref(FINLAND), "004:2212-2219"),
            Case("HAIP: BISS trains patrol officers every six weeks", lambda: ref(HAIP), "004:3507-3508, 3994-4001")),
    "G04": (Case("HAIP: no training in inter-organisational cooperation yet", lambda: ref(HAIP),
                 "004:3534-3536, 4212-4219"),
            Case("Scotland: MARAC chair and champion training exists", lambda: ref(SCOTLAND), "004:6568-6571")),
    "G05": (Case("example gr-attica: the addiction unit sits at no table", lambda: example("gr-attica"), "-"),
            Case("HAIP: drug and alcohol abuse is a risk aspect of the high-risk conference", lambda: ref(HAIP),
                 "004:3912-3915")),
    "G06": (Case("example be-hainaut: a shelter turns away undocumented women", lambda: example("be-hainaut"), "-"),
            Case("BIG: a customised system for migrants and refugees, asylum accommodations in the network",
                 lambda: ref(BERLIN), "004:114-120, 3058-3061")),
    "G07": (Case("AT1: hospitals lack quantitative data", lambda: ref(HOSPITAL), "004:580-582"),
            Case("HAIP: BISS registers every police fax statistically", lambda: ref(HAIP), "004:3516-3519, 3900-3903")),
    "G08": (Case("Vienna: Campbell, the police's ex-officio focus and a child-care tool clash", lambda: ref(VIENNA),
                 "004:1041-1043, 1091-1113"),
            Case("BIG: shelters and Criminal Police agreed on Campbell's instrument", lambda: ref(BERLIN),
                 "004:3092-3098")),
    "G09": (Case("Vienna: police focus on ex-officio crimes and objected to low-risk cases", lambda: ref(VIENNA),
                 "004:1052-1056, 1108-1110"),
            Case("HAIP: psychological and economic violence included, every police case contacted",
                 lambda: ref(HAIP), "004:3389-3392")),
    "G10": (Case("Vienna: data protection blocked sharing, the hospital group refused", lambda: ref(VIENNA),
                 "004:1016-1031, 1141-1144"),
            Case("HAIP: agreements carry data-protection clauses", lambda: ref(HAIP), "004:3794-3796")),
    "G11": (Case("Scotland: no financial commitment for MARAC coordinators", lambda: ref(SCOTLAND), "004:6549-6554"),
            Case("HAIP: the HAIP office with a dedicated employee paid by the city", lambda: ref(HAIP),
                 "004:3413-3417, 3599-3606")),
    "G12": (Case("AT1: exchange between hospital groups neither frequent nor formalised", lambda: ref(HOSPITAL),
                 "004:788-790, 837-840"),
            Case("HAIP: internal regulations and written cooperation agreements", lambda: ref(HAIP),
                 "004:3306-3307, 3794-3796")),
    "G13": (Case("HAIP: judges decline the Round Table", lambda: ref(HAIP), "004:4057-4061"),
            Case("FI2: the partners 'are all available and work really well' with the team", lambda: ref(FINLAND),
                 "004:1785-1789")),
    "G14": (Case("Scotland: one MARAC depends on a single DALO", lambda: ref(SCOTLAND), "004:6580-6596"),
            Case("FI2: newcomers are introduced and specialisation becomes organisational memory",
                 lambda: ref(FINLAND), "004:2151-2153, 2286-2293")),
    "G15": (Case("Scotland: MATAC preparation overloads the DAIUs", lambda: ref(SCOTLAND), "004:6146-6166"),
            Case("AT1: relays with a legal mandate and paid working hours", lambda: ref(HOSPITAL),
                 "004:693-698, 806-811")),
    "G16": (Case("example fr-nord: front-line brigades with no route to the specialised unit",
                 lambda: example("fr-nord"), "-"),
            Case("FI2: a specialised team investigates every intimate-relationship crime", lambda: ref(FINLAND),
                 "004:1731-1733")),
    "G18": (Case("Vienna: the MARAC is discontinued", lambda: ref(VIENNA), "004:853-855, 1070-1071"),
            Case("HAIP: a high-risk conference is called within two days", lambda: ref(HAIP), "004:3922-3927")),
    "G19": (Case("Vienna: too long between conference and risk", lambda: ref(VIENNA), "004:1045-1050, 1120-1123"),
            Case("HAIP: the conference can meet the same day or by phone", lambda: ref(HAIP),
                 "004:3922-3924, 3932-3934")),
    "G20": (Case("Vienna: no culture of constructive criticism", lambda: ref(VIENNA), "004:1083-1087, 1179-1198"),
            Case("HAIP: room for factual criticism", lambda: ref(HAIP), "004:3895-3898")),
    "G21": (Case("Vienna: no project structure or clear roles", lambda: ref(VIENNA), "004:936-940, 1135-1139"),
            Case("HAIP: a coordination team sets strategy, the Round Table hands out work orders", lambda: ref(HAIP),
                 "004:3419-3436")),
    "G22": (Case("OKIT: victims tell their story to the hotline and again at the shelter", lambda: ref(OKIT),
                 "004:4843-4850"),
            Case("HAIP: BISS completes the police fax and forwards it, so partners start from the file",
                 lambda: ref(HAIP), "004:3900-3905")),
    "G23": (Case("Vienna: police and prosecution actions never evaluated", lambda: ref(VIENNA), "004:1083-1084"),
            Case("HAIP: KFN evaluated the BISS approach", lambda: ref(HAIP), "004:3519-3523")),
    "G24": (Case("example be-hainaut: the prosecution's family sections receive police cases and report back to "
                 "none", lambda: example("be-hainaut"), "-"),
            Case("FI2: prosecutors give feedback on the preliminary investigation", lambda: ref(FINLAND),
                 "004:2157-2161")),
    "G25": (Case("example ro-cluj: police notify child protection by no route", lambda: example("ro-cluj"), "-"),
            Case("HAIP: youth welfare joins the conference when children are involved", lambda: ref(HAIP),
                 "004:3916-3918")),
    "G26": (Case("Vienna changed in one fact: a victim service turns away older victims, nobody serves them",
                 _vienna_elderly_turned_away, "-"),
            Case("HAIP: the Community Service for Elderly Persons pilot", lambda: ref(HAIP), "004:4153-4156")),
    "G27": (Case("BIG changed in one fact: the shelters turn away people from rural or isolated areas",
                 lambda: change_agencies(ref(BERLIN), {"b08"}, excluded_groups=("rural_isolated",)), "-"),
            Case("BIG: all partners within short distance of each other", lambda: ref(BERLIN), "004:3201-3203")),
    "G28": (Case("SI1: sufficient, continuous funding is hard to gather", lambda: ref(LJUBLJANA), "004:7297-7300"),
            Case("HAIP: the Land funds BISS and the city the HAIP office", lambda: ref(HAIP),
                 "004:3597-3598, 3699-3703")),
    "G29": (Case("example de-leipzig: partners sit in four and five forums", lambda: example("de-leipzig"), "-"),
            Case("HAIP: the office director takes part in all committees, which is the office's job",
                 lambda: ref(HAIP), "004:3413-3417")),
    "G31": (Case("HAIP: no shared online platform or digital memory", lambda: ref(HAIP), "004:4205-4209"),
            Case("AT1: a handbook, examination standards and documentation templates", lambda: ref(HOSPITAL),
                 "004:569-574, 655-666")),
    "G32": (Case("FR1 changed in one fact: the police only give victims the social worker's number",
                 lambda: change_ties(ref(FRANCE), lambda r: r.type == "referral" and r.target == "r03",
                                     mode="signpost"), "-"),
            Case("FR1: embedded social workers call victims back after every police intervention",
                 lambda: ref(FRANCE), "004:2411-2415")),
    "G33": (Case("FR1: social workers pay for their own counselling", lambda: ref(FRANCE), "004:2577-2580"),
            Case("FI2: supervision, a psychologist and resilience training", lambda: ref(FINLAND), "004:1820-1837")),
    "G34": (Case("HAIP: physicians hard to reach, train and involve", lambda: ref(HAIP), "004:4063-4068"),
            Case("AT1: hospital protection groups are the relays", lambda: ref(HOSPITAL), "004:357-368")),
    "G35": (Case("SI1: prosecution refers for much shorter than the programme's year", lambda: ref(LJUBLJANA),
                 "004:7251-7256"),
            Case("HAIP changed in one fact: TaeBea reports back to the prosecution as the Men's Office reports "
                 "to the criminal police", _hanover_taebea_reports_back, "004:3791-3793, 4007-4008")),
    "G36": (Case("BIG changed in one fact: no police position holds the DV relay",
                 lambda: change_agencies(ref(BERLIN), lambda i: ref(BERLIN).by_id[i].type == "police",
                                         dv_relay=None), "-"),
            Case("BIG: DV multipliers, victim protection officers and DV coordinators", lambda: ref(BERLIN),
                 "004:3108-3113, 3164-3167")),
}


def test_every_rule_has_a_firing_and_an_opposite_case():
    assert set(CASES) == set(RULES)
    for gap, (_, quiet) in CASES.items():
        assert quiet.cite.startswith("004:"), gap  # the opposite rests on the study's own lines


@pytest.mark.parametrize("gap", sorted(CASES))
def test_rule_fires_where_it_must(gap: str):
    case = CASES[gap][0]
    assert gap in {g.id for g in detect_gaps(case.region())}, case.what


@pytest.mark.parametrize("gap", sorted(CASES))
def test_rule_stays_quiet_where_the_study_shows_the_opposite(gap: str):
    case = CASES[gap][1]
    found = {g.id: g for g in detect_gaps(case.region())}
    if case.spared is None:
        assert gap not in found, case.what
    else:  # the rule may fire for another reason, never on what the study shows in good order
        assert gap not in found or case.spared not in found[gap].agencies, case.what
