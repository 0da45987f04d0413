"""The ``workbench`` command line: a thin layer over the package's API."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import api, i18n
from .errors import Problem, RegionInvalid, WorkbenchError
from .i18n import DEFAULT
from .i18n import LANGUAGES as _LANGUAGES

#: Where a command records the language the user chose (``--lang``), for the problems it may report.
_LANG = "workbench.lang"
#: The language codes a --lang option accepts, for its help.
_LANG_CODES = " ".join(_LANGUAGES)


def _report(problems: list[Problem], stream=None, lang: str | None = None) -> None:  # noqa: ANN001
    """Print problems as ``FILE:ROW:COLUMN: message (fix: …)`` in ``lang`` (English when ``None``)."""
    from .i18n import supported
    for p in problems:
        click.echo(p.text(supported(lang)), file=stream)


def _words(key: str, lang: str | None, **values: object) -> str:
    """A line the command line prints, from the ``cli`` catalogue, in ``lang`` (English when ``None`` or unknown)."""
    from .i18n import supported, text
    return text(key, supported(lang), **values)


def _chosen(lang: str | None) -> str | None:
    """Record the ``--lang`` a command was given, so that its problems are worded in it; return it."""
    if lang is not None:
        click.get_current_context().meta[_LANG] = lang
    return lang


class _Group(click.Group):
    """Turn the workbench's own errors into one clear line, never a traceback."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except RegionInvalid as exc:
            # In the language the user asked for, else the region's own, else English.
            _report(exc.problems, sys.stderr, ctx.meta.get(_LANG) or exc.lang)
            ctx.exit(1)
        except WorkbenchError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


def _help(name: str) -> str:
    """A setting's help text and environment variable, for ``--help`` (declared once in :mod:`workbench.config`)."""
    from .config import SETTINGS
    setting = SETTINGS[name]
    default = ("" if callable(setting.default) or setting.default is False or setting.default is None
               else f"default: {setting.default}; ")
    return f"{setting.help} [{default}env: {setting.env}]"


def _setting(name: str) -> object:
    from .config import value
    return value(name)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tactics-workbench")
def main() -> None:
    """Map, assess and plan a region's partnership against domestic violence."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check region folders or .xlsx workbooks; print every problem as FILE:ROW:COLUMN: message."""
    failed = False
    for path in paths:
        try:
            region = api.read_region(path)
        except RegionInvalid as exc:
            failed = True
            _report([p for p in exc.problems if p.is_error], lang=exc.lang)
            _report([p for p in exc.problems if not p.is_error], sys.stderr, exc.lang)
            continue
        _report(list(region.warnings), sys.stderr, region.info.language)
        click.echo(_words("cli.valid", region.info.language, path=path, agencies=len(region.agencies),
                          ties=len(region.relationships), answers=len(region.assessment),
                          actions=len(region.actions)), err=True)
    sys.exit(1 if failed else 0)


@main.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--out", "--data", "out", default=None, type=click.Path(path_type=Path),
              help="Folder of region folders, or the region folder itself "
                   "(default: data/partners of this workspace or folder).")
@click.option("--force", is_flag=True, help="Replace a region folder that already exists.")
@click.option("--editor", default="import", show_default=True, help="Editor role written to the change log.")
def import_(workbook: Path, out: Path | None, force: bool, editor: str) -> None:
    """Turn a region workbook (.xlsx) into a region folder; writes nothing if it is invalid."""
    folder = api.import_workbook(workbook, out, force=force, editor=editor)
    click.echo(f"imported {workbook} into {folder}", err=True)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="The .xlsx file to write (named after the region id), or a folder.")
@click.option("--lang", default=None,
              help="Language of the instructions and help texts: a code 'workbench languages' lists "
                   "(default: the region's language, else English).")
def export(path: Path, out: Path, lang: str | None) -> None:
    """Write a region as a guided .xlsx workbook (formula-like cells stay text)."""
    chosen = _chosen(lang)
    region = api.open_region(path)
    target = api.export_workbook(region, out, chosen)
    click.echo(_words("cli.wrote", chosen or region.info.language, path=target), err=True)


@main.command()
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="The .xlsx file to write.")
@click.option("--lang", default=None,
              help="Language of the instructions and help texts: a code 'workbench languages' lists "
                   "(default: English).")
def template(out: Path, lang: str | None) -> None:
    """Write a blank, guided workbook for a working group to fill in."""
    click.echo(_words("cli.wrote", lang, path=api.template_workbook(out, _chosen(lang))), err=True)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--examples", is_flag=True, help="Also copy the illustrative example regions, to try things out.")
@click.option("--lang", default=None,
              help="Language of the README: a code 'workbench languages' lists (default: English).")
