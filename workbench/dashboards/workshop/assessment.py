"""The self-assessment section: the questionnaire, one characteristic at a time, per rater and round."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ... import api
from ...data.schema import RATER_MAX, check_length, check_round, contact_warning
from ...data.store import Change, record_label
from ...errors import EditConflict
from ...taxonomy import rubric
from ..common import button, e, field, near_messages, today
from ..together import ConflictBox, record_note, show_conflict, touched_by
from .widgets import button_row, lock

if TYPE_CHECKING:  # for annotations only: the app imports every section
    from .app import Workshop


def _answer_options(indicator: str, lang: str, t: dict[str, str]) -> list[tuple[str, str]]:
    spec = rubric().indicators[indicator]
    words = list(spec["answers"])
    labels = rubric().answer_labels(indicator, lang)
    return [*zip(labels, words, strict=True), (t["na"], "n/a"), (t["not_answered"], "")]


def _answer_word(indicator: str, answer: str) -> str:
    """The answer as one of the indicator's words (``2`` → ``written``), or ``n/a``."""
    r = rubric()
    spec = r.indicators[indicator]
    try:
        score = r.score(indicator, answer)
    except (KeyError, ValueError):
        return ""
    if score is None:
        return "n/a"
    scores = list(spec.get("scores", [0, 1, 2]))
    return spec["answers"][scores.index(score)] if score in scores else ""


