"""The survey section: the partner survey's state, the coordinator's workbooks and a partner's own form.

The coordinator downloads every organisation's workbook as one zip, uploads
the returned ones (bad workbooks are reported and left out, the others
count), reads the merge and applies it; this calls the functions behind
``workbench survey collect [--apply]``. A partner may instead fill in its own
organisation's ties in a form: the answer goes through the very workbook
``survey make`` writes and the checks that read it back, so it lands in
``survey.csv`` exactly as a returned workbook would. A read-only page shows
the state only.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ... import api, i18n
from ...data import Region
from ...data.model import SurveyRow
from ...data.schema import ROUND_RE, SURVEY_DIRECTIONS
from ...errors import Problem, sentence
from ...taxonomy import taxonomy
from ..common import badge, button, e, field, near_messages, table, vocabulary_options
from ..together import set_options

if TYPE_CHECKING:  # for annotations only: the app imports every section; the survey's types
    from ...survey.collect import Collected
    from ...survey.merge import Merge
    from ...survey.workbook import Returned
    from .app import Workshop

#: The answer columns of a survey row, as the workbook's ``ties`` sheet orders them.
ANSWER_COLUMNS = api.survey_columns()[2:]


def workbooks_zip(region: Region, lang: str) -> bytes:
    """Every organisation's survey workbook (``<agency-id>.xlsx``, as ``survey make`` writes them) in one zip.

    Parameters
    ----------
    region : Region
        The region surveyed.
    lang : str
        The language code of the workbooks' words.

    Returns
    -------
    bytes
        A zip file holding one workbook per organisation asked
        (:func:`~workbench.api.survey_respondents`).
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for a in api.survey_respondents(region):
            z.writestr(api.survey_file_name(a.id), api.survey_workbook(region, a, lang))
    return buf.getvalue()


def download_link(data: bytes, name: str, label: str, lang: str) -> str:
    """An ``<a download>`` link carrying ``data`` as a data URI (works in Voilà without serving files).

    Parameters
    ----------
    data : bytes
        The file's content (a zip of workbooks).
    name : str
        The file name the browser saves it under.
    label : str
        The link's text; the file's size follows it.
    lang : str
        The language the size is written in.

    Returns
    -------
    str
        An HTML ``<a>`` element, name and label escaped.

    Examples
    --------
    >>> download_link(b"ab", "x.zip", "Get <it>", "en")[:60]
    "<a class='wb-download wb-download-zip' download='x.zip' href"
    """
    return (f"<a class='wb-download wb-download-zip' download='{e(name)}' "
            f"href='data:application/zip;base64,{base64.b64encode(data).decode('ascii')}'>"
            f"{e(label)} <span class='wb-size'>{e(i18n.size_text(len(data), lang))}</span></a>")


def uploaded_files(value: Iterable[Any]) -> dict[str, bytes]:
    """A ``FileUpload`` widget's value as ``{file name: bytes}`` (what :func:`~workbench.api.survey_read_files` reads).

    Parameters
    ----------
    value : iterable of dict
        The widget's ``value``: one mapping per file with its ``name`` and ``content``.

    Returns
    -------
    dict of str to bytes
        Each uploaded file's content by its name.

    Examples
    --------
    >>> uploaded_files([{"name": "a.xlsx", "content": memoryview(b"PK")}])
    {'a.xlsx': b'PK'}
    """
    return {str(f["name"]): bytes(f["content"]) for f in value}


def receive(store: Any, region: Region, files: dict[str, bytes], round_: str) -> Collected:
    """Read uploaded workbooks and save the answers of those that count into ``survey.csv``.

    The answers of organisations not in this upload stay as they were (see
    :func:`~workbench.api.survey_save`); nothing is saved when no
    workbook counts.

    Parameters
    ----------
    store : RegionStore
        The region's store (its editor is logged).
    region : Region
        The region as loaded.
    files : dict of str to bytes
        The uploaded workbooks by file name.
    round_ : str
        The round the answers belong to.

    Returns
    -------
    Collected
        The workbooks read, their problems and the rows that counted.
    """
    collected = api.survey_read_files(region, files, round_)
    if collected.rows:
        api.survey_save(store, round_, collected.rows, "upload")
    return collected