def init(folder: Path, examples: bool, lang: str | None) -> None:
    """Create a workspace for a working group: data/partners/, a README and a .gitignore."""
    made = api.init(folder, examples=examples, lang=_chosen(lang))
    click.echo(_words("cli.workspace_created", lang, folder=folder, n=len(made)), err=True)


@main.command("new-region")
@click.argument("region_id")
@click.option("--name", required=True, help="The region's name, in its own language.")
@click.option("--country", required=True, help="ISO 3166-1 two-letter code, e.g. BE.")
@click.option("--language", default=DEFAULT, show_default=True, help="ISO 639-1 code of its documents.")
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help="Folder of region folders (default: data/partners of this workspace or folder).")
def new_region(region_id: str, name: str, country: str, language: str, data: Path | None) -> None:
    """Create an empty region folder ready to fill."""
    click.echo(f"created {api.new_region(region_id, name, country, language, data)}", err=True)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a summary.")
def analyse(path: Path, as_json: bool) -> None:
    """Analyse a region's partner network (a region folder or .xlsx workbook)."""
    import json

    region = api.open_region(path)
    _report(list(region.warnings), sys.stderr, region.info.language)
    result = api.analyse(region)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    net = result["network"]
    feedback = net["referral_feedback"]
    share = "-" if feedback["share"] is None else f"{feedback['share']:.0%}"
    bw = net["betweenness"]
    rows = [
        ("agencies", net["agencies"]), ("forums", net["forums"]),
        ("relationships", net["relationships"]), ("density", f"{net['density']:.3f}"),
        ("degree centralization", f"{net['degree_centralization']:.3f}"),
        ("reciprocity", f"{net['reciprocity']:.3f}"), ("components", net["components"]),
        ("isolates", ", ".join(net["isolates"]) or "-"),
        ("cut agencies", ", ".join(net["cut_agencies"]) or "-"),
        ("brokers", ", ".join(net["brokers"]) or "-"),
        ("betweenness", "exact" if bw["exact"] else
         f"sampled, {bw['pivots']} pivots, error ~{bw['error_rms']:.2g}"),
        ("missing partners", ", ".join(net["missing_partners"]) or "-"),
        ("unconnected partners", ", ".join(net["unconnected_partners"]) or "-"),
        ("groups with a pathway",
         f"{len(net['group_coverage']) - len(net['groups_without_pathway'])}"
         f" of {len(net['group_coverage'])}"),
        ("referrals with feedback", f"{feedback['with_feedback']} of {feedback['referrals']}"
         f" ({share})"),
    ]
    click.echo(f"{region.name} ({region.id}, {region.info.country})")
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        click.echo(f"  {k:<{width}}  {v}")
    if net["single_points_of_failure"]:
        click.echo("single points of failure:")
        for x in net["single_points_of_failure"][:5]:
            click.echo(f"  {x['agency']}: groups lost {len(x['groups_lost'])}, "
                       f"agencies out of referral reach {x['reach_lost']}, "
                       f"cut off {x['cut_off']}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--lang", default=None, help="Any of `workbench languages` (default: the region's, else English).")
@click.option("--round", "round_", default=None, help="Assessment round (default: the latest).")
@click.option("--since", default=None, help="An earlier round: also show what changed since it.")
def assess(path: Path, lang: str | None, round_: str | None, since: str | None) -> None:
    """Print the maturity table: the five characteristics, their levels, confidence and evidence."""
    _chosen(lang)
    region = api.open_region(path)
    if round_ is not None and round_ not in region.rounds:
        raise WorkbenchError(f"no round {round_!r}; the region has: {', '.join(region.rounds) or 'no answers'}")
    language = api.language(lang, region.info.language)
    click.echo(api.maturity_table(api.assess(region, round_, language), language,
                                  region=f"{region.name} ({region.id})"))
    if since is not None:
        words = i18n.section("maturity.text", language)
        newer = round_ or region.rounds[-1]
        change = api.round_change(region, since, newer)
        click.echo("\n" + words["since"].format(old=since, new=newer))
        for c, v in change["characteristics"].items():
            step = "" if v["change"] is None else f" ({v['change']:+d})"
            click.echo(f"  {c}: {_dash(v['old'])} → {_dash(v['new'])}{step}")
        moved = ", ".join(f"{m['indicator']} {_dash(m['old'])}→{_dash(m['new'])}" for m in change["moved"])
        click.echo(f"  {words['since_moved']} {moved or '-'}")
        click.echo(f"  {words['since_new_disagreements']} {', '.join(change['new_disagreements']) or '-'}")


def _dash(value: object) -> str:
    return "–" if value is None else str(value)




@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "formats", default="html,pdf,docx,md", show_default=True,
              help="Comma-separated: html, pdf, docx, md.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder to write into.")