class AssessmentSection:
    """The questionnaire: one characteristic at a time, per rater and round.

    Its :attr:`widget` holds the round and rater fields, the pick of a
    characteristic (C1–C5 of the rubric, and the context questions ``X``),
    one row of answer buttons and an evidence field per indicator, the save
    buttons (hidden on a read-only page) and the conflict choice. Answers
    are saved to the region's assessment under the round and rater.

    Parameters
    ----------
    app : Workshop
        The workshop page the section belongs to: its region, language, words, messages and
        read-only state.
    """

    GROUPS = (*api.characteristics(), "X")

    def __init__(self, app: Workshop) -> None:
        self.app = app
        t = app.t
        region = app.region
        assert region is not None
        rounds = region.rounds
        default_round = app.state.get("round") or (rounds[-1] if rounds else f"{today()[:4]}-workshop")
        self.round = field(w.Combobox(value=default_round, options=rounds, description=t["round"],
                                      placeholder="2025-baseline", continuous_update=False), "wb-round")
        self.rater = field(w.Combobox(value=app.state.get("rater", ""), description=t["rater"],
                                      placeholder=t["rater_placeholder"], continuous_update=False), "wb-rater")
        chars = rubric()
        self.group = w.ToggleButtons(
            options=[(c, c) for c in api.characteristics()] + [(t["context"], "X")],
            tooltips=[chars.name(c, app.lang) for c in api.characteristics()] + [t["context_help"]],
            value=app.state.get("group", "C1"))
        self.group.style.button_width = "auto"
        self.group.add_class("wb-char-pick")
        self.intro = w.HTML()
        self.intro.add_class("wb-char-intro")
        self.items = w.VBox()
        self.items.add_class("wb-indicators")
        self.save_btn = button(t["save_answers"], "wb-answers-save", primary=True)
        self.next_btn = button(t["save_next"], "wb-answers-next")
        self.rows: dict[str, tuple[w.ToggleButtons, w.Text]] = {}
        lock(app, [self.round, self.rater])
        top = w.HBox([self.round, self.rater])
        top.add_class("wb-form-row")
        self.notice = near_messages()
        self.base: dict[str, Any] = {}  # the rater's answers as the questions were filled: what they started from
        self.filled: dict[str, tuple[str, str]] = {}
        self.conflict = ConflictBox(t, app.guard)
        self.note = w.HTML()
        self.note.add_class("wb-form-note")
        self.widget = w.VBox([w.HTML(f"<p class='wb-intro'>{e(t['assessment_intro'])}</p>"), top, self.group,
                              self.intro, self.note, self.items, button_row(app, self.save_btn, self.next_btn),
                              self.conflict.widget, self.notice])
        self.round.observe(app.guard(self._on_who), "value")
        self.rater.observe(app.guard(self._on_who), "value")
        self.group.observe(app.guard(lambda c: self.show_group(c["new"])), "value")
        self.save_btn.on_click(app.guard(lambda _b: self.save(False)))
        self.next_btn.on_click(app.guard(lambda _b: self.save(True)))
        self.refresh()

    def indicators(self, group: str) -> list[str]:
        """The indicators asked for a characteristic, in the rubric's order.

        Parameters
        ----------
        group : str
            A characteristic (``C1`` … ``C5``), or ``X`` for the context questions.

        Returns
        -------
        list of str
            Indicator ids (``C1.1``).
        """
        return list(rubric().raw["factors"]) if group == "X" else api.indicators(group)

    def existing(self) -> dict[str, Any]:
        """The saved answers of the round and rater typed in the form.

        Returns
        -------
        dict of str to workbench.data.Answer
            Each answered indicator's answer row.
        """
        region = self.app.region
        assert region is not None
        rnd, rater = self.round.value.strip(), self.rater.value.strip()
        return {a.indicator: a for a in region.assessment if a.round == rnd and (a.rater or "") == rater}

    def refresh(self) -> None:
        """Offer the region's rounds and raters again and redraw the questions of the characteristic shown."""
        region = self.app.region
        assert region is not None
        self.round.options = region.rounds
        self._update_raters()
        self.show_group(self.group.value)

    def _update_raters(self) -> None:
        region = self.app.region
        assert region is not None
        rnd = self.round.value.strip()
        self.rater.options = sorted({a.rater for a in region.assessment if a.round == rnd and a.rater})

    def _on_who(self, _change: dict[str, Any]) -> None:
        self.app.state["round"] = self.round.value
        self.app.state["rater"] = self.rater.value
        self._update_raters()
        self.show_group(self.group.value)

    def show_group(self, group: str) -> None:
        """Show a characteristic's questions, with the round's and rater's saved answers and the rubric's help.

        Parameters
        ----------
        group : str
            A characteristic (``C1`` … ``C5``), or ``X`` for the context questions.
        """
        app, t, lang = self.app, self.app.t, self.app.lang
        app.state["group"] = group
        r = rubric()
        if group == "X":
            self.intro.value = f"<h3>{e(t['context'])}</h3><p>{e(t['context_help'])}</p>"
        else:
            self.intro.value = (f"<h3>{e(group)} {e(r.name(group, lang))}</h3>"
                                f"<p>{e(r.definition(group, lang))}</p>")
        have = self.existing()
        self.rows = {}
        children: list[w.Widget] = []
        for ind in self.indicators(group):
            question, help_text = r.question(ind, lang), r.help(ind, lang)
            head = f"<div class='wb-question'><b>{e(ind)}</b> {e(question)}</div>"
            if help_text:
                head += f"<details class='wb-rubric-help'><summary>{e(t['help'])}</summary>{e(help_text)}</details>"
            current = have.get(ind)
            answer = w.ToggleButtons(options=_answer_options(ind, lang, t),
                                     value=_answer_word(ind, current.answer) if current else "")
            answer.style.button_width = "auto"
            answer.add_class("wb-answer")
            answer.add_class(f"wb-answer-{ind.replace('.', '-')}")
            evidence = w.Text(value=(current.evidence or "") if current else "", placeholder=t["evidence_placeholder"])
            evidence.layout.width = "100%"
            evidence.add_class("wb-evidence")
            lock(app, [answer, evidence])
            self.rows[ind] = (answer, evidence)
            box = w.VBox([w.HTML(head), answer, evidence])
            box.add_class("wb-indicator")
            children.append(box)
        self.items.children = children
        self.base = have
        self.filled = self.typed()
        self.note.value = ""
        self.conflict.hide()
        self.save_btn.description = t["save_answers_of"].format(group=t["context"] if group == "X" else group)

    def save(self, move_on: bool) -> None:
        """Save the answers that changed, and say which maturity levels moved.

        Parameters
        ----------
        move_on : bool
            Then show the next characteristic (the *save and next* button).
        """
        app, t = self.app, self.app.t
        rnd, rater = self.round.value.strip(), self.rater.value.strip()
        if (bad := check_round(rnd)) is not None:
            app.messages.error(bad.sentence(app.lang))
            return
        if not rater:
            app.messages.error(t["rater_missing"])
            return
        if contact_warning(rater) or check_length(rater, RATER_MAX):
            app.messages.error(t["rater_bad"])
            return
        have = self.base  # the answers as the questions were filled with them
        changes: dict[str, tuple[str, str]] = {}
        for ind, (answer, evidence) in self.rows.items():
            old = have.get(ind)
            old_pair = (_answer_word(ind, old.answer), old.evidence or "") if old else ("", "")
            new_pair = (answer.value or "", evidence.value.strip() if answer.value else "")
            if new_pair != old_pair:
                changes[ind] = new_pair
        group = self.group.value
        if changes:
            store = app.edit_store()
            if store is None:
                return
            before = api.assess(app.region) if app.region is not None else {}
            try:
                answers: dict[str, tuple[str, str | None] | None] = {
                    ind: (pair if pair[0] else None) for ind, pair in changes.items()}
                saved = store.set_answers(rnd, rater, answers, base=have, date=today(),
                                          summary=f"answers {group} ({rnd}, {rater}): {', '.join(sorted(changes))}")
            except EditConflict as exc:
                self._conflict(exc, rnd, rater)
                return
            after = api.assess(saved)
            moved = [f"{c} {t['level_none'] if before.get(c, {}).get('level') is None else before[c]['level']}"
                     f" → {t['level_none'] if after[c]['level'] is None else after[c]['level']}"
                     for c in api.characteristics() if before.get(c, {}).get("level") != after[c]["level"]]
            text = t["saved_answers"].format(n=len(changes)) + (" " + t["levels_moved"].format(
                moves="; ".join(moved)) if moved else "")
            app.after_save(text, region=saved)
        else:
            app.messages.show("info", t["no_changes"])
        if move_on:
            nxt = self.GROUPS[(self.GROUPS.index(group) + 1) % len(self.GROUPS)]
            self.group.value = nxt

    # -- editing together -------------------------------------------------------------------
    def who(self) -> tuple[str, str]:
        """The round and the rater typed in the form.

        Returns
        -------
        tuple of (str, str)
            Both stripped of spaces; either may be empty.
        """
        return self.round.value.strip(), self.rater.value.strip()

    def typed(self) -> dict[str, tuple[str, str]]:
        """The answers and evidence the questions hold now.

        Returns
        -------
        dict of str to tuple of (str, str)
            For each indicator shown, the answer picked (one of the indicator's words, ``n/a``, or
            empty when not answered) and the evidence typed.
        """
        return {ind: (answer.value or "", evidence.value) for ind, (answer, evidence) in self.rows.items()}

    def typing(self) -> bool:
        """Whether the questions hold answers the person gave and has not saved.

        Returns
        -------
        bool
            True when an answer or evidence differs from what the questions were filled with.
        """
        return self.typed() != self.filled

    def _conflict(self, exc: EditConflict, rnd: str, rater: str) -> None:
        """Somebody else saved some of these answers first: say which, keep the form, offer the choice."""
        app = self.app
        group = self.group.value

        def keep() -> None:
            app.update()
            self.show_group(group)

        def mine() -> None:
            self.base = self.existing()  # what is saved now: a deliberate second save
            self.save(False)

        app.update(exc.region)
        records = {record_label("assessment", (rnd, ind, rater)): ind for ind in self.rows}
        show_conflict(app, exc, self.conflict, keep, mine, records=records)

    def live(self, changes: list[Change]) -> None:
        """Show what others saved: the rounds and raters now; the questions only if the person is not answering.

        When the person is answering (or choosing after a conflict) and some
        of the answers shown were changed by others, a note above the
        questions says who; the answers typed are kept.

        Parameters
        ----------
        changes : list of workbench.data.store.Change
            The changes others saved since the page last looked, oldest first (to name who changed
            the answers shown).
        """
        region = self.app.region
        assert region is not None
        rnd, rater = self.who()
        if not (self.typing() or self.conflict.open):
            self.refresh()
            return
        self.round.options = region.rounds
        self._update_raters()
        now = self.existing()
        moved = [ind for ind in self.rows if now.get(ind) != self.base.get(ind)]
        if moved:
            who = next((x for x in (touched_by(changes, "assessment", (rnd, ind, rater)) for ind in moved) if x),
                       self.app.t["somebody"])
            self.note.value = record_note(self.app.t, who, gone=False)