def round_rows(region: Region, round_: str) -> tuple[SurveyRow, ...]:
    """The rows of ``survey.csv`` for one round.

    Parameters
    ----------
    region : Region
        The region as loaded.
    round_ : str
        The survey round's label.

    Returns
    -------
    tuple of SurveyRow
        The round's rows in the file's order; empty when nobody answered it.
    """
    return tuple(r for r in region.survey if r.round == round_)


def apply_survey(store: Any, region: Region, round_: str) -> list[tuple[str, str, str]]:
    """Add the ties the round reported that the region lacks, as ``survey collect --apply`` does.

    Parameters
    ----------
    store : RegionStore
        The region's store.
    region : Region
        The region as loaded (its ``survey.csv`` holds the round).
    round_ : str
        The round to apply.

    Returns
    -------
    list of tuple of str
        The ``(source, target, type)`` keys added; existing rows are never
        changed.
    """
    rows = round_rows(region, round_)
    return api.survey_apply(store, api.survey_merge(region, rows, round_), rows)


@dataclass
class Entry:
    """One row of the partner form: a partner and the answers about it.

    Parameters
    ----------
    partner : str
        The id of the partner the row is about; empty when none was chosen.
    answers : dict of str to str
        The chosen value of each answer column (``direction``, ``type``,
        ``frequency``, ``formality``, ``trust``, ``value``); empty when left blank.
    """

    partner: str
    answers: dict[str, str]


def form_answer(region: Region, agency_id: str, entries: list[Entry], round_: str,
                role: str = "") -> tuple[Returned, list[int]]:
    """Read a form's answer through the survey workbook: the same checks, the same rows.

    The entries are written into the workbook ``survey make`` writes for
    ``agency_id`` (the first entry of a partner in its roster row, any
    further one in a row below), which is then read back as a returned
    workbook is.

    Parameters
    ----------
    region : Region
        The region surveyed.
    agency_id : str
        The organisation answering.
    entries : list of Entry
        The form's rows, in order.
    round_ : str
        The round's label.
    role : str
        The respondent's role (never a name).

    Returns
    -------
    returned : Returned
        The answer as read, with its rows and problems.
    sheet_rows : list of int
        The workbook row each entry was written into (the row problems name).
    """
    book = api.survey_book(region, region.by_id[agency_id])
    ws = book["ties"]
    roster_rows = {ws.cell(i, 1).value: i for i in range(2, ws.max_row + 1) if ws.cell(i, 1).value}
    spare = max(roster_rows.values(), default=1) + 1
    used: set[str] = set()
    placed = []
    for entry in entries:
        if entry.partner in roster_rows and entry.partner not in used:
            i = roster_rows[entry.partner]
            used.add(entry.partner)
        else:
            i, spare = spare, spare + 1
            ws.cell(i, 1).value = entry.partner or None
        for j, col in enumerate(api.survey_columns(), start=1):
            if col in ANSWER_COLUMNS:
                ws.cell(i, j).value = entry.answers.get(col) or None
        placed.append(i)
    book["about"]["B3"] = role or None
    buf = io.BytesIO()
    book.save(buf)
    returned = api.survey_read(buf.getvalue(), api.survey_file_name(agency_id), region, round_)
    return returned, placed


def answer_rows(returned: Returned, round_: str) -> tuple[SurveyRow, ...]:
    """The rows an answer puts in ``survey.csv``: its ties, or one row saying it answered with none.

    Parameters
    ----------
    returned : Returned
        One organisation's answer, as read from its workbook or form.
    round_ : str
        The survey round the answer belongs to.

    Returns
    -------
    tuple of SurveyRow
        The answer's rows, or a single row with the respondent and no partner.
    """
    return returned.rows or (SurveyRow(round_, returned.agency or ""),)


