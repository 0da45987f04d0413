"""Static figures of a roadmap: network map, maturity radar, action timeline (PNG bytes)."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from ..maturity import charts  # noqa: E402
from ..network.views import static_image  # noqa: E402
from .document import Roadmap  # noqa: E402

HORIZON_DAYS = {"short": 365, "medium": 3 * 365, "long": 5 * 365}


def _png(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def network_png(rm: Roadmap) -> bytes:
    """The region's network map as drawn for print (the network view's static image).

    Parameters
    ----------
    rm : Roadmap
        The roadmap whose region is drawn, with labels in its language.

    Returns
    -------
    bytes
        A PNG image.
    """
    buf = io.BytesIO()
    static_image(rm.region, buf, fmt="png", lang=rm.lang)
    return buf.getvalue()


def radar_png(rm: Roadmap) -> bytes:
    """The region's five levels beside the reference profile (the maturity module's radar).

    Parameters
    ----------
    rm : Roadmap
        The roadmap whose levels (``C1`` to ``C5``, 0 to 4) and reference region
        are drawn, with labels in its language.

    Returns
    -------
    bytes
        A PNG image with one polygon per profile, named by the region's and the
        reference region's names.
    """
    series = {rm.region.name: rm.levels, rm.reference["name"]: rm.reference["levels"]}
    return charts.radar_png(series, lang=rm.lang)


def timeline_png(rm: Roadmap, limit: int = 18) -> bytes:
    """A Gantt-style chart: agreed actions by their dates, drafts by horizon from today.

    An action without a start begins on the roadmap's date; without a due date
    it lasts its horizon (short 1 year, medium 3, long 5; 1 year when unsaid);
    every bar lasts at least 14 days. Done actions are green, agreed blue,
    drafts grey; a red line marks the roadmap's date. The axis runs from about
    seven months before that date to five years after.

    Parameters
    ----------
    rm : Roadmap
        The roadmap whose plan is drawn, in plan order.
    limit : int, optional
        How many plan items to draw at most (the first ones of the plan).

    Returns
    -------
    bytes
        A PNG image, one labelled bar per action (gap id or action id, and
        the title cut at 60 characters).
    """
    today = rm.date
    rows = []
    for item in rm.plan[:limit]:
        start = _date(item.start) or today
        due = _date(item.due) or start + dt.timedelta(days=HORIZON_DAYS.get(item.horizon or "", 365))
        rows.append((item, start, max(due, start + dt.timedelta(days=14))))
    fig, ax = plt.subplots(figsize=(8.2, 0.38 * max(3, len(rows)) + 1.2))
    colours = {"agreed": "#8fb3d9", "draft": "#d5dbe1"}
    for y, (item, start, due) in enumerate(rows):
        colour = "#9fd3ae" if item.status == "done" else colours[item.source]
        ax.barh(y, (due - start).days, left=matplotlib.dates.date2num(start), color=colour, height=0.6)
        title = item.title if len(item.title) <= 60 else item.title[:59] + "…"
        ax.text(matplotlib.dates.date2num(start), y, f" {item.gap or item.id} · {title}", va="center",
                fontsize=7, color="#1b2631")
    ax.axvline(matplotlib.dates.date2num(today), color="#b03a2e", linewidth=1)
    ax.set_yticks([])
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%Y"))
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.set_xlim(matplotlib.dates.date2num(today - dt.timedelta(days=200)),
                matplotlib.dates.date2num(today + dt.timedelta(days=5 * 365 + 60)))
    return _png(fig)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
