"""Loading a region folder (or the tables of a workbook) into a :class:`Region`.

Loading never writes anything and never lets a traceback reach the user for
bad data: every problem is collected and raised at once as
:class:`~workbench.errors.RegionInvalid`.
"""

from __future__ import annotations

import json
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pycountry

from ..errors import InvalidRegionId, Problem, RegionInvalid
from ..taxonomy import rubric, taxonomy
from .model import Action, Agency, Answer, Region, RegionInfo, Relationship, SurveyRow
from .schema import BOOL_WORDS, REGION_ID_RE, check_table, split_list, suggest
from .tables import RawTable, parse_csv

TABLES = ("agencies", "relationships", "assessment", "actions", "survey")
REQUIRED_TABLES = ("agencies", "relationships")
#: A save's journal (see :mod:`workbench.data.store`) and the files it may hold.
JOURNAL_NAME = ".workbench.journal"
JOURNAL_FILES = frozenset({"region.toml", *(f"{t}.csv" for t in TABLES)})
_REGION_ID = re.compile(REGION_ID_RE)


def check_region_id(region_id: str) -> str:
    """Return ``region_id`` if it is a safe region id, else raise InvalidRegionId.

    >>> check_region_id("be-hainaut")
    'be-hainaut'
    >>> check_region_id("../etc")
    Traceback (most recent call last):
    ...
    workbench.errors.InvalidRegionId: '../etc' is not a region id: use 2-40 lower-case letters, digits or '-'
    """
    if not isinstance(region_id, str) or not _REGION_ID.fullmatch(region_id):
        raise InvalidRegionId(
            f"{region_id!r} is not a region id: use 2-40 lower-case letters, digits or '-'")
    return region_id