def state_html(region: Region, merge: Merge | None, t: dict[str, str], lang: str) -> str:
    """The survey's state: who answered and who did not (by sector), the ties' status and what the merge found.

    Every name and value is escaped; without survey answers, a sentence saying so.

    Parameters
    ----------
    region : Region
        The region as loaded, with its ``survey.csv``.
    merge : Merge or None
        The merge of the current round's answers with the region's ties; ``None``
        before any was made.
    t : dict of str to str
        The dashboard's texts in ``lang``.
    lang : str
        The language of the labels.

    Returns
    -------
    str
        An HTML fragment for the survey section's state box.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo
    >>> from workbench.dashboards.common import texts
    >>> ags = tuple(Agency(i, i.upper() + "<b>", "police", "organisation") for i in "ab")
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=ags,
    ...            survey=(SurveyRow("r1", "a", "b", "to", "referral"),))
    >>> html = state_html(r, api.survey_merge(r), texts("en"), "en")
    >>> "1 of 2 organisations answered (50%)" in html, "B&lt;b&gt;" in html, "<b>" in html
    (True, True, False)
    """
    if merge is None:
        return f"<p class='wb-empty wb-survey-none'>{e(t['survey_none'])}</p>"
    tax = taxonomy()
    names = {a.id: a.name for a in region.agencies}

    def name(agency_id: str) -> str:
        return names.get(agency_id, agency_id)

    def doc(key: str, **values: Any) -> str:
        return i18n.text(f"documents.{key}", lang, **values)

    answered = set(merge.answered)
    parts = [f"<p class='wb-survey-state'>{e(doc('survey_state', round=merge.round, answered=len(merge.answered), asked=len(merge.asked), rate=i18n.percent_text(merge.response_rate, lang)))}</p>"]  # noqa: E501
    if merge.warning:
        sectors = ", ".join(tax.label("sectors", s, lang) for s in merge.warning["silent_sectors"]) or "–"
        parts.append(f"<div class='wb-note wb-survey-warning'>{e(doc('survey_warning', sectors=sectors))}</div>")
    rows = [[tax.label("sectors", s, lang) if s else t["survey_other_sector"],
             f"{v['answered']} / {v['asked']}", i18n.percent_text(v["rate"], lang),
             ", ".join(name(a) for a in v["missing"])] for s, v in merge.by_sector.items()]
    parts.append(table([t["survey_sector"], t["survey_answered"], t["survey_rate"], t["survey_not_answered"]],
                       rows, "wb-survey-sectors"))
    who = [[name(a), badge(t["survey_yes"] if a in answered else t["survey_no"],
                           "ok" if a in answered else "muted")] for a in merge.asked]
    parts.append(f"<details class='wb-survey-who'><summary>{e(t['survey_who'])}</summary>"
                 + table([t["survey_organisation"], t["survey_answered"]], who, "wb-survey-answers") + "</details>")
    parts.append(f"<p class='wb-survey-ties'>{e(doc('survey_ties', confirmed=merge.count('confirmed'), one_sided=merge.count('one_sided'), unconfirmed=merge.count('unconfirmed'), contradictions=len(merge.contradictions)))}</p>")  # noqa: E501

    def tie(src: str, tgt: str, typ: str) -> list[object]:
        return [name(src), tax.label("relationship_types", typ, lang), name(tgt)]

    status = {"confirmed": t["survey_confirmed"], "one_sided": t["survey_one_sided"],
              "unconfirmed": t["survey_unconfirmed"]}
    new = [[*tie(*k), badge(status[merge.ties[k]["status"]], merge.ties[k]["status"].replace("_", "-")),
            ", ".join(name(a) for a in merge.ties[k]["reported_by"])] for k in merge.new]
    parts.append(f"<h4>{e(t['survey_new'].format(n=len(new)))}</h4>"
                 + table([t["f_source"], t["f_tie_type"], t["f_target"], t["survey_status"], t["survey_reported_by"]],
                         new, "wb-survey-new", t["survey_nothing_new"]))
    said = []
    for c in merge.contradictions:
        a, p = c["agencies"]
        what = "; ".join(t["survey_says"].format(field=t.get(f"survey_col_{f}", f), a=name(a), b=name(p),
                                                  va=_word(f, v[0], lang), vb=_word(f, v[1], lang))
                         for f, v in c["fields"].items())
        said.append([name(a), tax.label("relationship_types", c["type"], lang), name(p), what])
    parts.append(f"<h4>{e(t['survey_contradictions'].format(n=len(said)))}</h4>"
                 + table([t["f_source"], t["f_tie_type"], t["f_target"], t["survey_difference"]], said,
                         "wb-survey-contradictions", t["survey_none_found"]))
    quiet = [tie(r["source"], r["target"], r["type"]) + [", ".join(name(a) for a in r["answered_ends"])]
             for r in merge.not_reported]
    parts.append(f"<h4>{e(t['survey_not_reported'].format(n=len(quiet)))}</h4>"
                 + table([t["f_source"], t["f_tie_type"], t["f_target"], t["survey_answered"]], quiet,
                         "wb-survey-not-reported", t["survey_none_found"]))
    return "".join(parts)