@click.option("--lang", default=None, help=f"Language code: {_LANG_CODES} (default: the region's language where "
              f"supported, else {DEFAULT}; see 'workbench languages').")
@click.option("--reference", default=None, help="Reference profile: de-hanover-haip, gb-scotland-division, …")
def roadmap(path: Path, formats: str, out: Path, lang: str | None, reference: str | None) -> None:
    """Write a region's roadmap documents (HTML, PDF, DOCX, Markdown) into OUT."""
    for p in api.roadmap(path, out, formats, lang=_chosen(lang), reference=reference).values():
        click.echo(f"wrote {p}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder to write into.")
@click.option("--lang", default=DEFAULT, show_default=True,
              help=f"Language code: {_LANG_CODES} (see 'workbench languages').")
def compare(paths: tuple[Path, ...], out: Path, lang: str) -> None:
    """Write the cross-region comparison for reviewers (one self-contained HTML page) into OUT."""
    click.echo(f"wrote {api.compare(paths, out, lang)}", err=True)


@main.command()
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help=_help("data"))
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder to write the documents into.")
@click.option("--format", "formats", default="html,pdf,docx,md", show_default=True,
              help="Comma-separated: html, pdf, docx, md.")
@click.option("--lang", default=None, help=f"One language code for every region and the comparison: {_LANG_CODES} "
              f"(default: each region's own language, else {DEFAULT}; the comparison in {DEFAULT}).")
def build(data: Path | None, out: Path, formats: str, lang: str | None) -> None:
    """Every region's roadmap documents plus the comparison; a broken region is reported, not fatal."""
    report = api.build(data, out, formats, _chosen(lang))
    for region_id, problem in report.failed.items():
        click.echo(f"{region_id}: not built", err=True)
        click.echo(problem, err=True)
    click.echo(f"built {len(report.built)} region(s) into {out} in {report.seconds:.1f} s"
               + (f"; {len(report.failed)} failed" if report.failed else ""), err=True)
    sys.exit(1 if report.failed else 0)


@main.command()
@click.option("--data", "data", type=click.Path(path_type=Path), default=None,
              help=_help("data"))
@click.option("--build", "build_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Where 'workbench build' wrote the documents (missing or stale ones are rendered there first).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="The site's folder (a new folder, or one an earlier publish wrote).")
@click.option("--lang", "langs", default=None,
              help=f"Comma-separated languages of the index and the comparison, besides {DEFAULT} "
              f"(default: all of {_LANG_CODES}); each region's pages are in its documents' language.")
def publish(data: Path | None, build_dir: Path, out: Path, langs: str | None) -> None:
    """Write a static, offline website: the index, the comparison, every roadmap and partner map."""
    report = api.publish(data, build_dir, out, langs)
    for region_id, problem in report.failed.items():
        click.echo(f"{region_id}: not published", err=True)
        click.echo(problem, err=True)
    rebuilt = f" (documents rendered first: {', '.join(report.rebuilt)})" if report.rebuilt else ""
    click.echo(f"published {len(report.regions)} region(s), {report.pages} pages, into {out} "
               f"in {report.seconds:.1f} s{rebuilt}; open {out / 'index.html'}", err=True)
    sys.exit(1 if report.failed else 0)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder to write into.")
@click.option("--format", "formats", default="html,png,svg,graphml,gexf,json", show_default=True,
              help="Comma-separated: html (interactive), png, svg, graphml, gexf (Gephi), json.")
@click.option("--lang", default=None, help=f"Language code: {_LANG_CODES} (default: the region's language where "
              f"supported, else {DEFAULT}; see 'workbench languages').")
def network(path: Path, out: Path, formats: str, lang: str | None) -> None:
    """Write the partner network: interactive HTML, static PNG/SVG, GraphML, GEXF and JSON."""
    for target in api.write_network(path, out, formats, _chosen(lang)):
        click.echo(f"wrote {target}", err=True)


@main.group()
def survey() -> None:
    """The partner survey: one workbook per organisation, and the merge of the returned ones."""


@survey.command("make")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder to write into.")
@click.option("--lang", default=None, help="A supported language code (default: the region's language, else en).")
def survey_make(path: Path, out: Path, lang: str | None) -> None:
    """Write one survey workbook per active organisation (OUT/<agency-id>.xlsx)."""
    paths = api.survey_make(path, out, _chosen(lang))
    click.echo(f"wrote {len(paths)} survey workbook(s) into {out}", err=True)


@survey.command("collect")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.argument("returned", type=click.Path(path_type=Path, file_okay=False))
@click.option("--round", "round_", default=None, help="Round label (default: this year and month, e.g. 2026-03).")
@click.option("--apply", "apply_", is_flag=True, help="Add the reported ties relationships.csv lacks.")
@click.option("--editor", default="survey", show_default=True, help="Editor role written to the change log.")
def survey_collect(path: Path, returned: Path, round_: str | None, apply_: bool, editor: str) -> None:
    """Read the returned workbooks in RETURNED, write survey.csv and print the merge report.

    Bad workbooks are listed (FILE:ROW:COLUMN: message) and left out; the others still count.
    The report is also written to RETURNED/survey-<round>.txt. Exit 1 when a workbook was left out.
    """
    from .files import atomic_write
    collected, merge, added = api.survey_collect(path, returned, round_, apply=apply_, editor=editor)
    errors = [p for p in collected.problems if p.is_error]
    region = api.open_region(path)
    _report(list(collected.problems), sys.stderr, region.info.language)
    text = api.survey_report(region, merge, [str(p) for p in errors], added if apply_ else None)
    click.echo(text, nl=False)
    target = returned / f"survey-{merge.round}.txt"
    atomic_write(target, text.encode("utf-8"))
    click.echo(f"wrote {path / 'survey.csv'} and {target}", err=True)
    sys.exit(1 if errors else 0)


def _access_epilog() -> str:
    """The access file's format, for ``workbench serve --help`` (paragraphs kept as written)."""
    from .access import ACCESS_FILE_HELP
    return "\b\nThe access file (--access FILE):\n\n" + "\n\n".join(
        "\b\n" + part for part in ACCESS_FILE_HELP.split("\n\n"))


@main.command(epilog=_access_epilog())
@click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=_help("data"))
@click.option("--port", default=lambda: _setting("port"), type=click.IntRange(1, 65535), help=_help("port"))
@click.option("--read-only", is_flag=True, default=lambda: _setting("read_only"), help=_help("read_only"))
@click.option("--pool-size", default=lambda: _setting("pool_size"), type=click.IntRange(0, 8), help=_help("pool_size"))
@click.option("--cull-idle", "cull_idle", default=lambda: _setting("cull_idle"),
              type=click.IntRange(60), help=_help("cull_idle"))