def read_folder(folder: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The bytes of a region folder's files, refusing symbolic links."""
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    if not folder.is_dir():
        return files, [Problem(str(folder), None, None, "no such region folder",
                               "give the path of a folder holding region.toml and agencies.csv")]
    for entry in sorted(folder.iterdir()):
        st = entry.lstat()
        if stat.S_ISLNK(st.st_mode):
            problems.append(Problem(str(entry), None, None,
                                    "symbolic links are not allowed in a region folder",
                                    "copy the file into the folder instead of linking it"))
            continue
        if entry.name in JOURNAL_FILES and stat.S_ISREG(st.st_mode):
            files[entry.name] = entry.read_bytes()
    files.update(_journal(folder))
    return files, problems


def _journal(folder: Path) -> dict[str, bytes]:
    """The files of a save that was committed but not finished (a writer was killed).

    They are the region as saved; the next save finishes writing them.
    """
    path = folder / JOURNAL_NAME
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        files = json.loads(path.read_bytes().decode("utf-8"))["files"]
        return {name: text.encode("utf-8") for name, text in files.items() if name in JOURNAL_FILES}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


#: Regions whose files hold more bytes than this are never cached.
CACHE_MAX_BYTES = 4 * 2**20


def load_region(path: str | Path, *, cache: bool = False) -> Region:
    """Load and validate a region folder or ``.xlsx`` workbook.

    With ``cache``, a folder whose files have exactly the bytes of an earlier
    valid load is taken from :mod:`workbench.cache` instead of being checked
    again (the dashboards do this; the command line checks every time).

    Raises
    ------
    RegionInvalid
        With every problem found, each naming file, row and column.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from .workbook import read_workbook
        return read_workbook(path)
    try:
        check_region_id(path.name)
    except InvalidRegionId as exc:
        raise RegionInvalid([Problem(str(path), None, None, str(exc),
                                     "rename the folder, e.g. be-hainaut")]) from None
    files, problems = read_folder(path)
    if problems and not files:
        raise RegionInvalid(problems)
    if not cache or problems or sum(map(len, files.values())) > CACHE_MAX_BYTES:
        return parse_region_files(files, path, problems)
    from .. import cache as disk

    name = disk.key("region", str(path), *(part for f in sorted(files) for part in (f, files[f])))
    region = disk.get(name)
    if not isinstance(region, Region):
        region = parse_region_files(files, path, problems)
        disk.put(name, region)
    return region


def parse_region_files(files: Mapping[str, bytes], folder: Path,
                       problems: list[Problem] | None = None) -> Region:
    """Validate a region given the bytes of its files (no disk access)."""
    problems = list(problems or [])
    label = str(folder)
    info_raw: dict[str, Any] | None = None
    lines: dict[str, int] = {}
    if "region.toml" not in files:
        problems.append(Problem(f"{label}/region.toml", None, None, "region.toml is missing",
                                "run `workbench new-region` or add region.toml with id, name, country and language"))
    else:
        info_raw, lines, p = read_region_toml(files["region.toml"], f"{label}/region.toml")
        problems += p
    raws: dict[str, RawTable | None] = {}
    for t in TABLES:
        name = f"{t}.csv"
        if name not in files:
            if t in REQUIRED_TABLES:
                problems.append(Problem(f"{label}/{name}", None, None, f"{name} is missing",
                                        "add it with at least its header row (see `workbench template`)"))
            raws[t] = None if t in REQUIRED_TABLES else RawTable(pd.DataFrame(), [], "none")
            continue
        raw, p = parse_csv(files[name], f"{label}/{name}")
        problems += p
        raws[t] = raw
    if info_raw is not None:
        problems += check_info(info_raw, lines, f"{label}/region.toml", folder.name)
    return build_region(info_raw, raws, {t: f"{label}/{t}.csv" for t in TABLES},
                        f"{label}/region.toml", problems, folder, lines)


def read_region_toml(data: bytes, file: str) -> tuple[dict[str, Any] | None, dict[str, int], list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, {}, [Problem(file, None, None, "region.toml is not UTF-8 text",
                                  "save it as UTF-8")]
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return None, {}, [Problem(file, int(m.group(1)) if m else None, None,
                                  f"region.toml is not valid TOML ({exc})",
                                  'write one key per line, e.g. name = "Hainaut"')]
    lines: dict[str, int] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*([A-Za-z_]+)\s*=", line)
        if m:
            lines.setdefault(m.group(1), i)
    return raw, lines, []


def check_info(raw: dict[str, Any], lines: dict[str, int], file: str, expected_id: str | None) -> list[Problem]:
    """Checks of region.toml (or a workbook's ``region`` sheet)."""
    out: list[Problem] = []

    def bad(key: str, msg: str, fix: str) -> None:
        out.append(Problem(file, lines.get(key), key, msg, fix))

    for key in ("id", "name", "country"):
        if not str(raw.get(key, "") or "").strip():
            bad(key, f"'{key}' is missing", f"add {key} = \"…\"")
    for key, value in raw.items():
        if key in ("id", "name", "country", "language", "coordinator", "description"):
            if not isinstance(value, str):
                bad(key, f"'{key}' must be text", f'write {key} = "…" with quotes')
        elif key == "reference":
            if not isinstance(value, bool):
                bad(key, "'reference' must be true or false", "write reference = true")
        else:
            out.append(Problem(file, lines.get(key), key, f"unknown key '{key}' is ignored",
                               "keys are id, name, country, language, coordinator, description",
                               severity="warning"))
    rid = str(raw.get("id", "") or "")
    if rid and not _REGION_ID.fullmatch(rid):
        bad("id", f"'{rid}' is not a valid region id", "use 2-40 lower-case letters, digits or '-'")
    elif rid and expected_id is not None and rid != expected_id:
        bad("id", f"id '{rid}' does not match the folder or file name '{expected_id}'",
            f"set id = \"{expected_id}\" or rename the folder to {rid}")
    name = str(raw.get("name", "") or "")
    if len(name) > 200:
        bad("name", "the name is longer than 200 characters", "shorten it")
    country = str(raw.get("country", "") or "")
    if country and (not re.fullmatch(r"[A-Z]{2}", country) or pycountry.countries.get(alpha_2=country) is None):
        hint = {"EL": "GR", "UK": "GB"}.get(country.upper())
        if hint is None and pycountry.countries.get(alpha_2=country.upper()):
            hint = country.upper()
        bad("country", f"'{country}' is not an ISO 3166-1 two-letter country code",
            f"did you mean '{hint}'?" if hint else "use a code such as BE, FR or GR")
    lang = str(raw.get("language", "en") or "en")
    if not re.fullmatch(r"[a-z]{2}", lang) or pycountry.languages.get(alpha_2=lang) is None:
        hint = lang.lower()[:2] if pycountry.languages.get(alpha_2=lang.lower()[:2]) else None
        bad("language", f"'{lang}' is not an ISO 639-1 two-letter language code",
            f"did you mean '{hint}'?" if hint else "use a code such as en, fr or de")
    return out


def _bool(v: str) -> bool | None:
    return BOOL_WORDS.get(v.lower()) if v else None


def _opt(v: str) -> str | None:
    return v or None


def _lists(cols: list[pd.Series]) -> list[list[str]]:
    """Plain lists: iterating them is far faster than iterating pandas arrays."""
    return [c.tolist() for c in cols]


def _col(raw: RawTable, name: str) -> pd.Series:
    if name in raw.frame.columns:
        return raw.frame[name]
    return pd.Series([""] * len(raw.frame), index=raw.frame.index, dtype="str")


def build_region(info_raw: dict[str, Any] | None, raws: Mapping[str, RawTable | None],
                 files: Mapping[str, str], info_file: str, problems: list[Problem],
                 source: Path | None, info_lines: Mapping[str, int] | None = None) -> Region:
    """Column checks, cross-table checks, then typed records; raise on any error."""
    for t, raw in raws.items():
        if raw is not None and raw.columns:
            problems += check_table(t, raw.frame, raw.columns, files[t])
    if any(p.is_error for p in problems):
        # Cross-table checks on broken tables would only add noise, except
        # when the tables themselves parsed: then run them to report all at once.
        if any(raws.get(t) is None for t in REQUIRED_TABLES):
            raise RegionInvalid(problems)
    cross = CrossCheck(raws, files, info_raw, info_file, info_lines or {})
    problems += cross.run()
    if any(p.is_error for p in problems):
        raise RegionInvalid(problems)
    assert info_raw is not None
    info = RegionInfo(
        id=info_raw["id"], name=info_raw["name"], country=info_raw["country"],
        language=info_raw.get("language", "en") or "en",
        coordinator=info_raw.get("coordinator") or None,
        description=info_raw.get("description") or None,
        reference=bool(info_raw.get("reference", False)),
    )
    # Records come in the canonical order the workbench writes, whatever the file order.
    region = Region(info=info, agencies=tuple(sorted(cross.agencies, key=lambda a: a.id)),
                    relationships=tuple(sorted(cross.relationships, key=lambda r: r.key)),
                    assessment=tuple(sorted(cross.assessment, key=lambda a: a.key)),
                    actions=tuple(sorted(cross.actions, key=lambda a: a.id)),
                    survey=tuple(sorted(cross.survey, key=lambda a: a.key)), source=source,
                    warnings=tuple(p for p in problems if not p.is_error))
    return region


class CrossCheck:
    """Checks that span rows or tables, and the conversion to records."""

    def __init__(self, raws: Mapping[str, RawTable | None], files: Mapping[str, str],
                 info: dict[str, Any] | None, info_file: str, info_lines: Mapping[str, int]):
        self.raws, self.files, self.info, self.info_file = raws, files, info, info_file
        self.info_lines = info_lines
        self.problems: list[Problem] = []
        self.agencies: tuple[Agency, ...] = ()
        self.relationships: tuple[Relationship, ...] = ()
        self.assessment: tuple[Answer, ...] = ()
        self.actions: tuple[Action, ...] = ()
        self.survey: tuple[SurveyRow, ...] = ()

    def add(self, table: str, row: Any, col: str | None, msg: str, fix: str | None,
            severity: str = "error") -> None:
        self.problems.append(Problem(self.files[table], int(row), col, msg, fix, severity))

    def run(self) -> list[Problem]:
        # None when agencies.csv could not be read (then references are not
        # checked, to spare noise); {} when it was read and holds no agency.
        ids: dict[str, str] | None = None
        raw = self.raws.get("agencies")
        if raw is not None and "id" in raw.columns and "type" in raw.columns:
            ids = self._agencies(raw)
        if self.info is not None:
            coord = self.info.get("coordinator")
            if coord and isinstance(coord, str) and ids is not None and coord not in ids:
                s = suggest(coord, list(ids))
                self.problems.append(Problem(self.info_file, self.info_lines.get("coordinator"), "coordinator",
                                             f"coordinator '{coord}' is not an agency of this region",
                                             f"did you mean '{s}'?" if s else "use an id from agencies.csv"))
        raw = self.raws.get("relationships")
        if raw is not None and {"source", "target", "type"} <= set(raw.columns):
            self._relationships(raw, ids)
        raw = self.raws.get("assessment")
        if raw is not None and {"round", "indicator", "answer"} <= set(raw.columns):
            self._assessment(raw)
        raw = self.raws.get("actions")
        if raw is not None and {"id", "title"} <= set(raw.columns):
            self._actions(raw, ids)
        raw = self.raws.get("survey")
        if raw is not None and {"round", "respondent"} <= set(raw.columns):
            self.survey = survey_rows(raw, ids, self.files["survey"], self.problems)
        return self.problems

    def _unknown_ref(self, table: str, rows: pd.Series, col: str, ids: Mapping[str, str],
                     what: str = "agency") -> None:
        known = list(ids)
        for row, v in rows.items():
            s = suggest(v, known)
            self.add(table, row, col, f"unknown {what} '{v}'",
                     f"did you mean '{s}'?" if s else f"add '{v}' to agencies.csv or correct the id")

    def _agencies(self, raw: RawTable) -> dict[str, str]:
        f = raw.frame
        forum_types = taxonomy().forum_types
        idcol = f["id"]
        dup = idcol[idcol.duplicated(keep="first") & (idcol != "")]
        first = {v: r for r, v in idcol[~idcol.duplicated(keep="first")].items()}
        for row, v in dup.items():
            self.add("agencies", row, "id", f"duplicate id '{v}' (first used on row {first[v]})",
                     "give each organisation, unit and forum its own id")
        ids = dict(zip(idcol, f["type"], strict=True))
        parent = _col(raw, "parent")
        has_parent = parent != ""
        unknown = parent[has_parent & ~parent.isin(ids.keys())]
        self._unknown_ref("agencies", unknown, "parent", ids, "parent")
        for row in f.index[has_parent & (parent == idcol)]:
            self.add("agencies", row, "parent", "an agency cannot be its own parent", "clear the parent cell")
        forum_parent = has_parent & parent.map(lambda p: ids.get(p) in forum_types).astype(bool)
        for row, v in parent[forum_parent].items():
            self.add("agencies", row, "parent", f"parent '{v}' is a forum; units belong to organisations",
                     "link the forum with a forum_membership tie instead")
        is_forum = f["type"].isin(forum_types.keys())
        for row in f.index[is_forum & has_parent]:
            self.add("agencies", row, "parent", "a forum cannot be a unit of an organisation",
                     "clear parent and record the host with a forum_membership tie (role host)")
        self._parent_cycles(dict(zip(idcol, parent, strict=True)), dict(zip(idcol, f.index, strict=True)))
        kind = pd.Series("organisation", index=f.index)
        kind[has_parent] = "unit"
        kind[is_forum] = "forum"
        status = _col(raw, "status").replace("", "active")
        cols = [idcol, _col(raw, "name"), f["type"], kind, parent, _col(raw, "dv_relay"), _col(raw, "relay_role"),
                _col(raw, "target_groups"), _col(raw, "excluded_groups"), _col(raw, "area"), status,
                _col(raw, "lead"), _col(raw, "notes")]
        self.agencies = tuple(
            Agency(i, n, t, k, p or None, _bool(dv), rr or None, tuple(split_list(tg)),
                   tuple(split_list(eg)), ar or None, st, _bool(ld), nt or None)
            for i, n, t, k, p, dv, rr, tg, eg, ar, st, ld, nt in zip(*_lists(cols), strict=True)
        )
        return ids

    def _parent_cycles(self, parents: dict[str, str], rows: dict[str, int]) -> None:
        for start in parents:
            seen = [start]
            cur = parents.get(start)
            while cur and cur in parents and cur not in seen:
                seen.append(cur)
                cur = parents.get(cur)
            if cur == start and len(seen) > 1:
                self.add("agencies", rows[start], "parent",
                         "units form a loop: " + " → ".join([*seen, start]),
                         "one of them must be a top-level organisation with no parent")

    def _relationships(self, raw: RawTable, ids: Mapping[str, str] | None) -> None:
        f = raw.frame
        tax = taxonomy()
        forum_types = tax.forum_types
        src, tgt, typ = f["source"], f["target"], f["type"]
        if ids is not None:
            for col, s in (("source", src), ("target", tgt)):
                self._unknown_ref("relationships", s[(s != "") & ~s.isin(ids.keys())], col, ids)
        for row in f.index[(src == tgt) & (src != "")]:
            self.add("relationships", row, "target", "a tie cannot link an agency to itself",
                     "correct the source or the target")
        key = src + "\x1f" + tgt + "\x1f" + typ
        first = {v: r for r, v in key[~key.duplicated(keep="first")].items()}
        for row, v in key[key.duplicated(keep="first")].items():
            self.add("relationships", row, "type",
                     f"the same tie ({src.at[row]} → {tgt.at[row]}, {typ.at[row]}) is already on row {first[v]}",
                     "delete this row or merge the two")
        sym = typ.isin(tax.symmetric_types)
        mirror = tgt + "\x1f" + src + "\x1f" + typ
        dup_mirror = sym & mirror.isin(set(key[sym])) & (src > tgt)
        for row in f.index[dup_mirror]:
            self.add("relationships", row, "type",
                     f"{typ[row]} is symmetric and the reverse tie {tgt[row]} → {src[row]} exists too",
                     "keep one row; symmetric ties count in both directions", "warning")
        membership = typ == "forum_membership"
        for col in ("role", "attendance"):
            c = _col(raw, col)
            for row in f.index[(c != "") & ~membership]:
                self.add("relationships", row, col, f"'{col}' is only used on forum_membership ties",
                         "clear the cell or change the type to forum_membership")
        if ids is not None:
            tgt_type = tgt.map(ids)
            src_type = src.map(ids)
            for row in f.index[membership & tgt.isin(ids.keys()) & ~tgt_type.isin(forum_types.keys())]:
                self.add("relationships", row, "target", f"'{tgt[row]}' is not a forum",
                         "forum_membership ties point from an agency to a forum")
            tasking = typ == "tasking"
            for row in f.index[tasking & src.isin(ids.keys()) & ~src_type.isin(forum_types.keys())]:
                self.add("relationships", row, "source", f"'{src[row]}' is not a forum",
                         "tasking ties point from a forum to the agency it tasks")
        status = _col(raw, "status").replace("", "active")
        cols = [src, tgt, typ, _col(raw, "formality"), _col(raw, "frequency"), _col(raw, "role"),
                _col(raw, "attendance"), _col(raw, "legal_basis"), _col(raw, "since"), status,
                _col(raw, "notes")]
        self.relationships = tuple(
            Relationship(s, t, ty, fo or None, fr or None, ro or None, at or None, lb or None,
                         si or None, st, nt or None)
            for s, t, ty, fo, fr, ro, at, lb, si, st, nt in zip(*_lists(cols), strict=True)
        )

    def _assessment(self, raw: RawTable) -> None:
        f = raw.frame
        rb = rubric()
        indicators = rb.indicators
        rater = _col(raw, "rater")
        for row, ind, ans in zip(f.index, f["indicator"].tolist(), f["answer"].tolist(), strict=True):
            if ind not in indicators or not ans:
                continue
            try:
                rb.score(ind, ans)
            except (ValueError, KeyError):
                words = indicators[ind]["answers"]
                s = suggest(ans, [w.lower() for w in words])
                self.add("assessment", row, "answer", f"'{ans}' is not an answer to {ind}",
                         f"did you mean '{s}'?" if s else
                         f"write 0, 1, 2, n/a or one of: {', '.join(words)}")
        key = f["round"] + "\x1f" + f["indicator"] + "\x1f" + rater
        first = {v: r for r, v in key[~key.duplicated(keep="first")].items()}
        for row, v in key[key.duplicated(keep="first")].items():
            who = f"rater '{rater.at[row]}'" if rater.at[row] else "the unnamed rater"
            self.add("assessment", row, "indicator",
                     f"{who} already answered {f['indicator'].at[row]} in round {f['round'].at[row]} on row {first[v]}",
                     "keep one answer per rater, indicator and round")
        cols = [f["round"], f["indicator"], f["answer"], rater, _col(raw, "evidence"), _col(raw, "date")]
        self.assessment = tuple(
            Answer(r, i, a.lower(), ra or None, e or None, d or None)
            for r, i, a, ra, e, d in zip(*_lists(cols), strict=True)
        )

    def _actions(self, raw: RawTable, ids: Mapping[str, str] | None) -> None:
        f = raw.frame
        idcol = f["id"]
        first = {v: r for r, v in idcol[~idcol.duplicated(keep="first")].items()}
        for row, v in idcol[idcol.duplicated(keep="first") & (idcol != "")].items():
            self.add("actions", row, "id", f"duplicate action id '{v}' (first used on row {first[v]})",
                     "give each action its own id")
        owner, partners = _col(raw, "owner"), _col(raw, "partners")
        if ids is not None:
            self._unknown_ref("actions", owner[(owner != "") & ~owner.isin(ids.keys())], "owner", ids)
            for row, cell in partners[partners != ""].items():
                bad = [p for p in split_list(cell) if p not in ids]
                if bad:
                    self._unknown_ref("actions", pd.Series([bad[0]], index=[row]), "partners", ids)
        start, due = _col(raw, "start"), _col(raw, "due")
        both = (start != "") & (due != "") & start.str.fullmatch(r"\d{4}-\d{2}-\d{2}") & due.str.fullmatch(
            r"\d{4}-\d{2}-\d{2}")
        for row in f.index[both & (due < start)]:
            self.add("actions", row, "due", f"due date {due[row]} is before the start {start[row]}",
                     "swap the dates or correct one of them")
        cols = [idcol, f["title"], _col(raw, "gap"), _col(raw, "characteristic"), owner, partners,
                _col(raw, "horizon"), start, due, _col(raw, "status"), _col(raw, "indicator"),
                _col(raw, "notes")]
        self.actions = tuple(
            Action(i, ti, g or None, c or None, o or None, tuple(split_list(p)), h or None, s or None,
                   d or None, st or None, ind or None, n or None)
            for i, ti, g, c, o, p, h, s, d, st, ind, n in zip(*_lists(cols), strict=True)
        )


def survey_rows(raw: RawTable, ids: Mapping[str, str] | None, file: str,
                problems: list[Problem]) -> tuple[SurveyRow, ...]:
    """Cross-row checks of reported ties (``survey.csv`` or a returned survey workbook).

    ``ids`` maps the region's agency ids to their types (``None``: not known,
    references are not checked). Problems are appended to ``problems``.
    """
    f = raw.frame
    tax = taxonomy()
    forums = tax.forum_types
    sym = tax.symmetric_types

    def add(row: Any, col: str, msg: str, fix: str) -> None:
        problems.append(Problem(file, int(row), col, msg, fix))

    cols = {c: _col(raw, c).tolist() for c in ("round", "respondent", "partner", "direction", "type",
                                                "frequency", "formality", "trust", "value")}
    known = list(ids or ())
    first: dict[tuple[str, ...], int] = {}
    ratings: dict[tuple[str, str, str], tuple[str, int]] = {}
    rows: list[SurveyRow] = []
    for i, row in enumerate(f.index):
        rnd, who, partner, direction, typ, freq, form, trust, value = (cols[c][i] for c in cols)
        if ids is not None and who and who not in ids:
            s = suggest(who, known)
            add(row, "respondent", f"unknown agency '{who}'",
                f"did you mean '{s}'?" if s else "use an id from agencies.csv")
        elif ids is not None and ids.get(who) in forums:
            add(row, "respondent", f"'{who}' is a forum; forums do not answer the survey",
                "report the tie from one of the forum's member organisations")
        if partner and ids is not None and partner not in ids:
            s = suggest(partner, known)
            add(row, "partner", f"partner '{partner}' is not an agency of this region",
                f"did you mean '{s}'?" if s else "use a partner id from the roster")
        if partner and partner == who:
            add(row, "partner", "an organisation cannot report a tie with itself", "clear the row")
        if not typ:
            for col, v in (("direction", direction), ("frequency", freq), ("formality", form)):
                if v:
                    add(row, col, f"'{col}' is filled in but the type of tie is empty",
                        "choose the type of tie, or clear the row if there is none")
                    break
        elif not partner:
            add(row, "partner", "a tie needs a partner", "fill in the partner's id")
        elif not direction and typ not in sym:
            add(row, "direction", f"{typ} runs one way: the direction is missing",
                "choose to (you → partner), from (partner → you) or both")
        if typ in ("forum_membership", "tasking") and partner and ids is not None and partner in ids:
            need = "to" if typ == "forum_membership" else "from"
            if ids[partner] not in forums:
                add(row, "type", f"'{partner}' is not a forum, so {typ} does not apply",
                    "choose another type of tie")
            elif direction and direction != need:
                add(row, "direction", f"{typ} runs {'to' if need == 'to' else 'from'} the forum",
                    f"choose {need}")
        key = (rnd, who, partner, typ)
        if key in first:
            add(row, "type", f"the tie with {partner or '-'} ({typ or 'no tie'}) is already on row {first[key]}",
                "keep one row per partner and type; use direction 'both' for a tie both ways")
        else:
            first[key] = int(row)
        for col, v in (("trust", trust), ("value", value)):
            if not v or not partner:
                continue
            seen = ratings.setdefault((rnd, who, partner + "\x1f" + col), (v, int(row)))
            if seen[0] != v:
                add(row, col, f"{col} of {partner} is {v} here but {seen[0]} on row {seen[1]}",
                    f"give each partner one {col} rating")
        rows.append(SurveyRow(rnd, who, partner or None, direction or None, typ or None, freq or None,
                              form or None, int(trust) if trust in ("1", "2", "3", "4") else None,
                              int(value) if value in ("1", "2", "3", "4") else None))
    return tuple(rows)