def _word(column: str, value: str | None, lang: str) -> str:
    if not value:
        return "–"
    if column in ("frequency", "formality"):
        return taxonomy().label(column, value, lang)
    return value


def problem_lines(problems: Iterable[Problem], lang: str) -> list[str]:
    """Each problem as ``FILE:ROW:COLUMN: sentence`` in ``lang`` (errors first, as the command line prints).

    Parameters
    ----------
    problems : iterable of Problem
        What reading the workbooks found.
    lang : str
        The language of the sentences.

    Returns
    -------
    list of str
        One line per problem, errors before warnings.
    """
    ps = list(problems)
    return [p.text(lang) for p in ps if p.is_error] + [p.text(lang) for p in ps if not p.is_error]


def column_width(column: str) -> str:
    """The width of a column of the partner form (its header and its drop-downs).

    Parameters
    ----------
    column : str
        ``"partner"`` or one of the answer columns.

    Returns
    -------
    str
        A CSS width in pixels.

    Examples
    --------
    >>> column_width("partner"), column_width("trust"), column_width("type")
    ('260px', '100px', '160px')
    """
    return {"partner": "260px", "trust": "100px", "value": "100px"}.get(column, "160px")


class FormRow:
    """One row of the partner form: the partner, then the six answers.

    Parameters
    ----------
    section : SurveySection
        The survey section whose form holds the row (its partner options and texts).
    partner : str
        The id of the partner the row is about.
    fixed : bool
        ``True`` for the row of a partner on the organisation's roster: the
        partner is set and cannot be changed. ``False`` for a row the person
        adds, where the partner is chosen.
    """

    def __init__(self, section: SurveySection, partner: str, fixed: bool) -> None:
        t, lang, tax = section.app.t, section.app.lang, taxonomy()
        self.partner = w.Dropdown(options=section.partner_options, value=partner if fixed else "",
                                  disabled=fixed, layout=w.Layout(width=column_width("partner")))
        self.partner.add_class("wb-survey-partner")
        blank = ("", "")
        self.answers: dict[str, w.Dropdown] = {
            "direction": w.Dropdown(options=[blank] + [(t[f"survey_dir_{d}"], d) for d in SURVEY_DIRECTIONS]),
            "type": w.Dropdown(options=[blank] + [(tax.label("relationship_types", k, lang), k)
                                                  for k in tax.relationship_types]),
            "frequency": w.Dropdown(options=vocabulary_options("frequency", lang, "")),
            "formality": w.Dropdown(options=vocabulary_options("formality", lang, "")),
            "trust": w.Dropdown(options=[blank] + [(v, v) for v in ("1", "2", "3", "4")]),
            "value": w.Dropdown(options=[blank] + [(v, v) for v in ("1", "2", "3", "4")]),
        }
        for col, x in self.answers.items():
            x.layout = w.Layout(width=column_width(col))
            x.add_class(f"wb-survey-{col}")
        self.widget = w.HBox([self.partner, *self.answers.values()])
        self.widget.add_class("wb-survey-row")
        if fixed:  # a CSS class tests (and styles) can find the partner's row by
            self.widget.add_class(f"wb-survey-row-{partner}")

    def entry(self) -> Entry:
        """The partner and the answers the row holds now.

        Returns
        -------
        Entry
            The partner's id (empty when none was chosen) and each answer column's value (empty
            when left blank).
        """
        return Entry(self.partner.value, {c: x.value for c, x in self.answers.items()})

    def set(self, row: SurveyRow) -> None:
        """Fill the row's answers with those of a saved survey row; a value the lists do not offer is left blank.

        Parameters
        ----------
        row : SurveyRow
            A row of ``survey.csv`` about the same partner (its partner is not changed here).
        """
        for col, x in self.answers.items():
            v = getattr(row, col)
            v = "" if v is None else str(v)
            x.value = v if v in {o[1] for o in x.options} else ""