@click.option("--base-url", default="/", show_default=True,
              help="URL prefix when a reverse proxy serves the dashboards under a path, e.g. /tactics/.")
@click.option("--access", "access_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=lambda: _setting("access"), help=_help("access") + " Format below.")
def serve(data: Path | None, port: int, read_only: bool, pool_size: int, cull_idle: int, base_url: str,
          access_file: Path | None) -> None:
    """Serve the dashboards with Voilà on 127.0.0.1 (the landing page lists them)."""
    from .access import read_access
    from .dashboards.serve import check_port, default_options
    from .dashboards.serve import serve as run
    if not base_url.startswith("/"):
        base_url = "/" + base_url
    if not base_url.endswith("/"):
        base_url += "/"
    if access_file is not None:
        access_file = access_file.resolve()
        accounts = read_access(access_file)  # a broken file stops here, with its fix
    opts = default_options(api.data_folder(data), port=port, read_only=read_only, pool_size=pool_size,
                           cull_idle_timeout=cull_idle, base_url=base_url, access=access_file)
    check_port(port)
    click.echo(f"serving the dashboards on {opts.data} at http://127.0.0.1:{port}{base_url}"
               + (" (read-only)" if read_only else "")
               + (f" for the {len(accounts)} accounts of {access_file} (?token=…)" if access_file else "")
               + "; Ctrl-C stops", err=True)
    run(opts)


@main.command()
def languages() -> None:
    """List the supported languages: code and the language's own name, one per line."""
    from .i18n import LANGUAGES
    for code, name in LANGUAGES.items():
        click.echo(f"{code}\t{name}")


@main.group()
def translations() -> None:
    """Keep the translation catalogues (workbench/locales/) in step with English."""


@translations.command("check")
@click.argument("langs", nargs=-1)
def translations_check(langs: tuple[str, ...]) -> None:
    """List what each language (default: all) lacks against English; exit 1 if anything does."""
    from .i18n import LANGUAGES
    from .translations import check
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        raise WorkbenchError(f"unknown language {', '.join(unknown)}; supported: {' '.join(LANGUAGES)}")
    failed = False
    for lang in langs or tuple(LANGUAGES):
        found = check(lang)
        for finding in found:
            click.echo(str(finding))
        click.echo(f"{lang}: {'complete' if not found else f'{len(found)} entries to do'}", err=True)
        failed |= bool(found)
    sys.exit(1 if failed else 0)


@translations.command("update")
def translations_update() -> None:
    """Merge the English catalogues into every other language (new keys, changed English marked fuzzy)."""
    from .i18n import DEFAULT, LANGUAGES
    from .translations import update
    for lang in LANGUAGES:
        if lang != DEFAULT:
            click.echo(f"{lang}: {update(lang)} entries to translate", err=True)


if __name__ == "__main__":
    main()