class SurveySection:
    """The partner survey: its state, the coordinator's workbooks and merge, a partner's own form.

    Parameters
    ----------
    app : Workshop
        The workshop dashboard the section belongs to: its region, language,
        texts and the store it saves through.
    """

    def __init__(self, app: Workshop) -> None:
        self.app = app
        t = app.t
        self.notice = near_messages()
        self.state = w.HTML()
        self.state.add_class("wb-survey-state-box")
        intro = w.HTML(f"<p class='wb-intro'>{e(t['survey_intro_ro' if app.read_only else 'survey_intro'])}</p>")
        children: list[w.Widget] = [intro, self.notice, self.state]
        if not app.read_only:  # a reviewer sees the state; the kernel refuses writes anyway (Dashboard.store)
            children += [self._coordinator(), self._form()]
        self.widget = w.VBox(children)
        self.widget.add_class("wb-survey")
        self.refresh()

    # -- the coordinator's part ---------------------------------------------------------------
    def _coordinator(self) -> w.Widget:
        t = self.app.t
        region = self.app.region
        assert region is not None
        self.round = field(w.Text(value=api.survey_round(region), description=t["survey_round"]), "wb-survey-round")
        self.prepare_btn = button(t["survey_prepare"], "wb-survey-prepare")
        self.prepare_btn.on_click(self.app.guard(self.prepare))
        self.download = w.HTML()
        self.download.add_class("wb-survey-download")
        self.upload = w.FileUpload(accept=".xlsx", multiple=True, description=t["survey_upload"])
        self.upload.add_class("wb-survey-upload")
        self.upload.layout.width = "auto"
        self.upload.observe(self.app.guard(self.received), "value")
        self.apply_btn = button(t["survey_apply"], "wb-survey-apply", primary=True)
        self.apply_btn.on_click(self.app.guard(self.apply))
        box = w.VBox([w.HTML(f"<h3>{e(t['survey_coordinator'])}</h3><p class='wb-help'>{e(t['survey_coordinator_help'])}</p>"),  # noqa: E501
                      self.round, w.HBox([self.prepare_btn, self.download]), self.upload, self.apply_btn])
        box.add_class("wb-survey-coordinator")
        return box

    def round_label(self) -> str:
        """The survey round typed in the coordinator's field, checked.

        Returns
        -------
        str
            The round's label, stripped of spaces.

        Raises
        ------
        ValueError
            The field is empty or not a round label (at most 40 letters, digits, spaces and
            ``- . : / +``, as ``2026-03``); the message, in the page's language, says so. A
            read-only page, which has no such field, always refuses.
        """
        region = self.app.region
        assert region is not None
        value = self.round.value.strip() if hasattr(self, "round") else ""
        if not re.fullmatch(ROUND_RE, value):
            raise ValueError(self.app.t["survey_round_bad"])
        return value

    def prepare(self, _: Any = None) -> None:
        """Write every organisation's survey workbook and offer them as one zip to download.

        The button is disabled while the workbooks are written, so that a
        second click does not start again; the link says how many workbooks
        the zip holds and its size.

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        region, t = self.app.region, self.app.t
        assert region is not None
        self.prepare_btn.disabled = True  # one workbook per organisation takes a moment: no second click meanwhile
        try:
            data = workbooks_zip(region, self.app.lang)
        finally:
            self.prepare_btn.disabled = False
        n = len(api.survey_respondents(region))
        self.download.value = download_link(data, f"survey-{region.id}.zip", t["survey_download"].format(n=n),
                                            self.app.lang)

    def received(self, change: dict[str, Any]) -> None:
        """Read the workbooks just uploaded and save the answers of those that count for the round typed.

        The page says how many workbooks counted and how many were left
        out, with each problem found; radar, gaps and sections are redrawn
        when answers were saved. The upload is emptied, so that the same
        files can be uploaded again.

        Parameters
        ----------
        change : dict of str to Any
            The upload widget's change; its ``new`` value holds the files (nothing happens when
            it holds none).
        """
        files = uploaded_files(change["new"])
        if not files:
            return
        t, lang = self.app.t, self.app.lang
        try:
            round_ = self.round_label()
        except ValueError as exc:
            self.app.messages.error(str(exc))
            return
        store = self.app.edit_store()
        if store is None:
            return
        region = self.app.region
        assert region is not None
        collected = receive(store, region, files, round_)
        self.upload.value = ()  # the next upload of the same files is a new one
        used, left = len(collected.used), len(collected.returned) - len(collected.used)
        text = t["survey_received"].format(used=used, left=left, round=round_)
        if collected.rows:
            self.app.after_save(text)
        if collected.problems:
            self.app.messages.show("error" if left else "warn", text, problem_lines(collected.problems, lang))

    def apply(self, _: Any = None) -> None:
        """Add the ties the round's answers report and the region does not have yet, then say how many.

        A round typed that is not a round label is said on the page, and
        nothing is saved.

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        t = self.app.t
        try:
            round_ = self.round_label()
        except ValueError as exc:
            self.app.messages.error(str(exc))
            return
        store = self.app.edit_store()
        if store is None:
            return
        region = self.app.region
        assert region is not None
        added = apply_survey(store, region, round_)
        if not added:
            self.app.messages.show("info", t["survey_nothing_new"])
            return
        self.app.after_save(t["survey_applied"].format(n=len(added), round=round_))

    # -- a partner's form ----------------------------------------------------------------------
    def _form(self) -> w.Widget:
        t, lang = self.app.t, self.app.lang
        self.me = field(w.Dropdown(description=t["survey_my_org"]), "wb-survey-me")
        self.filling = False
        self.me.observe(self.app.guard(lambda c: None if self.filling else self.fill(c["new"])), "value")
        words = api.survey_words(lang)
        scales = "".join(f"<li><b>{e(t[f'survey_col_{c}'])}</b>: {e(words[c])}</li>"
                         for c in ("direction", "type", "frequency", "formality", "trust", "value"))
        self.rows_box = w.VBox()
        self.rows_box.add_class("wb-survey-rows")
        heads = []
        for c in ("partner", *ANSWER_COLUMNS):  # as wide as the column's drop-downs below
            h = w.HTML(f"<b>{e(t[f'survey_col_{c}'])}</b>", layout=w.Layout(width=column_width(c)))
            h.add_class(f"wb-survey-h-{c}")
            heads.append(h)
        self.head = w.HBox(heads)
        self.head.add_class("wb-survey-head")
        self.add_btn = button(t["survey_add_row"], "wb-survey-add")
        self.add_btn.on_click(self.app.guard(lambda _b: self.add_row("", fixed=False)))
        self.save_btn = button(t["survey_save"], "wb-survey-save", primary=True)
        self.save_btn.on_click(self.app.guard(self.save))
        self.form_checks = w.HTML()
        self.form_checks.add_class("wb-checks")
        self.rows: list[FormRow] = []
        self.form_box = w.VBox([self.head, self.rows_box, w.HBox([self.add_btn, self.save_btn]), self.form_checks])
        self.form_box.layout.display = "none"
        box = w.VBox([w.HTML(f"<h3>{e(t['survey_form_title'])}</h3><p class='wb-help'>{e(t['survey_form_intro'])}</p>"
                             f"<details class='wb-survey-scales'><summary>{e(t['survey_scales'])}</summary>"
                             f"<ul>{scales}</ul></details>"), self.me, self.form_box])
        box.add_class("wb-survey-form")
        return box

    def _my_options(self) -> list[tuple[str, str]]:
        region = self.app.region
        assert region is not None
        asked = sorted(api.survey_respondents(region), key=lambda a: (a.name.lower(), a.id))
        return [(self.app.t["choose"], "")] + [(f"{a.name} ({a.id})", a.id) for a in asked]

    def add_row(self, partner: str, fixed: bool) -> FormRow:
        """Add a row at the end of the partner form.

        Parameters
        ----------
        partner : str
            The id of the partner the row is about (empty for a row whose partner is chosen).
        fixed : bool
            ``True`` for a partner on the organisation's roster, which cannot be changed.

        Returns
        -------
        FormRow
            The row added.
        """
        row = FormRow(self, partner, fixed)
        self.rows.append(row)
        self.rows_box.children = [r.widget for r in self.rows]
        return row

    def fill(self, agency_id: str) -> None:
        """Show one row per partner of ``agency_id``, with the answers it gave in the current round.

        The partners are those of the organisation's roster; a partner it
        answered about twice gets a second row. No organisation chosen (or
        one the region no longer has) hides the form.

        Parameters
        ----------
        agency_id : str
            The id of the organisation filling in the form; empty when none is chosen.
        """
        region = self.app.region
        assert region is not None
        self.rows = []
        self.form_checks.value = ""
        if not agency_id or agency_id not in region.by_id:
            self.rows_box.children = []
            self.form_box.layout.display = "none"
            return
        partners = api.survey_roster(region, agency_id)
        self.partner_options = [("", "")] + [(f"{a.name} ({a.id})", a.id) for a in partners]
        round_ = self.form_round()
        given = [r for r in region.survey if r.round == round_ and r.respondent == agency_id and r.partner]
        rows = [FormRow(self, a.id, fixed=True) for a in partners]
        first = {r.partner.value: r for r in rows}
        seen: set[str] = set()
        extra = []
        for g in given:
            assert g.partner is not None
            if g.partner in first and g.partner not in seen:
                first[g.partner].set(g)
                seen.add(g.partner)
            elif g.partner in first:
                x = FormRow(self, g.partner, fixed=False)
                x.partner.value = g.partner
                x.set(g)
                extra.append(x)
        self.rows = rows + extra
        self.rows_box.children = [r.widget for r in self.rows]
        self.form_box.layout.display = ""

    def form_round(self) -> str:
        """The round the partner form reads and saves answers in.

        Returns
        -------
        str
            The round typed in the coordinator's field when it is a round label, else the
            region's current survey round (:func:`~workbench.api.survey_round`).
        """
        region = self.app.region
        assert region is not None
        try:
            return self.round_label()
        except ValueError:
            return api.survey_round(region)

    def save(self, _: Any = None) -> None:
        """Save the chosen organisation's answers from the form, as a returned workbook would be saved.

        The answers go through the survey workbook's checks; when one of
        them fails, nothing is saved and each fault is listed beside the
        form, named by partner and column. Nothing happens when no
        organisation is chosen.

        A role typed that looks like contact details or is too long (see
        :meth:`~workbench.dashboards.workshop.app.Workshop.editor`) is said on
        the page, and nothing is saved.

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        t, lang = self.app.t, self.app.lang
        region = self.app.region
        assert region is not None
        agency_id = self.me.value
        if not agency_id:
            return
        round_ = self.form_round()
        try:
            editor = self.app.editor() if self.app.role_value else ""
        except ValueError as exc:
            self.app.messages.error(str(exc))
            return
        returned, placed = form_answer(region, agency_id, [r.entry() for r in self.rows], round_, editor)
        errors = [p for p in returned.problems if p.is_error]
        if errors:
            where = {row: i for i, row in enumerate(placed)}
            names = {a.id: a.name for a in region.agencies}
            items = []
            for p in errors:
                i = where.get(p.row or 0)
                head = names.get(self.rows[i].partner.value, self.rows[i].partner.value) if i is not None else ""
                column = t.get(f"survey_col_{p.column}", p.column or "")
                label = " · ".join(x for x in (head, column) if x)
                said = sentence(*p.words(lang), lang)
                items.append(f"{label}: {said}" if label else said)
            lis = "".join(f"<li class='wb-check-error'>{e(x)}</li>" for x in items)
            self.form_checks.value = f"<ul>{lis}</ul>"
            self.app.messages.error(t["fix_first"], items)
            return
        self.form_checks.value = ""
        store = self.app.edit_store()
        if store is None:
            return
        saved = api.survey_save(store, round_, answer_rows(returned, round_), "form")
        self.app.after_save(t["survey_saved"].format(agency=region.by_id[agency_id].name, round=round_), region=saved)

    # -- showing ---------------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Redraw the state; a form being filled in is kept (it is read again only when the organisation changes).

        Parameters
        ----------
        select : str or None, optional
            The record to pick, as the page passes it to every section after a save; the survey
            has no record to pick, so it is unused.
        """
        region, t, lang = self.app.region, self.app.t, self.app.lang
        assert region is not None
        labels = api.survey_rounds(region)
        shown = None
        if labels:
            want = self.round.value.strip() if hasattr(self, "round") else ""
            shown = api.survey_merge(region, round_=want if want in labels else labels[-1])
        self.state.value = state_html(region, shown, t, lang)
        if hasattr(self, "apply_btn"):
            self.apply_btn.disabled = shown is None or not shown.new
        if hasattr(self, "me"):
            keep = self.me.value
            self.filling = True  # new options must not reset a form being filled in
            try:
                set_options(self.me, self._my_options())
                self.me.value = keep if keep in {v for _, v in self.me.options} else ""
            finally:
                self.filling = False
            if self.me.value != keep:
                self.fill(self.me.value)
